import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  BuiltInPolicy, DevSecOpsPlatform, KpackClusterLifecycle, KpackClusterStack, KpackClusterStore, KpackGitSource, NetworkPeer,
  NetworkPort, PolicyCatalog, PolicyEnforcement, PolicyEvaluator, PolicyExemption, PodSecurityLevel, Tenant, Tier, Weakening,
} from '../../src';
import { keyPair } from '../registry/fixtures';
import { named } from '../util';

const HOST = 'harbor.bank.example';
const ACK = Weakening.acknowledge('RISK-231: reviewed by the security board, expires Q3');

function tmpApp(): { app: App; outdir: string } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weakening-')), 'dist');
  return { app: new App({ outdir }), outdir };
}

function platformOf(app: App, extra: Partial<ConstructorParameters<typeof DevSecOpsPlatform>[2]> = {}): DevSecOpsPlatform {
  return new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST }, ...extra });
}

function readOutput(outdir: string): { objects: any[]; report: any } {
  const objects = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJSON()));
  return { objects, report: JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'policy-report.json'), 'utf8')) };
}

/** Builds with `build`; expects the program or its synth to fail, nothing written; returns the message. */
function refused(build: (platform: DevSecOpsPlatform) => void, extra: Partial<ConstructorParameters<typeof DevSecOpsPlatform>[2]> = {}): string {
  const { app, outdir } = tmpApp();
  let message = '';
  try {
    build(platformOf(app, extra));
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).not.toBe('');
  expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]);
  return message;
}

const FIX = 'acknowledge the weakening';

describe('bad input: a weakening without an acknowledgement is refused, with the path, the value and the fix; nothing is written', () => {
  test.each([
    [Tier.SENSITIVE, { enforce: PodSecurityLevel.BASELINE }, 'enforce', 'baseline', 'restricted'],
    [Tier.STANDARD, { enforce: PodSecurityLevel.PRIVILEGED }, 'enforce', 'privileged', 'restricted'],
    [Tier.DEV, { enforce: PodSecurityLevel.PRIVILEGED }, 'enforce', 'privileged', 'baseline'],
    [Tier.DEV, { enforce: PodSecurityLevel.BASELINE, warn: PodSecurityLevel.BASELINE }, 'warn', 'baseline', 'restricted'],
    [Tier.SENSITIVE, { enforce: PodSecurityLevel.RESTRICTED, audit: PodSecurityLevel.PRIVILEGED }, 'audit', 'privileged', 'restricted'],
  ])('%s tenant with Pod Security %j', (tier, podSecurity, mode, got, level) => {
    expect(refused((p) => p.addTenant('payments', { tier, team: 't', podSecurity })))
      .toBe(`[bank/payments] 'podSecurity.${mode}' is below the ${tier.toUpperCase()} tier's Pod Security level "${level}", got "${got}"; `
        + `keep "${level}", or ${FIX}: podSecurity: { ..., weakening: Weakening.acknowledge("<ticket and reason>") }`);
  });

  test.each([
    ['0.0.0.0/0', 'opens SENSITIVE egress to every address'],
    ['::/0', 'opens SENSITIVE egress to every address'],
    ['10.0.0.0/8', 'is wider than the SENSITIVE egress limit /16 (egressPrefixLimit.ipv4)'],
    ['2001:db8::/32', 'is wider than the SENSITIVE egress limit /48 (egressPrefixLimit.ipv6)'],
  ])('SENSITIVE egress to %s', (cidr, problem) => {
    expect(refused((p) => p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't' }).allowTo(NetworkPeer.cidr(cidr), [NetworkPort.tcp(443)])))
      .toBe(`[bank/payments] 'allowTo.peer' ${problem}, got "cidr ${cidr}"; name the narrower destination, or ${FIX}: `
        + '{ weakening: Weakening.acknowledge("<ticket and reason>") } in the rule\'s options');
  });

  test('SENSITIVE egress wider than a configured egressPrefixLimit', () => {
    expect(refused((p) => p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't', egressPrefixLimit: { ipv4: 24 } })
      .allowTo(NetworkPeer.cidr('10.40.0.0/16'), [NetworkPort.tcp(5432)])))
      .toMatch(/^\[bank\/payments\] 'allowTo\.peer' is wider than the SENSITIVE egress limit \/24 \(egressPrefixLimit\.ipv4\), got "cidr 10\.40\.0\.0\/16"; /);
  });

  test('an egressPrefixLimit that is not a prefix length', () => {
    expect(refused((p) => p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't', egressPrefixLimit: { ipv4: 33 } })))
      .toBe('[bank/payments] \'egressPrefixLimit.ipv4\' must be a prefix length from 0 to 32, got 33; use a whole number such as 16');
  });

  test.each([Tier.SENSITIVE, Tier.STANDARD, Tier.DEV])('%s ingress from every namespace, egress to every namespace, ingress from every address', (tier) => {
    const ns = NetworkPeer.allNamespaces({ 'app.kubernetes.io/name': 'ingress-nginx' });
    expect(refused((p) => p.addTenant('web', { tier, team: 't' }).allowFrom(ns, [NetworkPort.tcp(8443)])))
      .toBe(`[bank/web] 'allowFrom.peer' admits every namespace of the cluster, got "every namespace{app.kubernetes.io/name=ingress-nginx}"; name the narrower destination, or ${FIX}: `
        + '{ weakening: Weakening.acknowledge("<ticket and reason>") } in the rule\'s options');
    expect(refused((p) => p.addTenant('web', { tier, team: 't' }).allowTo(NetworkPeer.allNamespaces(), [NetworkPort.tcp(8443)])))
      .toMatch(/^\[bank\/web\] 'allowTo\.peer' admits every namespace of the cluster, got "every namespace"; /);
    expect(refused((p) => p.addTenant('web', { tier, team: 't' }).allowFrom(NetworkPeer.cidr('0.0.0.0/0'), [NetworkPort.tcp(8443)])))
      .toMatch(/^\[bank\/web\] 'allowFrom\.peer' admits every address, pods of every namespace included, got "cidr 0\.0\.0\.0\/0"; /);
  });

  test('SENSITIVE build egress (builds.egress) wider than the limit, at addImage', () => {
    const pinned = (n: string) => `${HOST}/platform/${n}@sha256:${'a'.repeat(64)}`;
    const extra = {
      registry: { host: HOST, harbor: { providerCredentialsSecretName: 'creds' } },
      signing: { key: keyPair() },
      builds: { egress: [{ peer: NetworkPeer.cidr('0.0.0.0/0'), ports: [NetworkPort.tcp(443)] }] },
    };
    const message = refused((p) => {
      const payments = p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't' });
      const builder = p.addBuilder('b', {
        stack: new KpackClusterStack(p.components, 's', { stackId: 'io.buildpacks.stacks.jammy', buildImage: pinned('build'), runImage: pinned('run') }),
        store: new KpackClusterStore(p.components, 'st', { buildpackages: [{ image: pinned('java'), buildpackIds: ['paketo-buildpacks/java'] }] }),
        lifecycle: new KpackClusterLifecycle(p.components, 'l', { image: pinned('lifecycle') }),
        order: [{ group: [{ id: 'paketo-buildpacks/java' }] }],
      });
      p.addImage(payments, 'ledger', { builder, source: KpackGitSource.branch('https://git.bank.example/l.git', 'main') });
    }, extra);
    expect(message).toMatch(/^\[bank\/payments\] 'allowTo\.peer' opens SENSITIVE egress to every address, got "cidr 0\.0\.0\.0\/0"; /);
  });

  test.each([
    ['policy.enforcementOverrides', (_p: DevSecOpsPlatform) => undefined, { policy: { enforcementOverrides: [{ policy: BuiltInPolicy.PRIVILEGED_CONTAINERS, tier: Tier.SENSITIVE, enforcement: PolicyEnforcement.WARN }] } }],
    ['policies.overrideEnforcement', (p: DevSecOpsPlatform) => p.policies.overrideEnforcement(BuiltInPolicy.PRIVILEGED_CONTAINERS, Tier.SENSITIVE, PolicyEnforcement.WARN), {}],
    ['the constraint itself', (p: DevSecOpsPlatform) => p.policies.constraint(BuiltInPolicy.PRIVILEGED_CONTAINERS, Tier.SENSITIVE).overrideEnforcement(PolicyEnforcement.WARN), {}],
  ])('a SENSITIVE deny lowered to warn through %s', (_how, build, extra) => {
    expect(refused(build as any, extra as any))
      .toBe('[bank/components/policies/privileged-containers/sensitive] \'enforcement\' lowers a policy of the SENSITIVE tier from deny, so violations would be admitted, got "warn"; '
        + 'keep PolicyEnforcement.DENY, or acknowledge the weakening: overrideEnforcement(policy, tier, enforcement, Weakening.acknowledge("<ticket and reason>")) '
        + '(or `weakening` in policy.enforcementOverrides)');
  });

  test('a SENSITIVE deny lowered to dryrun', () => {
    expect(refused((p) => p.policies.overrideEnforcement(BuiltInPolicy.HOST_PATH, Tier.SENSITIVE, PolicyEnforcement.DRYRUN)))
      .toMatch(/^\[bank\/components\/policies\/host-path\/sensitive\] 'enforcement' lowers a policy of the SENSITIVE tier from deny, so violations would be admitted, got "dryrun"; /);
  });

  test.each([
    ['the Gatekeeper Config', (p: DevSecOpsPlatform) => p.policies.config.addExemption(PolicyExemption.namespaces(['payments'], 'legacy batch jobs run as root')),
      '[bank/components/policies/Config]', 'tenant namespace payments', '{"kind":"namespaces","namespaces":["payments"],"reason":"legacy batch jobs run as root"}'],
    ['a glob in a catalog constraint', (p: DevSecOpsPlatform) => p.policies.addExemption(BuiltInPolicy.HOST_PATH, PolicyExemption.namespaces(['pay*'], 'node log collectors live here'), Tier.SENSITIVE),
      '[bank/components/policies/host-path/sensitive]', 'tenant namespace payments', '{"kind":"namespaces","namespaces":["pay*"],"reason":"node log collectors live here"}'],
    ['a label in a catalog constraint', (p: DevSecOpsPlatform) => p.policies.addExemption(BuiltInPolicy.HOST_PATH, PolicyExemption.labelledObjects('exempt', 'true', 'node log collectors run here'), Tier.STANDARD),
      '[bank/components/policies/host-path/standard]', 'labelled objects in every tenant of the tier', '{"kind":"labelled-objects","label":"exempt=true","reason":"node log collectors run here"}'],
  ])('a tenant namespace exempted through %s, at synth', (_how, exempt, where, what, value) => {
    const message = refused((p) => {
      p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't' });
      exempt(p);
    });
    expect(message).toBe('Validation failed with the following errors:\n  '
      + `[bank] ${where} 'exemption' exempts ${what} from policy, got ${value}; narrow the exemption to the objects that need it, or ${FIX}: `
      + 'PolicyExemption.namespaces(namespaces, reason, Weakening.acknowledge("<ticket and reason>"))');
  });

  test('an acknowledgement without a real reason', () => {
    expect(refused((p) => p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't', podSecurity: { enforce: PodSecurityLevel.BASELINE, weakening: Weakening.acknowledge('  ok ') } })))
      .toBe('[bank/payments] \'podSecurity.weakening.reason\' must say why the weakening is accepted (at least 10 characters), got "ok"; '
        + 'write the reason an auditor will read, e.g. Weakening.acknowledge("RISK-231: vendor agent needs it until Q3")');
    expect(refused((p) => p.addTenant('payments', { tier: Tier.SENSITIVE, team: 't' }).allowTo(NetworkPeer.cidr('0.0.0.0/0'), [NetworkPort.tcp(443)], { weakening: 'yes' as any })))
      .toBe('[bank/payments] \'allowTo.options.weakening\' must be a Weakening, got "yes"; use Weakening.acknowledge("<reason>")');
  });
});

describe('defaults: what is not a weakening', () => {
  test('the tier\'s own levels, narrow egress, STANDARD and DEV egress anywhere, STANDARD overrides and component exemptions need no acknowledgement', () => {
    const app = Testing.app();
    const platform = platformOf(app, {
      policy: { enforcementOverrides: [{ policy: BuiltInPolicy.HOST_PATH, tier: Tier.STANDARD, enforcement: PolicyEnforcement.WARN }] },
    });
    const dev = platform.addTenant('sandbox', { tier: Tier.DEV, team: 't', podSecurity: { enforce: PodSecurityLevel.BASELINE } });
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 't', podSecurity: { enforce: PodSecurityLevel.RESTRICTED } });
    payments.allowTo(NetworkPeer.cidr('10.40.0.0/16'), [NetworkPort.tcp(5432)]);
    payments.allowTo(NetworkPeer.cidr('2001:db8:1::/48'), [NetworkPort.tcp(443)]);
    platform.addTenant('core', { tier: Tier.STANDARD, team: 't' }).allowTo(NetworkPeer.cidr('0.0.0.0/0'), [NetworkPort.tcp(443)]);
    dev.allowTo(NetworkPeer.cidr('::/0'), [NetworkPort.tcp(443)]);
    platform.policies.config.addExemption(PolicyExemption.namespaces(['monitoring'], 'the monitoring stack is not a tenant'));
    expect(() => app.synth()).not.toThrow();
    expect(PolicyEvaluator.evaluateApp(app).acknowledgedWeakenings).toEqual([]);
  });
});

describe('an acknowledged weakening is accepted, written on its object and listed in the policy report', () => {
  const { app, outdir } = tmpApp();
  const platform = platformOf(app, {
    policy: {
      enforcementOverrides: [
        { policy: BuiltInPolicy.READ_ONLY_ROOT_FILESYSTEM, tier: Tier.SENSITIVE, enforcement: PolicyEnforcement.WARN, weakening: ACK },
      ],
    },
  });
  const legacy = platform.addTenant('legacy', { tier: Tier.SENSITIVE, team: 't', podSecurity: { enforce: PodSecurityLevel.BASELINE, weakening: ACK } });
  legacy.allowTo(NetworkPeer.cidr('0.0.0.0/0'), [NetworkPort.tcp(443)], { weakening: ACK });
  const web = platform.addTenant('web', { tier: Tier.STANDARD, team: 't' });
  web.allowFrom(NetworkPeer.allNamespaces({ app: 'ingress' }), [NetworkPort.tcp(8443)], { weakening: ACK });
  platform.policies.config.addExemption(PolicyExemption.namespaces(['web'], 'vendor appliance, see RISK-231', ACK));
  app.synth();
  const { objects, report } = readOutput(outdir);
  const records = (kind: string, name: string) =>
    JSON.parse(objects.find((o) => o.kind === kind && o.metadata.name === name).metadata.annotations[Weakening.ANNOTATION]);
  const reason = ACK.reason;

  test('Pod Security below the tier, on the Namespace', () => {
    expect(named(objects, 'Namespace', 'legacy').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(records('Namespace', 'legacy')).toEqual([{ weakening: 'pod-security-below-tier', detail: 'Pod Security enforce=baseline (tier sensitive: restricted)', reason }]);
  });

  test('wide egress and ingress from every namespace, on the NetworkPolicy that carries the rule', () => {
    expect(records('NetworkPolicy', 'allow-egress-to-cidr')).toEqual([{ weakening: 'wide-egress', detail: 'egress to cidr 0.0.0.0/0 on 443/TCP', reason }]);
    const ingress = named(objects, 'NetworkPolicy', 'allow-ingress-from-all-namespaces', 'web');
    expect(ingress.spec.ingress).toEqual([{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'ingress' } } }], ports: [{ protocol: 'TCP', port: 8443 }] }]);
    expect(records('NetworkPolicy', 'allow-ingress-from-all-namespaces')).toEqual([{ weakening: 'all-namespaces', detail: 'ingress from every namespace{app=ingress} on 8443/TCP', reason }]);
  });

  test('the lowered enforcement, on the constraint', () => {
    expect(named(objects, 'DevSecOpsReadOnlyRootFilesystem', 'read-only-root-filesystem-sensitive').spec.enforcementAction).toBe('warn');
    expect(records('DevSecOpsReadOnlyRootFilesystem', 'read-only-root-filesystem-sensitive')).toEqual([{
      weakening: 'enforcement-below-deny', detail: 'DevSecOpsReadOnlyRootFilesystem "read-only-root-filesystem-sensitive" enforcement warn in the SENSITIVE tier', reason,
    }]);
  });

  test('the tenant exemption, on the Gatekeeper Config', () => {
    expect(records('Config', 'config')).toEqual([{ weakening: 'tenant-exemption', detail: 'Config/config exempts namespaces web', reason }]);
  });

  test('all of them in policy-report.json, with the object and its construct path', () => {
    const listed = report.acknowledgedWeakenings.map((w: any) => [w.weakening, w.objectKind, w.objectName, w.constructPath, w.reason]);
    expect(listed).toEqual(expect.arrayContaining([
      ['pod-security-below-tier', 'Namespace', 'legacy', 'bank/legacy/Resource', reason],
      ['wide-egress', 'NetworkPolicy', 'allow-egress-to-cidr', 'bank/legacy/AllowEgress-cidr', reason],
      ['all-namespaces', 'NetworkPolicy', 'allow-ingress-from-all-namespaces', 'bank/web/AllowIngress-all-namespaces', reason],
      ['enforcement-below-deny', 'DevSecOpsReadOnlyRootFilesystem', 'read-only-root-filesystem-sensitive', 'bank/components/policies/read-only-root-filesystem/sensitive/Resource', reason],
      ['tenant-exemption', 'Config', 'config', 'bank/components/policies/Config/Resource', reason],
    ]));
    expect(report.acknowledgedWeakenings).toHaveLength(5);
  });

  test('restoring deny removes the record', () => {
    const a = Testing.app();
    const p = platformOf(a);
    p.policies.overrideEnforcement(BuiltInPolicy.HOST_PATH, Tier.SENSITIVE, PolicyEnforcement.WARN, ACK);
    p.policies.overrideEnforcement(BuiltInPolicy.HOST_PATH, Tier.SENSITIVE, PolicyEnforcement.DENY);
    expect(PolicyEvaluator.evaluateApp(a).acknowledgedWeakenings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: every weakening in the output appears in the report
// ---------------------------------------------------------------------------------------------

const RANK: { [l: string]: number } = { privileged: 0, baseline: 1, restricted: 2 };
const TIER_ENFORCE: { [t: string]: string } = { sensitive: 'restricted', standard: 'restricted', dev: 'baseline' };

/**
 * Finds the weakenings in synthesized manifests by reading them, without the library's help:
 * `<weakening> <Kind>/<name>` for each object that carries one.
 */
function weakeningsIn(objects: any[]): string[] {
  const tiers = new Map<string, string>();
  for (const o of objects) if (o.kind === 'Namespace' && o.metadata.labels?.['devsecops.cdk8s.io/tier']) tiers.set(o.metadata.name, o.metadata.labels['devsecops.cdk8s.io/tier']);
  const out = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.name}`;
    const tier = tiers.get(o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace);
    if (o.kind === 'Namespace' && tier) {
      const l = o.metadata.labels;
      const tierLevel = { enforce: TIER_ENFORCE[tier], audit: 'restricted', warn: 'restricted' } as any;
      for (const m of ['enforce', 'audit', 'warn']) if (RANK[l[`pod-security.kubernetes.io/${m}`]] < RANK[tierLevel[m]]) out.add(`pod-security-below-tier ${id}`);
    }
    if (o.kind === 'NetworkPolicy' && tier) {
      for (const rule of o.spec.ingress ?? []) {
        for (const peer of rule.from ?? []) {
          if ((peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0) || /\/0$/.test(peer.ipBlock?.cidr ?? '')) out.add(`all-namespaces ${id}`);
        }
      }
      for (const rule of o.spec.egress ?? []) {
        for (const peer of rule.to ?? []) {
          if (peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0) out.add(`all-namespaces ${id}`);
          const cidr: string | undefined = peer.ipBlock?.cidr;
          if (cidr && tier === 'sensitive' && Number(cidr.split('/')[1]) < (cidr.includes(':') ? 48 : 16)) out.add(`wide-egress ${id}`);
        }
      }
    }
    if (o.apiVersion?.startsWith('constraints.gatekeeper.sh/') && o.spec?.match?.namespaceSelector?.matchLabels?.['devsecops.cdk8s.io/tier'] === 'sensitive'
      && (o.spec.enforcementAction ?? 'deny') !== 'deny') out.add(`enforcement-below-deny ${id}`);
    const excluded: string[] = o.kind === 'Config' ? (o.spec.match ?? []).flatMap((m: any) => m.excludedNamespaces ?? []) : (o.spec?.match?.excludedNamespaces ?? []);
    const glob = (p: string, v: string) => (p.endsWith('*') ? v.startsWith(p.slice(0, -1)) : p.startsWith('*') ? v.endsWith(p.slice(1)) : p === v);
    if (excluded.some((p) => [...tiers.keys()].some((t) => glob(p, t)))) out.add(`tenant-exemption ${id}`);
  }
  return [...out].sort();
}

const weakeningChoice = fc.record({
  tier: fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV),
  podSecurity: fc.option(fc.constantFrom(PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED), { nil: undefined }),
  egress: fc.option(fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '10.40.0.0/16', '10.40.1.0/24', '2001:db8::/32'), { nil: undefined }),
  ingressAll: fc.boolean(),
  exempt: fc.boolean(),
});

describe('property: over random platforms', () => {
  test('every weakening in the synthesized output appears in policy-report.json, with its reason', () => {
    fc.assert(fc.property(fc.array(weakeningChoice, { minLength: 1, maxLength: 4 }), fc.subarray([...PolicyCatalog.POLICIES]), (tenants, lowered) => {
      const { app, outdir } = tmpApp();
      const overrides = lowered.map((policy) => ({ policy, tier: Tier.SENSITIVE, enforcement: PolicyEnforcement.DRYRUN, weakening: Weakening.acknowledge(`lowered ${policy} for the pilot`) }));
      const platform = platformOf(app, { policy: { enforcementOverrides: overrides } });
      tenants.forEach((spec, i) => {
        const name = `t${i}`;
        const t: Tenant = platform.addTenant(name, {
          tier: spec.tier,
          team: 'team',
          ...(spec.podSecurity ? { podSecurity: { enforce: spec.podSecurity, weakening: Weakening.acknowledge(`pss for ${name} accepted`) } } : {}),
        });
        if (spec.egress) t.allowTo(NetworkPeer.cidr(spec.egress), [NetworkPort.tcp(443)], { weakening: Weakening.acknowledge(`egress for ${name} accepted`) });
        if (spec.ingressAll) t.allowFrom(NetworkPeer.allNamespaces(), [NetworkPort.tcp(8443)], { weakening: Weakening.acknowledge(`ingress for ${name} accepted`) });
        if (spec.exempt) {
          platform.policies.addExemption(BuiltInPolicy.HOST_PATH,
            PolicyExemption.namespaces([name], `exempt ${name} for the pilot`, Weakening.acknowledge(`exemption for ${name} accepted`)), spec.tier);
        }
      });
      app.synth();
      const { objects, report } = readOutput(outdir);
      const found = weakeningsIn(objects);
      const reported = new Set(report.acknowledgedWeakenings.map((w: any) => `${w.weakening} ${w.objectKind}/${w.objectName}`));
      for (const w of found) expect(reported).toContain(w);
      for (const w of report.acknowledgedWeakenings) expect(w.reason.length).toBeGreaterThanOrEqual(10);
      fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
    }), { numRuns: 20 });
  });
});
