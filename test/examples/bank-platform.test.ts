import * as fs from 'fs';
import { Testing } from 'cdk8s';
import { buildBankPlatform } from '../../examples/bank-platform/platform';
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
});
