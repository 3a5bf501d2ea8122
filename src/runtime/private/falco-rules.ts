import { FalcoList, FalcoMacro, FalcoPriority, FalcoRule } from '../falco-rule';
import { FalcoSyntaxError, outputFields, parseFalcoCondition, referencesOf } from './falco-condition';
import { isFalcoField } from './falco-fields';
import { UPSTREAM_ENGINE_VERSION, UPSTREAM_LISTS, UPSTREAM_MACROS } from './falco-upstream';

/** Falco priorities from most to least severe. */
export const FALCO_PRIORITY_ORDER: FalcoPriority[] = [
  FalcoPriority.EMERGENCY, FalcoPriority.ALERT, FalcoPriority.CRITICAL, FalcoPriority.ERROR,
  FalcoPriority.WARNING, FalcoPriority.NOTICE, FalcoPriority.INFORMATIONAL, FalcoPriority.DEBUG,
];

/** The priority named `p` (`INFO` is `INFORMATIONAL`). */
export function falcoPriorityOf(p: string): FalcoPriority | undefined {
  const upper = p.trim().toUpperCase();
  if (upper === 'INFO') return FalcoPriority.INFORMATIONAL;
  return FALCO_PRIORITY_ORDER.find((x) => x === upper);
}

/** Prefix of every macro and list the platform defines. */
export const PLATFORM_PREFIX = 'devsecops_';
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A rules file as Falco loads it: `required_engine_version`, then lists, macros and rules. */
export interface FalcoRulesFile {
  readonly lists: FalcoList[];
  readonly macros: FalcoMacro[];
  readonly rules: FalcoRule[];
}

/** What the platform's rules are generated from. */
export interface PlatformRulesInput {
  /** Namespaces of the SENSITIVE tier (sorted, at least one). */
  readonly sensitiveNamespaces: string[];
  /** External networks SENSITIVE pods are expected to connect to (CIDRs). */
  readonly expectedEgressNetworks: string[];
  /** Directories secret files are mounted under (each ending in "/"). */
  readonly secretMountPaths: string[];
}

/**
 * The platform's rules for the seed's threats, scoped to the SENSITIVE namespaces: a shell in a
 * sensitive container, an unexpected outbound connection, a read of a mounted secret by a process
 * other than the workload's, a write below a binary directory, a package manager run.
 */
export function platformRules(input: PlatformRulesInput): FalcoRulesFile {
  const p = PLATFORM_PREFIX;
  const lists: FalcoList[] = [
    { name: `${p}sensitive_namespaces`, items: [...input.sensitiveNamespaces] },
    { name: `${p}secret_mount_paths`, items: [...input.secretMountPaths] },
    { name: `${p}binary_dirs`, items: ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'] },
  ];
  if (input.expectedEgressNetworks.length > 0) {
    lists.push({ name: `${p}expected_egress_networks`, items: input.expectedEgressNetworks.map((c) => `"${c}"`) });
  }
  const macros: FalcoMacro[] = [
    { name: `${p}sensitive_ns`, condition: `(container and k8s.ns.name in (${p}sensitive_namespaces))` },
    // The workload's own processes: the container's entrypoint (PID 1 in its PID namespace) and
    // its direct children. `kubectl exec` sessions and their children have other parents.
    { name: `${p}workload_process`, condition: '(proc.vpid = 1 or proc.pvpid = 1)' },
    { name: `${p}secret_file`, condition: `(fd.name pmatch (${p}secret_mount_paths))` },
  ];
  const who = 'ns=%k8s.ns.name pod=%k8s.pod.name container=%container.name image=%container.image.repository process=%proc.name parent=%proc.pname command=%proc.cmdline user=%user.name';
  const egressException = input.expectedEgressNetworks.length > 0 ? ` and not fd.snet in (${p}expected_egress_networks)` : '';
  const rules: FalcoRule[] = [
    {
      name: 'DevSecOps shell in sensitive container',
      description: 'A shell ran in a container of a SENSITIVE namespace (payments): workloads there never need one; an attacker or an operator bypassing change control does.',
      condition: `spawned_process and ${p}sensitive_ns and proc.name in (shell_binaries)`,
      output: `Shell in sensitive container | shell=%proc.name ${who}`,
      priority: FalcoPriority.CRITICAL,
      tags: ['devsecops', 'container', 'shell', 'mitre_execution', 'T1059'],
    },
    {
      name: 'DevSecOps unexpected outbound connection from sensitive namespace',
      description: 'A process in a SENSITIVE namespace connected to a public address outside the networks it is expected to reach (data exfiltration, command and control).',
      condition: `outbound and ${p}sensitive_ns${egressException}`,
      output: `Unexpected outbound connection from sensitive namespace | connection=%fd.name rip=%fd.rip rport=%fd.rport proto=%fd.l4proto ${who}`,
      priority: FalcoPriority.CRITICAL,
      tags: ['devsecops', 'container', 'network', 'mitre_exfiltration', 'T1041'],
    },
    {
      name: 'DevSecOps secret file read by unexpected process',
      description: 'A mounted secret (service account token or a secret volume) in a SENSITIVE namespace was read by a process other than the workload\'s entrypoint and its children.',
      condition: `open_read and ${p}sensitive_ns and ${p}secret_file and not ${p}workload_process`,
      output: `Secret file read by unexpected process | file=%fd.name vpid=%proc.vpid ${who}`,
      priority: FalcoPriority.CRITICAL,
      tags: ['devsecops', 'container', 'filesystem', 'mitre_credential_access', 'T1552.001'],
    },
    {
      name: 'DevSecOps write below binary directory in sensitive container',
      description: 'A file below a binary directory was opened for writing in a SENSITIVE container: images are immutable, so this is tampering or a dropped payload.',
      condition: `open_write and ${p}sensitive_ns and fd.directory in (${p}binary_dirs)`,
      output: `Write below binary directory in sensitive container | file=%fd.name ${who}`,
      priority: FalcoPriority.ERROR,
      tags: ['devsecops', 'container', 'filesystem', 'mitre_persistence', 'T1543'],
    },
    {
      name: 'DevSecOps package manager run in sensitive container',
      description: 'A package manager ran in a SENSITIVE container: software must come from the signed image the supply chain built, never be installed at run time.',
      condition: `spawned_process and ${p}sensitive_ns and proc.name in (package_mgmt_binaries)`,
      output: `Package manager run in sensitive container | ${who}`,
      priority: FalcoPriority.ERROR,
      tags: ['devsecops', 'container', 'process', 'software_mgmt', 'mitre_persistence', 'T1072'],
    },
  ];
  return { lists, macros, rules };
}

/**
 * Problems of a rules file loaded after the pinned upstream ruleset, each naming the rule, macro
 * or list: conditions that do not parse, fields Falco does not have, macros defined neither
 * upstream nor here, platform lists (`devsecops_*`) that are not defined, bad names, priorities
 * and empty lists. Empty when the file is good.
 */
export function checkRulesFile(file: FalcoRulesFile): string[] {
  const problems: string[] = [];
  const macros = new Set<string>(UPSTREAM_MACROS);
  const lists = new Set<string>(UPSTREAM_LISTS);
  const seen = new Set<string>();
  for (const l of file.lists) {
    if (!NAME.test(l?.name ?? '')) problems.push(`list ${JSON.stringify(l?.name)}: the name must be letters, digits and "_"`);
    else if (!Array.isArray(l.items)) problems.push(`list "${l.name}": items must be a list`);
    else if (l.items.some((i) => typeof i !== 'string' || i.length === 0)) problems.push(`list "${l.name}": every item must be a non-empty string`);
    lists.add(l?.name);
  }
  for (const m of file.macros) {
    if (!NAME.test(m?.name ?? '')) problems.push(`macro ${JSON.stringify(m?.name)}: the name must be letters, digits and "_"`);
    if (seen.has(`macro:${m?.name}`)) problems.push(`macro "${m.name}": defined twice`);
    seen.add(`macro:${m?.name}`);
    macros.add(m?.name);
  }
  const checkCondition = (what: string, condition: string) => {
    let refs;
    try {
      refs = referencesOf(parseFalcoCondition(condition));
    } catch (e) {
      problems.push(`${what}: the condition does not parse (${e instanceof FalcoSyntaxError ? e.message : String(e)})`);
      return;
    }
    for (const f of refs.fields) if (!isFalcoField(f)) problems.push(`${what}: "${f}" is not a Falco field`);
    for (const m of refs.macros) if (!macros.has(m)) problems.push(`${what}: macro "${m}" is defined neither in the upstream ruleset nor by the platform`);
    for (const i of refs.listItems) {
      if (i.startsWith(PLATFORM_PREFIX) && !lists.has(i)) problems.push(`${what}: list "${i}" is not defined`);
    }
  };
  for (const m of file.macros) checkCondition(`macro "${m?.name}"`, m?.condition);
  for (const r of file.rules) {
    const what = `rule "${r?.name}"`;
    if (typeof r?.name !== 'string' || r.name.trim() === '') { problems.push(`rule ${JSON.stringify(r?.name)}: needs a name`); continue; }
    if (seen.has(`rule:${r.name}`)) problems.push(`${what}: defined twice`);
    seen.add(`rule:${r.name}`);
    if (typeof r.description !== 'string' || r.description.trim() === '') problems.push(`${what}: needs a description`);
    if (!FALCO_PRIORITY_ORDER.includes(r.priority)) problems.push(`${what}: priority ${JSON.stringify(r.priority)} is not a Falco priority`);
    if (typeof r.output !== 'string' || r.output.trim() === '') problems.push(`${what}: needs an output`);
    else for (const f of outputFields(r.output)) if (!isFalcoField(f)) problems.push(`${what}: output field "%${f}" is not a Falco field`);
    checkCondition(what, r.condition);
  }
  return problems;
}

/** The rules file as the items Falco reads (also the Rulesfile's `inlineRules`). */
export function renderRulesFile(file: FalcoRulesFile): any[] {
  return [
    { required_engine_version: UPSTREAM_ENGINE_VERSION },
    ...file.lists.map((l) => ({ list: l.name, items: [...l.items] })),
    ...file.macros.map((m) => ({ macro: m.name, condition: m.condition })),
    ...file.rules.map((r) => ({
      rule: r.name,
      desc: r.description,
      condition: r.condition,
      output: r.output,
      priority: r.priority,
      source: 'syscall',
      ...(r.tags && r.tags.length > 0 ? { tags: [...r.tags] } : {}),
    })),
  ];
}

/** Rule counts by priority (most severe first, zero counts left out). */
export function countByPriority(priorities: string[]): { [priority: string]: number } {
  const out: { [priority: string]: number } = {};
  for (const p of FALCO_PRIORITY_ORDER) {
    const n = priorities.filter((x) => x === p || (p === FalcoPriority.INFORMATIONAL && x === 'INFO')).length;
    if (n > 0) out[p] = n;
  }
  return out;
}
