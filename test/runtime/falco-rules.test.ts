import * as fs from 'fs';
import { parse } from 'yaml';
import { FalcoEvaluator, FalcoEvent, HAS_UPSTREAM, UPSTREAM_FILE } from './falco-eval';
import { falcoUpstreamModule, OUT as UPSTREAM_MODULE } from '../../scripts/falco-upstream';
import { FalcoPriority } from '../../src';
import { fieldName, outputFields, parseFalcoCondition, referencesOf } from '../../src/runtime/private/falco-condition';
import { isFalcoField } from '../../src/runtime/private/falco-fields';
import { checkRulesFile, platformRules, renderRulesFile } from '../../src/runtime/private/falco-rules';
import { UPSTREAM_LISTS, UPSTREAM_MACROS, UPSTREAM_RULES } from '../../src/runtime/private/falco-upstream';

const maybe = HAS_UPSTREAM ? describe : describe.skip;
const upstream: any[] = HAS_UPSTREAM ? parse(fs.readFileSync(UPSTREAM_FILE, 'utf8')) : [];
const INPUT = { sensitiveNamespaces: ['payments', 'cards'], expectedEgressNetworks: ['198.51.100.0/24'], secretMountPaths: ['/var/run/secrets', '/etc/secrets'] };

maybe('the pinned upstream ruleset (falco-rules 5.1.0)', () => {
  test('the pinned names are those of ../shared/crds/falco/falco_rules.yaml', () => {
    expect(fs.readFileSync(UPSTREAM_MODULE, 'utf8')).toBe(falcoUpstreamModule(fs.readFileSync(UPSTREAM_FILE, 'utf8')));
    expect(UPSTREAM_MACROS.has('spawned_process')).toBe(true);
    expect(UPSTREAM_LISTS.has('shell_binaries')).toBe(true);
    expect(UPSTREAM_RULES.length).toBe(upstream.filter((i) => i.rule !== undefined).length);
  });

  test('the parser reads every upstream macro and rule condition', () => {
    const conditions = upstream.filter((i) => i.condition !== undefined).map((i) => String(i.condition));
    expect(conditions.length).toBeGreaterThan(100);
    for (const c of conditions) expect(() => parseFalcoCondition(c)).not.toThrow();
  });

  test('every field upstream conditions and outputs name is in the pinned field list', () => {
    const fields = new Set<string>();
    for (const i of upstream) {
      if (i.condition !== undefined) referencesOf(parseFalcoCondition(String(i.condition))).fields.forEach((f) => fields.add(f));
      if (i.output !== undefined) outputFields(String(i.output)).forEach((f) => fields.add(fieldName(f)));
    }
    expect(fields.size).toBeGreaterThan(40);
    expect([...fields].filter((f) => !isFalcoField(f))).toEqual([]);
  });

  test('every macro and list the platform rules use exists upstream or in the platform file', () => {
    const file = platformRules(INPUT);
    const own = new Set([...file.macros.map((m) => m.name), ...file.lists.map((l) => l.name)]);
    const used = [...file.rules.map((r) => r.condition), ...file.macros.map((m) => m.condition)].map((c) => referencesOf(parseFalcoCondition(c)));
    for (const m of used.flatMap((u) => u.macros)) expect(UPSTREAM_MACROS.has(m) || own.has(m)).toBe(true);
    const lists = used.flatMap((u) => u.listItems).filter((i) => i.endsWith('_binaries') || i.startsWith('devsecops_'));
    expect(lists.sort()).toEqual(expect.arrayContaining(['package_mgmt_binaries', 'shell_binaries']));
    for (const l of lists) expect(UPSTREAM_LISTS.has(l) || own.has(l)).toBe(true);
    expect(checkRulesFile(file)).toEqual([]);
  });
});

maybe('each platform rule fires on its threat and not on the workload\'s normal behaviour', () => {
  const falco = new FalcoEvaluator().loadUpstream().load(renderRulesFile(platformRules(INPUT)));
  const pod: FalcoEvent = { 'container.id': '3ad7b26ded6d', 'k8s.ns.name': 'payments', 'proc.vpid': 1, 'proc.pvpid': 0 };
  const fire = (e: FalcoEvent) => falco.firing({ ...pod, ...e }).filter((n) => n.startsWith('DevSecOps'));

  test('shell in a payments container', () => {
    expect(fire({ 'evt.type': 'execve', 'proc.name': 'bash', 'proc.vpid': 27, 'proc.pvpid': 0 })).toEqual(['DevSecOps shell in sensitive container']);
    expect(fire({ 'evt.type': 'execve', 'proc.name': 'java' })).toEqual([]);
    expect(fire({ 'evt.type': 'execve', 'proc.name': 'bash', 'k8s.ns.name': 'dev-sandbox' })).toEqual([]);
    expect(fire({ 'evt.type': 'execve', 'proc.name': 'bash', 'container.id': 'host' })).toEqual([]);
  });

  const connect = (ip: string): FalcoEvent => ({
    'evt.type': 'connect', 'fd.typechar': '4', 'fd.ip': ip, 'fd.net': ip, 'fd.snet': ip, 'evt.rawres': 0, 'fd.l4proto': 'tcp', 'proc.name': 'java',
  });
  test('unexpected outbound connection from payments', () => {
    expect(fire(connect('203.0.113.9'))).toEqual(['DevSecOps unexpected outbound connection from sensitive namespace']);
    expect(fire(connect('198.51.100.20'))).toEqual([]); // expected egress network
    expect(fire(connect('10.20.1.5'))).toEqual([]); // private address: in-cluster
    expect(fire({ ...connect('203.0.113.9'), 'k8s.ns.name': 'core-banking' })).toEqual([]);
  });

  const open = (name: string, read: boolean): FalcoEvent => ({
    'evt.type': 'openat',
    'fd.typechar': 'f',
    'fd.num': 7,
    'fd.name': name,
    'fd.directory': name.slice(0, name.lastIndexOf('/')),
    'evt.is_open_read': read ? 'true' : 'false',
    'evt.is_open_write': read ? 'false' : 'true',
  });
  test('read of a mounted secret by a process other than the workload\'s', () => {
    const token = '/var/run/secrets/kubernetes.io/serviceaccount/token';
    expect(fire({ ...open(token, true), 'proc.name': 'cat', 'proc.vpid': 41, 'proc.pvpid': 0 })).toEqual(['DevSecOps secret file read by unexpected process']);
    expect(fire({ ...open('/etc/secrets/db/password', true), 'proc.name': 'python', 'proc.vpid': 52, 'proc.pvpid': 40 })).toEqual(['DevSecOps secret file read by unexpected process']);
    expect(fire({ ...open(token, true), 'proc.name': 'java', 'proc.vpid': 1 })).toEqual([]);
    expect(fire({ ...open('/etc/secrets/db/password', true), 'proc.name': 'worker', 'proc.vpid': 9, 'proc.pvpid': 1 })).toEqual([]);
    expect(fire({ ...open('/etc/secretsabc/x', true), 'proc.name': 'cat', 'proc.vpid': 41 })).toEqual([]);
  });

  test('writes below binary directories', () => {
    expect(fire({ ...open('/usr/bin/curl', false), 'proc.name': 'java' })).toEqual(['DevSecOps write below binary directory in sensitive container']);
    expect(fire({ ...open('/tmp/cache', false), 'proc.name': 'java' })).toEqual([]);
    expect(fire({ ...open('/usr/bin/curl', true), 'proc.name': 'java' })).toEqual([]);
  });

  test('package managers run in a container', () => {
    expect(fire({ 'evt.type': 'execve', 'proc.name': 'apt-get', 'proc.vpid': 30 })).toEqual(['DevSecOps package manager run in sensitive container']);
    expect(fire({ 'evt.type': 'execve', 'proc.name': 'apk', 'proc.vpid': 30 })).toEqual(['DevSecOps package manager run in sensitive container']);
  });
});

describe('the synth-time rule check', () => {
  const base = platformRules(INPUT);
  const rule = (condition: string, output = 'x %proc.name') => ({ name: 'Bank rule', description: 'test rule', condition, output, priority: FalcoPriority.WARNING });

  test('the platform rules are well formed and carry the Falco rule keys', () => {
    expect(checkRulesFile(base)).toEqual([]);
    const items = renderRulesFile(base);
    expect(items[0]).toEqual({ required_engine_version: '0.57.0' });
    const keys = new Set(items.flatMap((i) => Object.keys(i)));
    expect([...keys].sort()).toEqual(['condition', 'desc', 'items', 'list', 'macro', 'output', 'priority', 'required_engine_version', 'rule', 'source', 'tags']);
    expect(base.lists[0]).toEqual({ name: 'devsecops_sensitive_namespaces', items: ['payments', 'cards'] });
  });

  test.each([
    ['an unknown field', rule('spawned_process and proc.nmae = bash'), 'rule "Bank rule": "proc.nmae" is not a Falco field'],
    ['an unknown output field', rule('spawned_process', 'x %proc.nmae'), 'rule "Bank rule": output field "%proc.nmae" is not a Falco field'],
    ['a macro that does not exist', rule('spawned_process and shell_spawned_in_payments'), 'rule "Bank rule": macro "shell_spawned_in_payments" is defined neither in the upstream ruleset nor by the platform'],
    ['an undefined platform list', rule('proc.name in (devsecops_allowed_tools)'), 'rule "Bank rule": list "devsecops_allowed_tools" is not defined'],
    ['a syntax error', rule('spawned_process and (proc.name = bash'), 'rule "Bank rule": the condition does not parse'],
    ['an operator without a value', rule('proc.name ='), 'rule "Bank rule": the condition does not parse'],
  ])('refuses %s, naming the rule', (_what, r, message) => {
    const problems = checkRulesFile({ ...base, rules: [...base.rules, r] });
    expect(problems.length).toBe(1);
    expect(problems[0]).toContain(message);
  });

  test('a duplicate rule and a bad priority are refused', () => {
    const dup = checkRulesFile({ ...base, rules: [...base.rules, base.rules[0]] });
    expect(dup).toEqual([`rule "${base.rules[0].name}": defined twice`]);
    const bad = checkRulesFile({ ...base, rules: [{ ...rule('spawned_process'), priority: 'SEVERE' as FalcoPriority }] });
    expect(bad).toEqual(['rule "Bank rule": priority "SEVERE" is not a Falco priority']);
  });
});
