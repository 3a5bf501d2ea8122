import { Testing } from 'cdk8s';
import { CrossplaneInstall } from '../../src/registry/crossplane-install';
import { ExternalSecretsInstall, VaultSecretsOperatorInstall } from '../../src/secrets';

function release(build: (c: any) => void): any {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart);
}
const one = (docs: any[], kind: string) => docs.find((d) => d.kind === kind);

describe('ExternalSecretsInstall', () => {
  test('@defaults: only SecretStore and ExternalSecret reconciled, 2 replicas with leader election, 2 webhook replicas, no NetworkPolicy', () => {
    const v = one(release((c) => new ExternalSecretsInstall(c, 'E')), 'HelmRelease').spec.values;
    expect(v).toEqual({
      replicaCount: 2,
      leaderElect: true,
      processSecretStore: true,
      processClusterStore: false,
      processClusterExternalSecret: false,
      processPushSecret: false,
      processClusterPushSecret: false,
      processClusterGenerator: false,
      webhook: { replicaCount: 2 },
    });
  });
  test('API server CIDRs give every ESO pod egress to DNS and the API servers only', () => {
    const v = one(release((c) => new ExternalSecretsInstall(c, 'E', { apiServerCidrs: ['10.0.0.0/28'], replicas: 1 })), 'HelmRelease').spec.values;
    expect(v.leaderElect).toBe(false);
    for (const policy of [v.networkPolicy, v.webhook.networkPolicy, v.certController.networkPolicy]) {
      expect(policy.enabled).toBe(true);
      expect(policy.egress).toEqual([
        { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { to: [{ ipBlock: { cidr: '10.0.0.0/28' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      ]);
    }
  });
  test('fails on bad input', () => {
    expect(() => new ExternalSecretsInstall(Testing.chart(), 'E', { replicas: 0 })).toThrow(/\[test\/E\] 'replicas' must be an integer of at least 1, got 0/);
    expect(() => new ExternalSecretsInstall(Testing.chart(), 'E', { apiServerCidrs: ['10.0.0.1/24'] })).toThrow(/'apiServerCidrs\[0\]'/);
  });
});

describe('CrossplaneInstall', () => {
  test('@defaults: 2 replicas each, restricted security contexts, no CA bundle; the namespace stays baseline with its reason', () => {
    const docs = release((c) => new CrossplaneInstall(c, 'X'));
    const v = one(docs, 'HelmRelease').spec.values;
    expect(v.replicas).toBe(2);
    expect(v.rbacManager).toEqual({ replicas: 2 });
    expect(v.securityContextCrossplane).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.podSecurityContextCrossplane).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.registryCaBundleConfig).toBeUndefined();
    const ns = one(docs, 'Namespace');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.annotations['devsecops.cdk8s.io/pod-security-reason']).toMatch(/provider packages/);
  });
  test('the registry CA bundle reaches the chart\'s key', () => {
    const v = one(release((c) => new CrossplaneInstall(c, 'X', { registryCaBundle: { configMapName: 'bank-ca', key: 'ca.pem' } })), 'HelmRelease').spec.values;
    expect(v.registryCaBundleConfig).toEqual({ name: 'bank-ca', key: 'ca.pem' });
  });
  test('fails on bad input', () => {
    expect(() => new CrossplaneInstall(Testing.chart(), 'X', { rbacManagerReplicas: 1.5 })).toThrow(/\[test\/X\] 'rbacManagerReplicas' must be an integer of at least 1, got 1\.5/);
    expect(() => new CrossplaneInstall(Testing.chart(), 'X', { registryCaBundle: { configMapName: 'ca', key: 'a b' } })).toThrow(/'registryCaBundle.key' must be a ConfigMap key, got "a b"/);
  });
});

describe('VaultSecretsOperatorInstall', () => {
  test('@defaults: 2 replicas, restricted security contexts, no helm-test pod', () => {
    const v = one(release((c) => new VaultSecretsOperatorInstall(c, 'V')), 'HelmRelease').spec.values;
    expect(v).toEqual({
      controller: {
        replicas: 2,
        podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      },
      tests: { enabled: false },
    });
  });
  test('fails on bad input', () => {
    expect(() => new VaultSecretsOperatorInstall(Testing.chart(), 'V', { replicas: -1 })).toThrow(/\[test\/V\] 'replicas' must be an integer of at least 1, got -1/);
  });
});
