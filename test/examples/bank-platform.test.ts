import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { buildBankPlatform } from '../../examples/bank-platform/platform';
import { PolicyCatalog, PolicyEnforcement, PolicyGate, Tier } from '../../src';
import { HAS_SHARED, kubeValidate, named, ofKind, readTree, synthObjects, synthToDir } from '../util';

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
    ]).filter((x) => x.other !== 'kube-system').sort((a, b) => a.dir.localeCompare(b.dir));
    expect(crossing).toEqual([
      { dir: 'egress', ns: 'core-banking', other: 'payments', ports: [{ port: 8443, protocol: 'TCP' }] },
      { dir: 'ingress', ns: 'payments', other: 'core-banking', ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
  });

  test('every tenant denies by default', () => {
    for (const ns of ['payments', 'core-banking', 'dev-sandbox']) {
      expect(named(objects, 'NetworkPolicy', 'default-deny', ns).spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
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
