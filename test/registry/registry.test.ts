import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { HOST, PUBLIC_KEY_PEM, harborInstall, keyPair, provider, registryApp } from './fixtures';
import { PolicyCatalog, PolicyEvaluator } from '../../src/policy';
import {
  CosignKeyPair, HarborDatabaseSslMode, HarborInstall, HarborProject, HarborProvider, HarborRobot, HarborRobotAccess,
  HarborScanFrequency, HarborScanSchedule, RegistrySeverities, RegistrySeverity, SignatureNoMatchPolicy,
  SignaturePolicy, SignaturePolicyInstall, SignaturePolicyMode,
} from '../../src/registry';
import { UnmanagedNamespace } from '../../src/tenancy/namespace-placement';
import { Tenant } from '../../src/tenancy/tenant';
import { Tier } from '../../src/tenancy/tier';

function setup(tier: Tier = Tier.SENSITIVE, name = 'payments') {
  const app = Testing.app();
  const chart = new Chart(app, 'registry');
  const tenant = new Tenant(app, name, { tier, team: 'team-a' });
  const harbor = provider(chart);
  return { app, chart, tenant, harbor };
}

function project(tier: Tier = Tier.SENSITIVE, extra: any = {}) {
  const s = setup(tier);
  const p = new HarborProject(s.chart, 'Project', { provider: s.harbor, tenant: s.tenant, today: '2025-01-01', ...extra });
  return { ...s, project: p, docs: () => Testing.synth(s.chart) };
}

const kind = (docs: any[], k: string) => docs.filter((d) => d.kind === k);
const one = (docs: any[], k: string) => {
  const f = kind(docs, k);
  expect(f).toHaveLength(1);
  return f[0];
};

describe('HarborProject', () => {
  test('defaults', () => {
    expect(project().docs()).toMatchSnapshot();
  });

  test('security-relevant fields of a SENSITIVE project', () => {
    const fp = one(project().docs(), 'Project').spec.forProvider;
    expect(fp).toEqual({
      name: 'payments',
      public: false,
      vulnerabilityScanning: true,
      deploymentSecurity: 'high',
      enableContentTrustCosign: true,
      autoSbomGeneration: true,
      storageQuota: 100,
    });
    expect(one(project().docs(), 'Project').spec.deletionPolicy).toBe('Orphan');
  });

  test('@default cosignEnforcement: on for SENSITIVE and STANDARD, off for DEV', () => {
    const cosign = (t: Tier) => one(project(t).docs(), 'Project').spec.forProvider.enableContentTrustCosign;
    expect([cosign(Tier.SENSITIVE), cosign(Tier.STANDARD), cosign(Tier.DEV)]).toEqual([true, true, false]);
  });

  test('@default storageQuotaGb per tier, @default severity HIGH, @default name = tenant namespace', () => {
    const q = (t: Tier) => one(project(t).docs(), 'Project').spec.forProvider.storageQuota;
    expect([q(Tier.SENSITIVE), q(Tier.STANDARD), q(Tier.DEV)]).toEqual([100, 200, 50]);
    expect(RegistrySeverities.DEFAULT_THRESHOLD).toBe(RegistrySeverity.HIGH);
    const p = project();
    expect(p.project.severity).toBe('high');
    expect(p.project.projectName).toBe('payments');
  });

  test('@default autoSbomGeneration true; props override', () => {
    expect(one(project().docs(), 'Project').spec.forProvider.autoSbomGeneration).toBe(true);
    const fp = one(project(Tier.SENSITIVE, { autoSbomGeneration: false, severity: RegistrySeverity.CRITICAL, storageQuotaGb: 7, cosignEnforcement: false }).docs(), 'Project').spec.forProvider;
    expect(fp).toMatchObject({ autoSbomGeneration: false, deploymentSecurity: 'critical', storageQuota: 7, enableContentTrustCosign: false });
  });

  test('@default pullRobot: a pull-only robot with its dockerconfigjson Secret in the tenant namespace', () => {
    const docs = project().docs();
    const robot = one(docs, 'RobotAccount');
    expect(robot.spec.forProvider.level).toBe('project');
    expect(robot.spec.forProvider.duration).toBe(365); // @default expiresInDays
    expect(robot.spec.forProvider.permissions).toEqual([{
      kind: 'project',
      namespace: 'payments',
      access: [
        { resource: 'accessory', action: 'list', effect: 'allow' },
        { resource: 'artifact', action: 'read', effect: 'allow' },
        { resource: 'repository', action: 'pull', effect: 'allow' },
      ],
    }]);
    expect(robot.spec.writeConnectionSecretToRef).toEqual({ name: 'harbor-payments.pull-connection', namespace: 'payments' });
    const es = one(docs, 'ExternalSecret');
    expect(es.metadata.namespace).toBe('payments');
    expect(es.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
    expect(es.spec.target.name).toBe('harbor-pull');
    expect(es.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: 'harbor-payments.pull-connection', property: 'attribute.secret' } }]);
    expect(es.spec.refreshInterval).toBe('1h'); // @default refreshInterval
    const role = one(docs, 'Role');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['harbor-payments.pull-connection'], verbs: ['get'] }]);
    expect(one(docs, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(kind(docs, 'Secret')).toHaveLength(0);
    expect(project(Tier.SENSITIVE, { pullRobot: false }).docs().filter((d) => d.kind === 'RobotAccount')).toHaveLength(0);
  });

  test('addPushRobot: push needs pull; credentials in the build namespace; only once', () => {
    const p = project();
    new UnmanagedNamespace(p.chart, 'BuildsNamespace', { namespace: 'payments-builds', reason: 'a build namespace created outside this test' });
    const robot = p.project.addPushRobot('payments-builds');
    expect(robot.username).toBe('robot$payments+push');
    expect(robot.dockerConfigSecretName).toBe('harbor-payments-push');
    const push = kind(p.docs(), 'RobotAccount').find((r) => r.spec.forProvider.name === 'push');
    expect(push.spec.forProvider.permissions[0].access.map((a: any) => `${a.resource}:${a.action}`))
      .toEqual(['repository:pull', 'repository:push', 'tag:create', 'tag:list']);
    expect(push.spec.writeConnectionSecretToRef.namespace).toBe('payments-builds');
    expect(() => p.project.addPushRobot('other')).toThrow(/\[registry\/Project\] 'addPushRobot' was already called/);
  });

  test('repositoryFor gives the full path under the project', () => {
    const p = project();
    expect(p.project.repositoryFor('ledger')).toBe(`${HOST}/payments/ledger`);
    expect(p.project.repositoryFor('api/ledger-v2')).toBe(`${HOST}/payments/api/ledger-v2`);
    expect(() => p.project.repositoryFor('Ledger')).toThrow(/'repositoryFor.name' is not a repository name \(lowercase path components\), got "Ledger"/);
  });

  test('CVE allowances: entries, reason and expiry recorded on the object', () => {
    const p = project(Tier.SENSITIVE, { cveAllowlist: [{ cveId: 'CVE-2024-9999', expires: '2025-01-01', reason: 'RISK-1: unreachable code path' }] });
    const obj = one(p.docs(), 'Project');
    expect(obj.spec.forProvider.cveAllowlist).toEqual(['CVE-2024-9999']);
    expect(JSON.parse(obj.metadata.annotations[HarborProject.CVE_ALLOWLIST_ANNOTATION]))
      .toEqual([{ cveId: 'CVE-2024-9999', expires: '2025-01-01', reason: 'RISK-1: unreachable code path' }]);
    expect(p.project.cveAllowances).toHaveLength(1);
  });

  describe('fails if', () => {
    test.each([
      ['Payments', /'name' is not a valid Harbor project name .*, got "Payments"; use a name such as/],
      ['-payments', /'name' is not a valid Harbor project name/],
      ['pay--ments', /'name' is not a valid Harbor project name/],
      ['pay/ments', /'name' is not a valid Harbor project name/],
      ['a'.repeat(256), /'name' is not a valid Harbor project name/],
    ])('the project name %s breaks Harbor rules', (name, re) => {
      expect(() => project(Tier.SENSITIVE, { name })).toThrow(re);
    });

    test('the severity is unknown', () => {
      expect(() => project(Tier.SENSITIVE, { severity: 'severe' })).toThrow(
        /\[registry\/Project\] 'severity' is not a severity, got "severe"; use RegistrySeverity.NONE, RegistrySeverity.LOW/);
    });

    test('a CVE allowance has no expiry, a past expiry, a bad date, no reason or a bad id', () => {
      const add = (a: any) => () => project().project.addCveAllowance(a);
      expect(add({ cveId: 'CVE-2024-1234', reason: 'RISK-9: accepted risk' })).toThrow(/'cveAllowlist\[0\].expires' is missing: an accepted CVE must expire, got undefined/);
      expect(add({ cveId: 'CVE-2024-1234', expires: '2024-12-31', reason: 'RISK-9: accepted risk' })).toThrow(/'cveAllowlist\[0\].expires' has passed \(today is 2025-01-01\), got "2024-12-31"; fix CVE-2024-1234 or renew/);
      expect(add({ cveId: 'CVE-2024-1234', expires: '2025-02-30', reason: 'RISK-9: accepted risk' })).toThrow(/is not a date YYYY-MM-DD, got "2025-02-30"/);
      expect(add({ cveId: 'CVE-2024-1234', expires: '2026-01-01', reason: '' })).toThrow(/'cveAllowlist\[0\].reason' must state why/);
      expect(add({ cveId: 'GHSA-xxxx', expires: '2026-01-01', reason: 'RISK-9: accepted risk' })).toThrow(/'cveAllowlist\[0\].cveId' is not a CVE identifier, got "GHSA-xxxx"/);
    });

    test('the storage quota is not a positive whole number', () => {
      expect(() => project(Tier.SENSITIVE, { storageQuotaGb: -1 })).toThrow(/'storageQuotaGb' must be a positive whole number of GB, got -1/);
    });
  });
});

describe('HarborProject without a tenant (platform project)', () => {
  const platformProject = (extra: any = {}) => {
    const chart = Testing.chart();
    const p = new HarborProject(chart, 'Platform', { provider: provider(chart), name: 'platform', today: '2025-01-01', ...extra });
    return { chart, project: p };
  };

  test('@default tier SENSITIVE (strictest defaults), no pull robot, no tenant label', () => {
    const { chart, project: p } = platformProject();
    expect(p.tier).toBe(Tier.SENSITIVE);
    expect(p.tenant).toBeUndefined();
    expect(p.pullRobot).toBeUndefined();
    const docs = Testing.synth(chart);
    expect(kind(docs, 'RobotAccount')).toHaveLength(0);
    const res = one(docs, 'Project');
    expect(res.metadata.labels['devsecops.cdk8s.io/tenant']).toBeUndefined();
    expect(res.spec.forProvider).toMatchObject({ name: 'platform', public: false, enableContentTrustCosign: true, storageQuota: 100 });
  });

  test('addPullRobot: one pull-only robot per reader, credentials in the reader\'s namespace', () => {
    const { chart, project: p } = platformProject();
    const a = p.addPullRobot('pull-payments', 'payments', 'harbor-platform-pull');
    p.addPullRobot('pull-core', 'core');
    expect(a.username).toBe('robot$platform+pull-payments');
    const robots = kind(Testing.synth(chart), 'RobotAccount');
    const fields = ({ spec: s }: any) =>
      [s.forProvider.name, s.writeConnectionSecretToRef.namespace, s.forProvider.permissions[0].access.map((x: any) => x.action).sort()];
    expect(robots.map(fields)).toEqual([
      ['pull-payments', 'payments', ['list', 'pull', 'read']],
      ['pull-core', 'core', ['list', 'pull', 'read']],
    ]);
    expect(() => p.addPullRobot('pull-core', 'other')).toThrow(/PullRobot-pull-core/);
  });

  test('fails if a platform project has no name, asks for a pull robot, or a tenant project sets tier', () => {
    const chart = Testing.chart();
    const harbor = provider(chart);
    expect(() => new HarborProject(chart, 'A', { provider: harbor })).toThrow(/\[test\/A\] 'name' is required for a platform project/);
    expect(() => new HarborProject(chart, 'B', { provider: harbor, name: 'platform', pullRobot: true })).toThrow(/\[test\/B\] 'pullRobot' needs a tenant/);
    const tenant = new Tenant(chart, 'payments', { tier: Tier.SENSITIVE, team: 'p' });
    expect(() => new HarborProject(chart, 'C', { provider: harbor, tenant, tier: Tier.DEV })).toThrow(/\[test\/C\] 'tier' is taken from the tenant/);
    expect(() => new HarborProject(chart, 'D', { provider: harbor, name: 'x', tier: 'gold' as Tier })).toThrow(/\[test\/D\] 'tier' is not a Tier/);
  });
});

describe('HarborRobot', () => {
  const robot = (permissions: HarborRobotAccess[], extra: any = {}) => {
    const p = project(Tier.SENSITIVE, { pullRobot: false });
    new HarborRobot(p.chart, 'Robot', { project: p.project, name: 'scanner', permissions, credentialsNamespace: 'payments', ...extra });
    return p.docs();
  };

  test('fails if a permission is outside Harbor\'s vocabulary', () => {
    expect(() => robot([HarborRobotAccess.of('repository', 'admin')])).toThrow(
      /\[registry\/Robot\] 'permissions\[0\]' is not in Harbor's project robot vocabulary, got "repository:admin"; .*repository allows list, pull, push, delete/);
    expect(() => robot([HarborRobotAccess.of('helm-chart', 'read')])).toThrow(/got "helm-chart:read"; .*resources: repository, artifact/);
  });

  test('fails if push is granted without pull, or nothing is granted', () => {
    expect(() => robot([HarborRobotAccess.PUSH_REPOSITORY])).toThrow(/'permissions' grants repository:push without repository:pull/);
    expect(() => robot([])).toThrow(/'permissions' must list at least one permission, got \[\]/);
  });

  test('fails if the lifetime is unbounded; @default description names the grants', () => {
    expect(() => robot([HarborRobotAccess.PULL_REPOSITORY], { expiresInDays: -1 })).toThrow(/'expiresInDays' must be a whole number of days between 1 and 3650, got -1/);
    const docs = robot([HarborRobotAccess.READ_SCAN, HarborRobotAccess.READ_SCAN]);
    const r = one(docs, 'RobotAccount');
    expect(r.spec.forProvider.permissions[0].access).toEqual([{ resource: 'scan', action: 'read', effect: 'allow' }]);
    expect(r.spec.forProvider.description).toBe('Managed by cdk8s-devsecops: scan:read in payments');
    expect(r.spec.deletionPolicy).toBe('Delete');
  });
});

describe('HarborProvider', () => {
  test('pins the package; credentials from a Secret reference (@default namespace and key)', () => {
    const { chart } = setup();
    const docs = Testing.synth(chart);
    expect(one(docs, 'Provider').spec.package).toBe('xpkg.upbound.io/globallogicuki/provider-harbor:v3.11.2');
    expect(HarborProvider.PACKAGE).toBe('xpkg.upbound.io/globallogicuki/provider-harbor:v3.11.2');
    expect(one(docs, 'ProviderConfig').spec.credentials).toEqual({
      source: 'Secret', secretRef: { name: 'harbor-provider-credentials', namespace: 'crossplane-system', key: 'credentials' },
    });
    expect(one(docs, 'ProviderConfig').metadata.name).toBe('harbor'); // @default name
  });

  test.each(['xpkg.upbound.io/globallogicuki/provider-harbor', 'xpkg.upbound.io/globallogicuki/provider-harbor:latest', 'xpkg.upbound.io/globallogicuki/provider-harbor:v3'])(
    'fails if the package %s is not pinned', (pkg) => {
      const chart = Testing.chart();
      expect(() => new HarborProvider(chart, 'P', { registryHost: HOST, credentialsSecretName: 'c', package: pkg }))
        .toThrow(/'package' must be a package reference pinned to one exact version or digest/);
    });

  test('fails if the host has a scheme', () => {
    expect(() => new HarborProvider(Testing.chart(), 'P', { registryHost: 'https://harbor.bank.example', credentialsSecretName: 'c' }))
      .toThrow(/'registryHost' must be a registry host name without scheme or path, got "https:\/\/harbor.bank.example"/);
  });
});

describe('HarborInstall', () => {
  const values = () => {
    const chart = Testing.chart();
    harborInstall(chart);
    const docs = Testing.synth(chart);
    return { docs, values: one(docs, 'HelmRelease').spec.values };
  };

  test('defaults', () => {
    expect(values().docs).toMatchSnapshot();
  });

  test('every credential from an existing Secret; TLS; Trivy; baseline namespace', () => {
    const { docs, values: v } = values();
    expect(v.externalURL).toBe('https://harbor.bank.example');
    expect(v.expose.tls).toEqual({ enabled: true, certSource: 'secret', secret: { secretName: 'harbor-tls' } });
    expect(v.existingSecretAdminPassword).toBe('harbor-admin');
    expect(v.existingSecretSecretKey).toBe('harbor-encryption-key');
    expect(v.registry.credentials.existingSecret).toBe('harbor-registry-credentials');
    expect(v.database.type).toBe('external');
    expect(v.database.external.existingSecret).toBe('harbor-db');
    expect(v.database.external.sslmode).toBe(HarborDatabaseSslMode.VERIFY_FULL); // @default sslMode
    expect(v.database.external.port).toBe('5432'); // @default port
    expect(v.database.external.coreDatabase).toBe('registry'); // @default coreDatabase
    expect(v.trivy.enabled).toBe(true);
    expect(JSON.stringify(v)).not.toMatch(/"password"|harborAdminPassword|"secretKey"/);
    const pvc = v.persistence.persistentVolumeClaim;
    expect([pvc.registry.size, pvc.jobservice.jobLog.size, pvc.redis.size, pvc.trivy.size]).toEqual(['200Gi', '1Gi', '1Gi', '5Gi']);
    expect(pvc.registry.storageClass).toBeUndefined(); // @default storageClass: the cluster default
    // rendered with the real chart, every Harbor pod passes restricted (test/install/chart-render.test.ts)
    expect(one(docs, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(v.caSecretName).toBe('tls'.length ? v.expose.tls.secret.secretName : ''); // @default caSecretName: the TLS Secret
    expect(v.metrics).toEqual({ enabled: true }); // @default metrics
    expect(v.internalTLS).toEqual({ enabled: true, certSource: 'auto' }); // @default internalTls: on, certificates from the chart
    expect(v.redis).toBeUndefined(); // @default redis: the bundled one
    expect(v.core).toEqual({ existingSecret: 'harbor-core', existingXsrfSecret: 'harbor-xsrf', secretName: 'harbor-token-cert' });
  });

  test('internal secrets, internal TLS, CA bundle and an authenticated external Redis reach the values', () => {
    const chart = Testing.chart();
    const base = { host: HOST, tlsSecretName: 'tls', adminPasswordSecretName: 'a', encryptionKeySecretName: 'k', registryCredentialsSecretName: 'r', database: { host: 'db', username: 'h', passwordSecretName: 'p' }, internalSecrets: { coreSecretName: 'c0', jobserviceSecretName: 'j0', registryHttpSecretName: 'r0', xsrfKeySecretName: 'x0', tokenCertSecretName: 't0' } };
    new HarborInstall(chart, 'H', {
      ...base,
      caBundleSecretName: 'bank-ca',
      internalSecrets: { coreSecretName: 'c', jobserviceSecretName: 'j', registryHttpSecretName: 'rh', xsrfKeySecretName: 'x', tokenCertSecretName: 't' },
      internalTls: { coreSecretName: 'c-tls', jobserviceSecretName: 'j-tls', registrySecretName: 'r-tls', portalSecretName: 'p-tls', trivySecretName: 't-tls' },
      redis: { address: 'redis.bank.example:6380', passwordSecretName: 'redis-pw' },
      metrics: false,
    });
    const v = one(Testing.synth(chart), 'HelmRelease').spec.values;
    expect(v.caBundleSecretName).toBe('bank-ca');
    expect(v.core).toEqual({ existingSecret: 'c', existingXsrfSecret: 'x', secretName: 't' });
    expect(v.jobservice).toEqual({ existingSecret: 'j' });
    expect(v.registry.existingSecret).toBe('rh');
    expect(v.internalTLS).toMatchObject({ enabled: true, certSource: 'secret', core: { secretName: 'c-tls' }, trivy: { secretName: 't-tls' } });
    expect(v.redis).toEqual({ type: 'external', external: { addr: 'redis.bank.example:6380', existingSecret: 'redis-pw', tlsOptions: { enable: true } } });
    expect(v.persistence.persistentVolumeClaim.redis).toBeUndefined();
    expect(v.metrics).toEqual({ enabled: false });
    expect(() => new HarborInstall(Testing.chart(), 'H', { ...base, redis: { address: 'redis', passwordSecretName: 'x' } }))
      .toThrow(/\[test\/H\] 'redis.address' must be host:port, got "redis"/);
    expect(() => new HarborInstall(Testing.chart(), 'H', { ...base, internalSecrets: { coreSecretName: 'c' } as any }))
      .toThrow(/'internalSecrets.jobserviceSecretName' must name an existing Secret/);
    expect(() => new HarborInstall(Testing.chart(), 'H', { ...base, internalSecrets: undefined as any }))
      .toThrow(/\[test\/H\] 'internalSecrets' must name the existing Secrets of Harbor's component secrets, got undefined/);
    const off = Testing.chart();
    new HarborInstall(off, 'H', { ...base, disableInternalTls: true });
    expect(one(Testing.synth(off), 'HelmRelease').spec.values.internalTLS).toBeUndefined();
  });

  test('fails if a Secret name is missing or not a name', () => {
    const base = { host: HOST, tlsSecretName: 'tls', adminPasswordSecretName: 'a', encryptionKeySecretName: 'k', registryCredentialsSecretName: 'r', database: { host: 'db', username: 'h', passwordSecretName: 'p' }, internalSecrets: { coreSecretName: 'c0', jobserviceSecretName: 'j0', registryHttpSecretName: 'r0', xsrfKeySecretName: 'x0', tokenCertSecretName: 't0' } };
    expect(() => new HarborInstall(Testing.chart(), 'H', { ...base, adminPasswordSecretName: 'Harbor12345!' }))
      .toThrow(/'adminPasswordSecretName' must name an existing Secret \(DNS subdomain\), got "Harbor12345!"; .*literal secret values are never accepted/);
    expect(() => new HarborInstall(Testing.chart(), 'H', { ...base, persistence: { registrySize: 'lots' } }))
      .toThrow(/'persistence.registrySize' must be a non-negative Kubernetes quantity, got "lots"/);
  });
});

describe('CosignKeyPair', () => {
  test('holds the public PEM and the private key Secret name', () => {
    const k = keyPair();
    expect(k.publicKeyPem).toBe(PUBLIC_KEY_PEM);
    expect(k.privateKeySecretName).toBe('cosign-signing-key');
    expect(k.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['not a key', /'publicKeyPem' is not a PEM public key, got "not a key"/],
    [PUBLIC_KEY_PEM.replace('MFkw', 'XXXX'), /'publicKeyPem' does not parse as a public key/],
    ['-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----\n', /'publicKeyPem' holds a private key, which must never reach a manifest, got "<redacted>"/],
    ['-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n', /'publicKeyPem' is not a PEM public key/],
  ])('fails if the PEM is malformed (%#)', (pem, re) => {
    expect(() => CosignKeyPair.fromPublicKeyPem(pem, { privateKeySecretName: 'k' })).toThrow(re);
  });

  test('fails if the private key Secret name is not a name', () => {
    expect(() => CosignKeyPair.fromPublicKeyPem(PUBLIC_KEY_PEM, { privateKeySecretName: 'Cosign Key' }))
      .toThrow(/\[CosignKeyPair.fromPublicKeyPem\] 'privateKeySecretName' must be a Secret name/);
  });
});

describe('SignaturePolicy', () => {
  const build = () => {
    const app = Testing.app();
    const out = registryApp(app, [
      { name: 'payments', tier: Tier.SENSITIVE }, { name: 'core', tier: Tier.STANDARD }, { name: 'sandbox', tier: Tier.DEV },
    ]);
    const registry = app.charts.find((c) => c.node.id === 'registry')!;
    return { app, ...out, docs: Testing.synth(registry) };
  };

  test('enforce for SENSITIVE and STANDARD projects, warn for DEV, with the platform key', () => {
    const { docs } = build();
    const cips = kind(docs, 'ClusterImagePolicy');
    expect(cips.map((c) => [c.metadata.name, c.spec.mode, c.spec.images.map((i: any) => i.glob)])).toEqual([
      ['platform-signed-images-enforce', 'enforce', [`${HOST}/core/**`, `${HOST}/payments/**`]],
      ['platform-signed-images-warn', 'warn', [`${HOST}/sandbox/**`]],
    ]);
    for (const c of cips) {
      expect(c.spec.authorities).toEqual([{ name: 'platform-cosign-key', key: { data: PUBLIC_KEY_PEM, hashAlgorithm: 'sha256' } }]);
    }
    expect(SignaturePolicy.modeFor(Tier.DEV)).toBe(SignaturePolicyMode.WARN);
  });

  test('exemptProject admits a project\'s images without a signature check, with the reason recorded; refused twice or without a reason', () => {
    const chart = Testing.chart();
    const harbor = provider(chart);
    const policy = new SignaturePolicy(chart, 'Sig', { key: keyPair() });
    const platform = new HarborProject(chart, 'Platform', { provider: harbor, name: 'platform' });
    expect(() => policy.exemptProject(platform, 'because')).toThrow(/\[test\/Sig\] 'exemptProject.reason' must say why/);
    policy.exemptProject(platform, 'builder images written by kpack');
    expect(() => policy.exemptProject(platform, 'builder images written by kpack')).toThrow(/already has a signature requirement or exemption/);
    policy.addProject(platform); // a project already exempt gets no signature requirement on top
    const cips = kind(Testing.synth(chart), 'ClusterImagePolicy');
    expect(cips).toHaveLength(1);
    expect(cips[0].metadata.name).toBe('platform-signed-images-exempt');
    expect(cips[0].spec).toEqual({ images: [{ glob: `${HOST}/platform/**` }], authorities: [{ name: 'no-signature-required', static: { action: 'pass' } }] });
    expect(JSON.parse(cips[0].metadata.annotations[SignaturePolicy.EXEMPTION_REASONS_ANNOTATION])).toEqual([{ glob: `${HOST}/platform/**`, reason: 'builder images written by kpack' }]);
    expect(policy.exemptGlobs).toEqual([`${HOST}/platform/**`]);
  });

  test('opted-in tenants carry policy.sigstore.dev/include=true', () => {
    const { app } = build();
    const ns = Testing.synth(app.charts.find((c) => c.node.id === 'payments')!).find((d) => d.kind === 'Namespace');
    expect(ns.metadata.labels['policy.sigstore.dev/include']).toBe('true');
  });

  test('@default no-match policy deny in the policy-controller install', () => {
    const chart = Testing.chart();
    new SignaturePolicyInstall(chart, 'PC');
    const release = one(Testing.synth(chart), 'HelmRelease');
    expect(release.spec.values.webhook.configData).toEqual({ 'no-match-policy': SignatureNoMatchPolicy.DENY });
    expect(release.spec.values.webhook.replicaCount).toBe(2); // @default replicas
    expect(release.spec.values.webhook.registryCaBundle).toBeUndefined(); // @default registryCaBundle
    // @default chartVerification: keyless, the sigstore/helm-charts release workflow
    const source = one(Testing.synth(chart), 'OCIRepository');
    expect(source.spec.ref.tag).toBe('0.10.6');
    expect(source.spec.verify).toEqual({ provider: 'cosign', matchOIDCIdentity: [{ issuer: '^https://token\\.actions\\.githubusercontent\\.com$', subject: '^https://github\\.com/sigstore/helm-charts/\\.github/workflows/release\\.yml@refs/heads/main$' }] });
  });

  test('policy-controller: replicas, registry CA bundle, skipped verification; refuses one replica', () => {
    const chart = Testing.chart();
    new SignaturePolicyInstall(chart, 'PC', { replicas: 3, registryCaBundle: { configMapName: 'bank-ca' }, skipChartVerification: true });
    const docs = Testing.synth(chart);
    expect(one(docs, 'HelmRelease').spec.values.webhook).toMatchObject({ replicaCount: 3, registryCaBundle: { name: 'bank-ca', key: 'ca-bundle.crt' } });
    expect(one(docs, 'OCIRepository').spec.verify).toBeUndefined();
    expect(() => new SignaturePolicyInstall(Testing.chart(), 'PC', { replicas: 1 }))
      .toThrow(/\[test\/PC\] 'replicas' must be an integer of at least 2, got 1; run 2 or more webhook replicas/);
    expect(() => new SignaturePolicyInstall(Testing.chart(), 'PC', { registryCaBundle: { configMapName: 'Bank CA' } }))
      .toThrow(/'registryCaBundle.configMapName' must name a ConfigMap/);
  });

  test('@default scan schedule weekly with Trivy', () => {
    const chart = Testing.chart();
    new HarborScanSchedule(chart, 'S', { provider: provider(chart) });
    expect(one(Testing.synth(chart), 'InterrogationServices').spec.forProvider).toEqual({ defaultScanner: 'Trivy', vulnerabilityScanPolicy: HarborScanFrequency.WEEKLY });
  });
});

describe('invariants', () => {
  const tierArb = fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV);
  const nameArb = fc.stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6})?$/).filter((n) => !n.startsWith('kube'));
  const repoArb = fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,8}){0,2}$/);

  test('the allowed-repositories policy built from the projects admits every repository of every project and nothing beside them', () => {
    const tenantsArb = fc.uniqueArray(fc.record({ name: nameArb, tier: tierArb }), { selector: (t) => t.name, minLength: 1, maxLength: 4 });
    fc.assert(fc.property(tenantsArb, fc.array(repoArb, { minLength: 1, maxLength: 3 }),
      (tenants, repos) => {
        const app = new App();
        const { projects, allowed } = registryApp(app, tenants);
        // exactly the projects: nothing wider (no bare host), nothing of another registry
        expect(allowed).toEqual(projects.map((p) => `${HOST}/${p.projectName}`).sort());
        // judged by the catalog's own CEL, as Gatekeeper and the synth-time gate judge it
        const chart = new Chart(app, 'policy');
        new PolicyCatalog(chart, 'Catalog', { allowedRepositories: allowed, evaluateOnSynth: false });
        const inside: string[] = [];
        projects.forEach((p, i) => repos.forEach((r, j) => {
          const image = `${p.repositoryFor(r)}:1.0.0`;
          inside.push(image);
          new k8s.KubePod(chart, `Pod-${i}-${j}`, { metadata: { name: `p-${i}-${j}`, namespace: p.tenant!.namespaceName }, spec: { containers: [{ name: 'c', image }] } });
        }));
        const outsiders = [`${HOST}/zz-not-a-project/x:1.0.0`, `${HOST}/${projects[0].projectName}-evil/x:1.0.0`, `${HOST}:1.0.0`];
        outsiders.forEach((image, i) => new k8s.KubePod(chart, `Outsider-${i}`, {
          metadata: { name: `o-${i}`, namespace: projects[0].tenant!.namespaceName }, spec: { containers: [{ name: 'c', image }] },
        }));
        const refused = PolicyEvaluator.evaluateApp(app).violations
          .filter((v) => v.constraintKind === 'DevSecOpsAllowedRepositories')
          .map((v) => v.objectName).sort();
        const expected = outsiders.map((image, i) => ({ image, name: `o-${i}` }))
          .filter(({ image }) => !allowed.some((a) => image.startsWith(`${a}/`)))
          .map((o) => o.name);
        expect(refused).toEqual(expected);
        expect(expected).toContain('o-2'); // the bare host is never admitted
      }), { numRuns: 15 });
  });

  test('every project is in exactly one signature policy, in its tier\'s mode', () => {
    const tenantsArb = fc.uniqueArray(fc.record({ name: nameArb, tier: tierArb }), { selector: (t) => t.name, minLength: 1, maxLength: 6 });
    fc.assert(fc.property(tenantsArb, (tenants) => {
      const { projects, policy } = registryApp(new App(), tenants);
      for (const p of projects) {
        const glob = `${p.repositoryPrefix}/**`;
        const mode = SignaturePolicy.modeFor(p.tier);
        const other = mode === SignaturePolicyMode.ENFORCE ? SignaturePolicyMode.WARN : SignaturePolicyMode.ENFORCE;
        expect(policy.globsFor(mode)).toContain(glob);
        expect(policy.globsFor(other)).not.toContain(glob);
      }
    }), { numRuns: 25 });
  });

  test('synth is deterministic', () => {
    const synth = () => {
      const app = Testing.app();
      registryApp(app, [{ name: 'payments', tier: Tier.SENSITIVE }, { name: 'sandbox', tier: Tier.DEV }]);
      return JSON.stringify(app.charts.map((c) => Testing.synth(c)));
    };
    expect(synth()).toBe(synth());
  });
});

describe('RegistrySeverities', () => {
  test('values are spelled as Harbor spells them, ordered lowest first', () => {
    expect(RegistrySeverities.all()).toEqual(['none', 'low', 'medium', 'high', 'critical']);
    expect(RegistrySeverities.parse(Testing.chart(), 'severity', 'CRITICAL')).toBe(RegistrySeverity.CRITICAL);
    expect(RegistrySeverities.isAtLeastAsStrict(RegistrySeverity.MEDIUM, RegistrySeverity.HIGH)).toBe(true);
    expect(RegistrySeverities.isAtLeastAsStrict(RegistrySeverity.CRITICAL, RegistrySeverity.HIGH)).toBe(false);
  });
});
