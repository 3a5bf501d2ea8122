import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { buildBankPlatform } from '../../examples/bank-platform/platform';
import { PolicyCatalog, PolicyEnforcement, PolicyGate, Tier, WorkloadParams } from '../../src';
import { HAS_SHARED, kubeValidate, named, ofKind, readTree, synthObjects, synthToDir } from '../util';

const TENANTS = ['payments', 'core-banking', 'dev-sandbox'];

/** The objects the chain of a built workload will deploy (its Cartographer Workload's platform-config). */
function deployed(objects: any[], kind: string, name: string, namespace: string): any {
  const workload = named(objects, 'Workload', name, namespace);
  return workload.spec.params.find((p: any) => p.name === WorkloadParams.CONFIG).value.find((o: any) => o.kind === kind);
}

describe('examples/bank-platform', () => {
  const objects = synthObjects((() => {
    const app = Testing.app();
    buildBankPlatform(app);
    return app;
  })());

  test('three tenants with the seed tiers', () => {
    const tiers = Object.fromEntries(ofKind(objects, 'Namespace').map((n) => [n.metadata.name, n.metadata.labels['devsecops.cdk8s.io/tier']]));
    expect(tiers).toEqual({ 'payments': 'sensitive', 'core-banking': 'standard', 'dev-sandbox': 'dev' });
  });

  test('core-banking may call payments on 8443/TCP, and nothing else crosses tenants', () => {
    const crossing = ofKind(objects, 'NetworkPolicy').flatMap((p) => [
      ...(p.spec.egress ?? []).flatMap((r: any) => r.to.map((peer: any) => ({ dir: 'egress', ns: p.metadata.namespace, other: peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'], ports: r.ports }))),
      ...(p.spec.ingress ?? []).flatMap((r: any) => r.from.map((peer: any) => ({ dir: 'ingress', ns: p.metadata.namespace, other: peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'], ports: r.ports }))),
    ]).filter((x) => TENANTS.includes(x.other)).sort((a, b) => a.dir.localeCompare(b.dir));
    expect(crossing).toEqual([
      { dir: 'egress', ns: 'core-banking', other: 'payments', ports: [{ port: 8443, protocol: 'TCP' }] },
      { dir: 'ingress', ns: 'payments', other: 'core-banking', ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
  });

  test('build pods and the chain\'s tool pods, and only they, may reach the registry, git server and vulnerability database mirror, on 443/TCP only', () => {
    const cidrRules = ofKind(objects, 'NetworkPolicy').filter((p) => (p.spec.egress ?? []).some((r: any) => r.to.some((peer: any) => peer.ipBlock)));
    const selectors = cidrRules.map((p) => [p.metadata.namespace, Object.keys(p.spec.podSelector.matchLabels ?? {})]);
    // Never all pods of a tenant: kpack's build pods of an image, or the pods of one chain run template.
    for (const [, keys] of selectors) expect(keys.length === 1 && ['image.kpack.io/image', 'carto.run/run-template-name'].includes(keys[0] as string)).toBe(true);
    const builds = cidrRules.filter((p) => p.spec.podSelector.matchLabels['image.kpack.io/image']);
    expect(builds.map((p) => [p.metadata.namespace, p.spec.podSelector.matchLabels['image.kpack.io/image']]).sort()).toEqual([
      ['core-banking', 'accounts'],
      ['payments', 'ledger'],
    ]);
    for (const p of builds) {
      expect(p.spec.egress.map((r: any) => [r.to[0].ipBlock.cidr, r.ports])).toEqual([
        ['10.40.0.0/28', [{ port: 443, protocol: 'TCP' }]],
        ['10.40.1.0/28', [{ port: 443, protocol: 'TCP' }]],
      ]);
    }
    const grype = cidrRules.find((p) => p.metadata.namespace === 'payments' && /grype$/.test(p.spec.podSelector.matchLabels['carto.run/run-template-name'] ?? ''));
    expect(grype.spec.egress.map((r: any) => [r.to[0].ipBlock.cidr, r.ports])).toEqual([['10.40.2.0/28', [{ port: 443, protocol: 'TCP' }]]]);
    for (const p of cidrRules) for (const r of p.spec.egress) expect(r.ports).toEqual([{ port: 443, protocol: 'TCP' }]);
  });

  test('every tenant has its private Harbor project at the platform threshold; each tenant is admitted its own project, build pods the platform project', () => {
    const projects = ofKind(objects, 'Project');
    const fields = ({ spec: { forProvider: p } }: any) => [p.name, p.deploymentSecurity, p.enableContentTrustCosign, p.public];
    expect(projects.map(fields).sort()).toEqual([
      ['core-banking', 'high', true, false],
      ['dev-sandbox', 'high', false, false],
      ['payments', 'high', true, false],
      ['platform', 'high', false, false],
    ]);
    const allowed = ofKind(objects, 'DevSecOpsAllowedRepositories');
    expect(allowed).toHaveLength(3);
    const byNs = Object.assign({}, ...allowed.map((c) => c.spec.parameters.namespaceRepositories ?? {}));
    expect(byNs).toEqual({
      'payments': ['harbor.bank.example/payments'],
      'core-banking': ['harbor.bank.example/core-banking'],
      'dev-sandbox': ['harbor.bank.example/dev-sandbox'],
    });
    for (const c of allowed) expect(c.spec.parameters.repositories).toEqual([]);
    const builds = Object.assign({}, ...allowed.map((c) => c.spec.parameters.buildRepositories ?? {}));
    expect(Object.keys(builds).sort()).toEqual(['core-banking', 'payments']);
    for (const b of Object.values(builds)) expect(b).toEqual({ serviceAccountName: 'kpack-build', repositories: ['harbor.bank.example/platform'] });
  });

  test('every tenant service account pulls with the tenant\'s pull-only robot', () => {
    for (const ns of ['payments', 'core-banking', 'dev-sandbox']) {
      expect(named(objects, 'ServiceAccount', 'default', ns).imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
      const dockerConfig = named(objects, 'ExternalSecret', 'harbor-pull', ns);
      expect(dockerConfig.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
      const robot = ofKind(objects, 'RobotAccount').find((r) => r.spec.writeConnectionSecretToRef.namespace === ns && r.spec.forProvider.name === 'pull');
      expect(robot.spec.forProvider.permissions[0].access.map((a: any) => `${a.resource}:${a.action}`)).toEqual(['artifact:read', 'accessory:list', 'repository:pull'].sort());
    }
    expect(named(objects, 'ServiceAccount', 'ledger', 'payments').imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
  });

  test('the payments and core-banking workloads are built by the chain in their own projects, signed with the key admission verifies', () => {
    const built = ofKind(objects, 'Workload').map((w) => [w.metadata.namespace, w.metadata.labels['apps.tanzu.vmware.com/workload-type'],
      w.spec.params.find((p: any) => p.name === WorkloadParams.IMAGE_REPOSITORY).value]);
    expect(built.sort()).toEqual([
      ['core-banking', 'worker', 'harbor.bank.example/core-banking/accounts'],
      ['payments', 'web', 'harbor.bank.example/payments/ledger'],
    ]);
    // One chain per workload type, each selecting on the type label only.
    expect(ofKind(objects, 'ClusterSupplyChain').map((c) => [c.metadata.name, c.spec.selector]).sort()).toEqual([
      ['secure-web', { 'apps.tanzu.vmware.com/workload-type': 'web' }],
      ['secure-worker', { 'apps.tanzu.vmware.com/workload-type': 'worker' }],
    ]);
    // The chain's kpack Images build with the platform's builder under the tenant's build account, which carries the signing key.
    for (const t of ofKind(objects, 'ClusterImageTemplate').filter((x) => x.spec.template?.kind === 'Image')) {
      expect(t.spec.template.spec.builder).toEqual({ kind: 'ClusterBuilder', name: 'paketo-jammy' });
      expect(t.spec.template.spec.serviceAccountName).toBe('kpack-build');
    }
    const pem = fs.readFileSync(path.join(__dirname, '../../examples/bank-platform/cosign.pub'), 'utf8');
    for (const ns of ['payments', 'core-banking']) {
      expect(named(objects, 'ServiceAccount', 'kpack-build', ns).secrets.map((x: any) => x.name)).toContain('cosign-signing-key');
    }
    const enforce = named(objects, 'ClusterImagePolicy', 'platform-signed-images-enforce');
    expect(enforce.spec.mode).toBe('enforce');
    expect(enforce.spec.images).toEqual([{ glob: 'harbor.bank.example/core-banking/**' }, { glob: 'harbor.bank.example/payments/**' }]);
    expect(enforce.spec.authorities[0].key.data).toBe(pem);
    expect(named(objects, 'ClusterImagePolicy', 'platform-signed-images-warn').spec.images).toEqual([{ glob: 'harbor.bank.example/dev-sandbox/**' }]);
    for (const ns of ['payments', 'core-banking', 'dev-sandbox']) {
      expect(named(objects, 'Namespace', ns).metadata.labels['policy.sigstore.dev/include']).toBe('true');
    }
  });

  test('the builder is pushed to the platform project; a run-image bump rebases both images', () => {
    const builder = named(objects, 'ClusterBuilder', 'paketo-jammy');
    expect(builder.spec.tag).toBe('harbor.bank.example/platform/builders/paketo-jammy');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bank-impact-'));
    const app = new App({ outdir });
    const platform = buildBankPlatform(app);
    app.synth();
    const report = JSON.parse(fs.readFileSync(platform.buildImpact!.writeFile(), 'utf8'));
    const runImage = report.clusterStacks[0].changes.find((c: any) => c.field === 'spec.runImage.image');
    expect(runImage).toEqual({ field: 'spec.runImage.image', effect: 'REBASE', images: ['core-banking/accounts', 'payments/ledger'] });
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('secrets from Vault: the ledger\'s database credentials (dynamic) and certificate (PKI), core-banking\'s partner API key (KV); rotation restarts exactly the consumer', () => {
    const vds = named(objects, 'VaultDynamicSecret', 'ledger-db', 'payments').spec;
    expect(vds).toMatchObject({ mount: 'database', path: 'creds/payments-ledger', renewalPercent: 67, vaultAuthRef: 'vault-ledger' });
    expect(vds.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'ledger' }]);
    const pki = named(objects, 'VaultPKISecret', 'ledger-tls', 'payments').spec;
    expect(pki).toMatchObject({ role: 'payments-ledger', commonName: 'ledger.payments.svc', ttl: '72h', expiryOffset: '24h' });
    expect(pki.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'ledger' }]);
    const kv = named(objects, 'VaultStaticSecret', 'partner-api-key', 'core-banking').spec;
    expect(kv).toMatchObject({ type: 'kv-v2', path: 'core-banking/partner-api', refreshAfter: '15m' });
    expect(kv.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'accounts' }]);
    const ledger = deployed(objects, 'Deployment', 'ledger', 'payments').spec.template.spec;
    expect(ledger.containers[0].env.filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => [e.name, e.valueFrom.secretKeyRef.name])).toEqual([
      ['DB_PASSWORD', 'ledger-db'], ['DB_USERNAME', 'ledger-db'],
    ]);
    expect(ledger.volumes.map((v: any) => v.secret?.secretName).filter(Boolean)).toEqual(['ledger-tls']);
    expect(named(objects, 'VaultConnection', 'vault', 'vault-secrets-operator').spec.address).toBe('https://vault.bank.example:8200');
    // The only Secret with values in the output: VSO's copy of Vault's public CA certificate.
    const withValues = ofKind(objects, 'Secret').filter((x) => x.data || x.stringData);
    expect(withValues.map((x) => `${x.metadata.namespace}/${x.metadata.name}`)).toEqual(['vault-secrets-operator/vault-ca']);
  });

  test('every tenant denies by default', () => {
    for (const ns of ['payments', 'core-banking', 'dev-sandbox']) {
      expect(named(objects, 'NetworkPolicy', 'default-deny', ns).spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
  });

  test('runtime tiers: payments on its own pool with Falco and Tetragon, core-banking on the standard pool with the reduced set, dev-sandbox on the dev pool with none', () => {
    const pool = (spec: any) => spec.nodeSelector?.['bank.example/node-pool'];
    const ledger = deployed(objects, 'Deployment', 'ledger', 'payments').spec.template.spec;
    expect(pool(ledger)).toBe('payments');
    expect(ledger.tolerations).toEqual([{ key: 'bank.example/node-pool', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }]);
    expect(pool(deployed(objects, 'Deployment', 'accounts', 'core-banking').spec.template.spec)).toBe('standard');
    const falcos = ofKind(objects, 'Falco').map((f) => [f.metadata.namespace, pool(f.spec.podTemplateSpec.spec)]);
    expect(falcos).toEqual([['falco-payments', 'payments'], ['falco-standard', 'standard']]);
    const minPriority = ofKind(objects, 'Config').filter((c) => c.apiVersion.startsWith('artifact.')).map((c) => [c.metadata.namespace, c.spec.config.priority]);
    expect(minPriority).toEqual([['falco-payments', 'debug'], ['falco-standard', 'warning']]);
    expect(named(objects, 'HelmRelease', 'tetragon').spec.values.nodeSelector).toEqual({ 'bank.example/node-pool': 'payments' });
    expect(ofKind(objects, 'TracingPolicyNamespaced').map((p) => p.metadata.namespace)).toEqual(['payments']);
    const inline = named(objects, 'Rulesfile', 'platform-rules', 'falco-payments').spec.inlineRules;
    expect(inline.find((i: any) => i.list === 'devsecops_sensitive_namespaces').items).toEqual(['payments']);
    expect(named(objects, 'Config', 'platform', 'falco-payments').spec.config.http_output.url).toBe('http://falcosidekick.security-ops.svc:2801');
  });

  test('the audit policy is written beside the reports, and the runtime report shows the saving', () => {
    const dir = synthToDir(buildBankPlatform);
    const reports = `${dir}-reports`;
    expect(JSON.parse(fs.readFileSync(path.join(reports, 'kube-apiserver-audit-policy.json'), 'utf8')).apiVersion).toBe('audit.k8s.io/v1');
    const report = JSON.parse(fs.readFileSync(path.join(reports, 'runtime-report.json'), 'utf8'));
    // payments: 3 nodes x (Falco 1000m + Tetragon 500m); standard: 12 x 500m; dev: none.
    // Full agents on all 21 nodes: 21 x 1500m = 31500m.
    expect(report.tieredCost.cpuMillicores).toBe(10500);
    expect(report.fullAgentsEverywhereCost.cpuMillicores).toBe(31500);
    expect(report.saving.cpuMillicores).toBe(21000);
    expect(fs.readFileSync(path.join(reports, 'runtime-report.md'), 'utf8')).toContain('Saving: 21000 m CPU (66.7%)');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(reports, { recursive: true, force: true });
  });

  test('synthesizing twice writes byte-identical files', () => {
    const first = readTree(synthToDir(buildBankPlatform));
    const second = readTree(synthToDir(buildBankPlatform));
    expect(Object.keys(first).length).toBeGreaterThan(0);
    expect(second).toEqual(first);
  });

  (HAS_SHARED ? test : test.skip)('the output validates with 0 errors under kube-validate --pss', () => {
    const dir = synthToDir(buildBankPlatform);
    expect(kubeValidate(dir)).toMatch(/ 0 errors/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('with every constraint at deny, the library\'s own objects and the example workload have zero violations', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bank-deny-'));
    const app = new App({ outdir });
    const platform = buildBankPlatform(app);
    for (const policy of PolicyCatalog.POLICIES) {
      const c = platform.policies.tryConstraint(policy, Tier.DEV);
      if (c) c.overrideEnforcement(PolicyEnforcement.DENY);
    }
    app.synth();
    const report = PolicyGate.of(app).lastReport!;
    expect(report.summary.constraints).toBeGreaterThanOrEqual(PolicyCatalog.POLICIES.length * 2);
    expect(report.summary.evaluations).toBeGreaterThan(0);
    expect(report.violations).toEqual([]);
    expect(report.notEvaluated).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('a privileged pod added to payments fails synth with its construct path, and nothing is written', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bank-bad-')), 'out');
    const app = new App({ outdir });
    const platform = buildBankPlatform(app);
    new k8s.KubePod(platform.tenant('payments'), 'Debug', {
      metadata: { name: 'debug', namespace: 'payments' },
      spec: { containers: [{ name: 'sh', image: 'busybox:latest', securityContext: { privileged: true } }] },
    });
    expect(() => app.synth()).toThrow(/\[bank\/payments\/Debug\] Pod payments\/debug violates DevSecOpsPrivilegedContainers "privileged-containers-sensitive" \(deny\)/);
    expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]);
  });
});
