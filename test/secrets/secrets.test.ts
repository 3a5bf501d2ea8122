import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { FakeWorkload, secretsPlatform, VAULT_CA, vaultProps } from './fake-workload';
import { DevSecOpsPlatform } from '../../src/platform/devsecops-platform';
import { SecretDelivery, SecretsBackend, VaultSecretSource } from '../../src/secrets';
import { Weakening } from '../../src/tenancy/weakening';
import { HAS_SHARED, kubeValidate, named, ofKind, readTree, synthToDir } from '../util';

const VSO = SecretsBackend.VAULT_SECRETS_OPERATOR;
const ESO = SecretsBackend.EXTERNAL_SECRETS;
const kv = (p = 'payments/ledger/api') => VaultSecretSource.kv({ path: p });
const db = (extra: any = {}) => VaultSecretSource.dynamic({ mount: 'database', role: 'payments-ledger', leaseTtl: '1h', ...extra });
const cert = (extra: any = {}) => VaultSecretSource.pki({ role: 'payments-ledger', commonName: 'ledger.payments.svc', ttl: '72h', renewBefore: '24h', ...extra });
const objects = (app: App) => app.charts.flatMap((c) => c.toJson());
const apiObjectCount = (app: App) => app.node.findAll().filter((c: IConstruct) => ApiObject.isApiObject(c)).length;

describe('Vault Secrets Operator backend', () => {
  function bank() {
    const app = new App();
    const { platform, payments, coreBanking } = secretsPlatform(app, VSO);
    const ledger = new FakeWorkload(payments, 'ledger');
    const reports = new FakeWorkload(payments, 'reports');
    const accounts = new FakeWorkload(coreBanking, 'accounts');
    const creds = platform.secrets.addSecret(ledger, 'ledger-db', { source: db(), delivery: SecretDelivery.env({ DB_USER: 'username', DB_PASSWORD: 'password' }) });
    platform.secrets.addSecret(ledger, 'ledger-tls', { source: cert(), delivery: SecretDelivery.file('/var/run/secrets/tls') });
    platform.secrets.addSecret(accounts, 'partner-api', { source: VaultSecretSource.kv({ path: 'core-banking/partner-api' }), delivery: SecretDelivery.env({ API_KEY: 'api-key' }) });
    // A second consumer, added after the declaration, reaches the restart targets.
    platform.secrets.consumeSecret(reports, creds, SecretDelivery.file('/var/run/secrets/db'));
    return { app, platform, ledger, reports, accounts, creds };
  }

  test('one VaultConnection in the operator namespace: TLS verified, CA from a Secret holding only the public certificate', () => {
    const { app } = bank();
    const all = objects(app);
    const conn = named(all, 'VaultConnection', 'vault', 'vault-secrets-operator');
    expect(conn.spec).toEqual({ address: 'https://vault.bank.example:8200', skipTLSVerify: false, caCertSecretRef: 'vault-ca' });
    const ca = named(all, 'Secret', 'vault-ca', 'vault-secrets-operator');
    expect(Object.keys(ca.stringData)).toEqual(['ca.crt']);
    expect(ca.stringData['ca.crt']).toBe(VAULT_CA.trim() + '\n');
    expect(ofKind(all, 'HelmRelease', 'vault-secrets-operator')).toHaveLength(1);
  });

  test('a VaultAuth per consuming service account: Kubernetes method, the tenant role, audience "vault", the shared connection', () => {
    const { app } = bank();
    const all = objects(app);
    expect(ofKind(all, 'VaultAuth').map((a) => `${a.metadata.namespace}/${a.metadata.name}`).sort()).toEqual(['core-banking/vault-accounts', 'payments/vault-ledger']);
    expect(named(all, 'VaultAuth', 'vault-ledger', 'payments').spec).toEqual({
      method: 'kubernetes',
      mount: 'kubernetes',
      vaultConnectionRef: 'vault-secrets-operator/vault',
      kubernetes: { role: 'tenant-payments', serviceAccount: 'ledger', audiences: ['vault'], tokenExpirationSeconds: 600 },
    });
  });

  test('@defaults: KV v2 from mount "secret" refreshed every 1h; dynamic renewed at 67% and revoked on delete; PKI as kubernetes.io/tls', () => {
    const { app } = bank();
    const all = objects(app);
    const kvs = named(all, 'VaultStaticSecret', 'partner-api', 'core-banking').spec;
    expect(kvs).toMatchObject({ type: 'kv-v2', mount: 'secret', path: 'core-banking/partner-api', refreshAfter: '1h', hmacSecretData: true, vaultAuthRef: 'vault-accounts' });
    expect(kvs.version).toBeUndefined();
    expect(kvs.destination).toEqual({ name: 'partner-api', create: true, overwrite: false, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-devsecops' } });
    const dyn = named(all, 'VaultDynamicSecret', 'ledger-db', 'payments').spec;
    expect(dyn).toMatchObject({ mount: 'database', path: 'creds/payments-ledger', renewalPercent: 67, revoke: true, vaultAuthRef: 'vault-ledger' });
    expect(dyn.refreshAfter).toBeUndefined();
    const pki = named(all, 'VaultPKISecret', 'ledger-tls', 'payments').spec;
    expect(pki).toMatchObject({ mount: 'pki', role: 'payments-ledger', commonName: 'ledger.payments.svc', ttl: '72h', expiryOffset: '24h', format: 'pem', revoke: true, clear: true });
    expect(pki.destination.type).toBe('kubernetes.io/tls');
  });

  test('restart targets are exactly the consuming Deployments, including consumers added later', () => {
    const { app } = bank();
    const all = objects(app);
    expect(named(all, 'VaultDynamicSecret', 'ledger-db', 'payments').spec.rolloutRestartTargets).toEqual([
      { kind: 'Deployment', name: 'ledger' }, { kind: 'Deployment', name: 'reports' },
    ]);
    expect(named(all, 'VaultPKISecret', 'ledger-tls', 'payments').spec.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'ledger' }]);
    expect(named(all, 'VaultStaticSecret', 'partner-api', 'core-banking').spec.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'accounts' }]);
  });

  test('the pods read the Secret the operator writes, by the one derived name', () => {
    const { app } = bank();
    const all = objects(app);
    const ledger = named(all, 'Deployment', 'ledger', 'payments').spec.template.spec;
    expect(ledger.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'password' } } },
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'username' } } },
    ]);
    expect(ledger.volumes).toEqual([{ name: 'secret-ledger-tls', secret: { secretName: 'ledger-tls', defaultMode: 0o440 } }]);
    expect(named(all, 'Deployment', 'reports', 'payments').spec.template.spec.volumes[0].secret.secretName).toBe('ledger-db');
  });

  test('the Vault administrator\'s files: each tenant\'s policy grants exactly its paths; its auth role binds its service accounts, namespace and audience with periodic tokens', () => {
    const { platform } = bank();
    const files = platform.secrets._files();
    expect(Object.keys(files).sort()).toEqual([
      'secrets-report.json', 'vault/core-banking.auth-role.json', 'vault/core-banking.policy.hcl', 'vault/payments.auth-role.json', 'vault/payments.policy.hcl',
    ]);
    expect(files['vault/core-banking.policy.hcl']).toBe([
      '# Vault policy "tenant-core-banking" for tenant core-banking, written by cdk8s-devsecops.',
      '# Apply: vault policy write tenant-core-banking core-banking.policy.hcl',
      '',
      'path "secret/data/core-banking/partner-api" {',
      '  capabilities = ["read"]',
      '}',
      '',
    ].join('\n'));
    const payments = files['vault/payments.policy.hcl'];
    expect(payments).toContain('path "database/creds/payments-ledger" {\n  capabilities = ["read"]\n}');
    expect(payments).toContain('path "pki/issue/payments-ledger" {\n  capabilities = ["create", "update"]\n}');
    expect(payments).toContain('path "sys/leases/renew" {\n  capabilities = ["update"]\n}');
    expect(payments).not.toContain('core-banking');
    expect(JSON.parse(files['vault/payments.auth-role.json'])).toEqual({
      bound_service_account_names: ['ledger'],
      bound_service_account_namespaces: ['payments'],
      audience: 'vault',
      token_policies: ['tenant-payments'],
      token_period: '20m',
      token_ttl: 0,
      token_max_ttl: 0,
    });
    const report = JSON.parse(files['secrets-report.json']);
    expect(report.secrets.find((s: any) => s.secret === 'ledger-db')).toEqual({
      tenant: 'payments',
      secret: 'ledger-db',
      kind: 'dynamic',
      vaultPath: 'database/creds/payments-ledger',
      refreshSeconds: 2412,
      authenticatesAs: 'ledger',
      consumers: [{ workload: 'bank/payments/Workload-ledger', env: ['DB_PASSWORD', 'DB_USER'] }, { workload: 'bank/payments/Workload-reports', mountPath: '/var/run/secrets/db' }],
      restart: { rolloutRestartTargets: ['Deployment/ledger', 'Deployment/reports'] },
    });
  });

  test('synth writes the report and the Vault files beside the reports, never among the manifests', () => {
    const dir = synthToDir((app) => {
      const { platform, payments } = secretsPlatform(app, VSO);
      platform.secrets.addSecret(new FakeWorkload(payments, 'ledger'), 'ledger-db', { source: db(), delivery: SecretDelivery.env({ DB_USER: 'username' }) });
    });
    const reports = readTree(`${dir}-reports`);
    expect(Object.keys(reports).filter((f) => /vault|secrets-report/.test(f)).sort()).toEqual(['secrets-report.json', 'vault', 'vault/payments.auth-role.json', 'vault/payments.policy.hcl'].filter((f) => f !== 'vault'));
    expect(fs.readdirSync(dir).some((f) => /hcl|secrets-report/.test(f))).toBe(false);
  });

  test('synthesizing twice gives identical manifests and files', () => {
    const once = () => {
      const { app, platform } = bank();
      return app.synthYaml() + JSON.stringify(platform.secrets._files());
    };
    expect(once()).toBe(once());
  });
});

describe('External Secrets backend', () => {
  function bank() {
    const app = new App();
    const { platform, payments } = secretsPlatform(app, ESO);
    const ledger = new FakeWorkload(payments, 'ledger');
    platform.secrets.addSecret(ledger, 'ledger-db', { source: db(), delivery: SecretDelivery.file('/var/run/secrets/db') });
    platform.secrets.addSecret(ledger, 'ledger-tls', { source: cert(), delivery: SecretDelivery.file('/var/run/secrets/tls') });
    platform.secrets.addSecret(ledger, 'ledger-api', { source: kv(), delivery: SecretDelivery.file('/var/run/secrets/api') });
    return { app, platform, ledger };
  }

  test('@default backend is External Secrets (Apache-2.0), with the platform\'s ESO install and no VSO', () => {
    const app = new App();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' }, secrets: { vault: vaultProps(ESO).vault } });
    expect(platform.secrets.backend).toBe(ESO);
    const all = objects(app);
    expect(ofKind(all, 'HelmRelease').map((h) => h.metadata.name)).toContain('external-secrets');
    expect(ofKind(all, 'HelmRelease').map((h) => h.metadata.name)).not.toContain('vault-secrets-operator');
    expect(ofKind(all, 'VaultConnection')).toEqual([]);
  });

  test('a SecretStore per service account and KV mount: Vault provider, KV v2, CA inline, Kubernetes auth as the workload\'s own service account', () => {
    const { app } = bank();
    const store = named(objects(app), 'SecretStore', 'vault-ledger', 'payments');
    expect(store.spec.provider.vault).toEqual({
      server: 'https://vault.bank.example:8200',
      path: 'secret',
      version: 'v2',
      caBundle: Buffer.from(VAULT_CA.trim() + '\n').toString('base64'),
      auth: { kubernetes: { mountPath: 'kubernetes', role: 'tenant-payments', serviceAccountRef: { name: 'ledger', audiences: ['vault'] } } },
    });
  });

  test('ExternalSecrets refresh periodically: KV every 1h, dynamic at 67% of the lease, PKI renewBefore ahead of expiry', () => {
    const { app } = bank();
    const all = objects(app);
    const api = named(all, 'ExternalSecret', 'ledger-api', 'payments').spec;
    expect(api).toEqual({
      refreshInterval: '1h',
      refreshPolicy: 'Periodic',
      secretStoreRef: { kind: 'SecretStore', name: 'vault-ledger' },
      target: { name: 'ledger-api', creationPolicy: 'Owner', deletionPolicy: 'Delete' },
      dataFrom: [{ extract: { key: 'payments/ledger/api' } }],
    });
    const dbs = named(all, 'ExternalSecret', 'ledger-db', 'payments').spec;
    expect(dbs.refreshInterval).toBe('2412s');
    expect(dbs.dataFrom).toEqual([{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'VaultDynamicSecret', name: 'ledger-db' } } }]);
    const gen = named(all, 'VaultDynamicSecret', 'ledger-db', 'payments');
    expect(gen.apiVersion).toBe('generators.external-secrets.io/v1alpha1');
    expect(gen.spec).toMatchObject({ path: 'database/creds/payments-ledger', method: 'GET', resultType: 'Data' });
    const tls = named(all, 'ExternalSecret', 'ledger-tls', 'payments').spec;
    expect(tls.refreshInterval).toBe('48h');
    expect(tls.target.template).toMatchObject({ type: 'kubernetes.io/tls', data: { 'tls.crt': '{{ .certificate }}', 'tls.key': '{{ .private_key }}' } });
    expect(named(all, 'VaultDynamicSecret', 'ledger-tls', 'payments').spec).toMatchObject({ path: 'pki/issue/payments-ledger', method: 'POST', parameters: { common_name: 'ledger.payments.svc', ttl: '72h' } });
  });

  test('with restricted operator egress (apiServerCidrs), the controller alone is let out to Vault\'s CIDRs on Vault\'s port; without Vault\'s CIDRs, a clear error', () => {
    const build = (cidrs?: string[]) => {
      const app = new App();
      new DevSecOpsPlatform(app, 'bank', {
        registry: { host: 'harbor.bank.example' },
        components: { externalSecrets: { apiServerCidrs: ['10.0.0.0/28'] } },
        secrets: vaultProps(ESO, { cidrs }),
      });
      return named(objects(app), 'HelmRelease', 'external-secrets', 'external-secrets').spec.values;
    };
    expect(() => build()).toThrow(/\[bank\] 'secrets.vault.cidrs' must say where Vault answers: the External Secrets NetworkPolicies \(apiServerCidrs\) let the controller reach only the API servers, got \[\]/);
    const values = build(['10.50.0.10/32']);
    expect(values.networkPolicy.egress).toEqual([
      { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { to: [{ ipBlock: { cidr: '10.0.0.0/28' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      { to: [{ ipBlock: { cidr: '10.50.0.10/32' } }], ports: [{ protocol: 'TCP', port: 8200 }] },
    ]);
    expect(JSON.stringify(values.webhook.networkPolicy)).not.toContain('10.50.0.10');
    expect(JSON.stringify(values.certController.networkPolicy)).not.toContain('10.50.0.10');
    // Without restricted egress there is no policy to extend.
    const open = new App();
    new DevSecOpsPlatform(open, 'bank', { registry: { host: 'harbor.bank.example' }, secrets: vaultProps(ESO) });
    expect(named(objects(open), 'HelmRelease', 'external-secrets', 'external-secrets').spec.values.networkPolicy).toBeUndefined();
  });

  test('restarts nothing, and so refuses environment variables (read once at start) for any secret', () => {
    const app = new App();
    const { platform, payments } = secretsPlatform(app, ESO);
    const ledger = new FakeWorkload(payments, 'ledger');
    expect(() => platform.secrets.addSecret(ledger, 'ledger-api', { source: kv(), delivery: SecretDelivery.env({ API_KEY: 'key' }) }))
      .toThrow(/\[bank\/payments\/Workload-ledger\] 'addSecret\(ledger-api\)\.delivery' is environment variables, which External Secrets cannot renew in running pods .*; mount it with SecretDelivery\.file\(path\)/);
    expect(JSON.parse(platform.secrets._files()['secrets-report.json'] ?? '{"secrets":[]}').secrets).toEqual([]);
  });
});

describe('bad input: a clear error, nothing added', () => {
  function setup(backend = VSO) {
    const app = new App();
    const { platform, payments, coreBanking } = secretsPlatform(app, backend);
    const ledger = new FakeWorkload(payments, 'ledger');
    const accounts = new FakeWorkload(coreBanking, 'accounts');
    return { app, platform, ledger, accounts };
  }
  const refuses = (build: (s: ReturnType<typeof setup>) => void, message: RegExp) => {
    const s = setup();
    const before = apiObjectCount(s.app);
    expect(() => build(s)).toThrow(message);
    expect(apiObjectCount(s.app)).toBe(before);
    expect(s.platform.secrets.secrets).toEqual([]);
  };

  test('an http Vault address', () => {
    expect(() => new DevSecOpsPlatform(new App(), 'bank', { registry: { host: 'harbor.bank.example' }, secrets: vaultProps(VSO, { address: 'http://vault.bank.example:8200' }) }))
      .toThrow("[bank] 'secrets.vault.address' must use https: tokens and secret values would cross the network in clear, got \"http://vault.bank.example:8200\"; serve Vault over TLS and use \"https://vault.bank.example:8200\"");
    expect(() => new DevSecOpsPlatform(new App(), 'bank', { registry: { host: 'harbor.bank.example' }, secrets: vaultProps(VSO, { address: 'https://vault.bank.example/v1' }) }))
      .toThrow(/'secrets.vault.address' must be https:\/\/<host>\[:port\] with no path/);
  });
  test('a CA that is not only certificates (a key pasted by mistake is not echoed)', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    let message = '';
    try {
      new DevSecOpsPlatform(new App(), 'bank', { registry: { host: 'harbor.bank.example' }, secrets: vaultProps(VSO, { caCertificatePem: VAULT_CA + key }) });
    } catch (e: any) { message = e.message; }
    expect(message).toMatch(/'secrets.vault.caCertificatePem' must be PEM certificates only \(BEGIN CERTIFICATE blocks, no key\), got "<not shown>"/);
    expect(message).not.toContain('MIGHAgEA');
  });
  test('a relative path, or one outside the tenant\'s prefix', () => {
    for (const p of ['payments/../core-banking/db', './payments/x', '/payments/x', 'payments//x', 'payments/x/']) {
      refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'api', { source: kv(p), delivery: SecretDelivery.file('/s') }),
        /'addSecret\(api\)\.source\.path' must be a path relative to the mount, without "\." or "\.\." segments/);
    }
    refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'api', { source: kv('core-banking/partner-api'), delivery: SecretDelivery.file('/s') }),
      /\[bank\/payments\/Workload-ledger\] 'addSecret\(api\)\.source\.path' lies outside the tenant's prefix "payments\/", got "core-banking\/partner-api"; use a path under "payments\/", or acknowledge/);
    refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'db', { source: db({ role: 'ledger' }), delivery: SecretDelivery.file('/s') }),
      /'addSecret\(db\)\.source\.role' is not named for the tenant \("payments" or "payments-\.\.\."\), got "ledger"/);
  });
  test('a path outside the prefix is accepted with an acknowledged reason, reported', () => {
    const { platform, ledger } = setup();
    platform.secrets.addSecret(ledger, 'fx-rates', {
      source: VaultSecretSource.kv({ path: 'shared/fx-rates', outsideTenantPrefix: Weakening.acknowledge('RISK-88: market data key shared by treasury') }),
      delivery: SecretDelivery.file('/var/run/secrets/fx'),
    });
    const files = platform.secrets._files();
    expect(files['vault/payments.policy.hcl']).toContain('path "secret/data/shared/fx-rates"');
    expect(JSON.parse(files['secrets-report.json']).secrets[0].outsideTenantPrefix).toBe('RISK-88: market data key shared by treasury');
    refuses(({ platform: p, ledger: l }) => p.secrets.addSecret(l, 'fx', { source: VaultSecretSource.kv({ path: 'shared/fx', outsideTenantPrefix: Weakening.acknowledge('short') }), delivery: SecretDelivery.file('/s') }),
      /'addSecret\(fx\)\.source\.outsideTenantPrefix\.reason' must say why/);
  });
  test('a refresh interval that is not a duration', () => {
    for (const r of ['1 hour', '1h30m', '-5m', '0s', '10']) {
      refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'api', { source: VaultSecretSource.kv({ path: 'payments/api', refreshInterval: r }), delivery: SecretDelivery.file('/s') }),
        new RegExp(`'addSecret\\(api\\)\\.source\\.refreshInterval' is not a duration \\(a whole number and one unit: s, m, h\\), got "${r}"; use a value such as "1h"`));
    }
  });
  test('a PKI TTL not longer than its renewal window', () => {
    refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'tls', { source: cert({ ttl: '24h', renewBefore: '1d' }), delivery: SecretDelivery.file('/s') }),
      /'addSecret\(tls\)\.source\.ttl' is not longer than its renewal window renewBefore \(1d\): .* got "24h"; issue certificates for longer than renewBefore/);
  });
  test('a dynamic secret refreshed no sooner than its lease ends (the restart loop)', () => {
    refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'db', { source: db({ leaseTtl: '15m', refreshInterval: '1h' }), delivery: SecretDelivery.file('/s') }),
      /'addSecret\(db\)\.source\.refreshInterval' is not shorter than the lease \(15m\): the credentials expire before they are refreshed/);
    refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'db', { source: db({ renewalPercent: 95 }), delivery: SecretDelivery.file('/s') }),
      /'addSecret\(db\)\.source\.renewalPercent' must be a whole percent from 0 to 90/);
  });
  test('a secret consumed by a workload of another tenant', () => {
    const { app, platform, ledger, accounts } = setup();
    const secret = platform.secrets.addSecret(ledger, 'ledger-db', { source: db(), delivery: SecretDelivery.file('/var/run/secrets/db') });
    const before = JSON.stringify(objects(app));
    expect(() => platform.secrets.consumeSecret(accounts, secret, SecretDelivery.file('/var/run/secrets/db')))
      .toThrow('[bank/core-banking/Workload-accounts] \'consumeSecret(ledger-db).secret\' belongs to tenant "payments" (declared by bank/payments/Workload-ledger), and this workload runs in tenant "core-banking": secrets never cross tenants, got "ledger-db"; declare the secret in tenant "core-banking" with its own Vault path (addSecret), granted to that tenant');
    expect(JSON.stringify(objects(app))).toBe(before);
  });
  test('a PKI private key in environment variables; two secrets with one destination; no Vault configured', () => {
    refuses(({ platform, ledger }) => platform.secrets.addSecret(ledger, 'tls', { source: cert(), delivery: SecretDelivery.env({ TLS_KEY: 'tls.key' }) }),
      /'addSecret\(tls\)\.delivery' puts a certificate's private key in environment variables/);
    const { platform, ledger } = setup();
    platform.secrets.addSecret(ledger, 'api', { source: kv(), delivery: SecretDelivery.file('/a') });
    expect(() => platform.secrets.addSecret(ledger, 'api', { source: kv('payments/other'), delivery: SecretDelivery.file('/b') }))
      .toThrow(/'addSecret\(api\)\.name' is already the destination of the secret declared by bank\/payments\/Workload-ledger/);
    const app = new App();
    const bare = secretsPlatform(app, false);
    expect(() => bare.platform.secrets.addSecret(new FakeWorkload(bare.payments, 'ledger'), 'api', { source: kv(), delivery: SecretDelivery.file('/a') }))
      .toThrow(/'addSecret\(api\)' needs Vault: the platform has no secrets settings, got "api"; set secrets: \{ vault: \{ address, caCertificatePem \}, backend \}/);
  });
});

describe('synth-time checks, naming both sides', () => {
  test('a declared secret without a consumer fails, unless unused on purpose', () => {
    const app = new App();
    const { platform, payments } = secretsPlatform(app, VSO);
    const ledger = new FakeWorkload(payments, 'ledger');
    platform.secrets.addSecret(ledger, 'spare', { source: kv() });
    expect(() => app.synthYaml()).toThrow(/\[bank\/payments\/Workload-ledger\] 'addSecret\(spare\)' declares a secret no workload consumes, got "spare"/);
    const app2 = new App();
    const s2 = secretsPlatform(app2, VSO);
    s2.platform.secrets.addSecret(new FakeWorkload(s2.payments, 'ledger'), 'spare', { source: kv(), unusedReason: 'read by the nightly batch of another repository (PAY-412)' });
    expect(() => app2.synthYaml()).not.toThrow();
  });

  test('a pod reading a Secret nobody declares fails, unless another tool is named as its writer', () => {
    const app = new App();
    const { platform, payments } = secretsPlatform(app, VSO);
    const ledger = new FakeWorkload(payments, 'ledger');
    ledger.addSecretVolume('hand-made', '/var/run/secrets/hand');
    expect(() => app.synthYaml()).toThrow(/\[bank\/payments\/Workload-ledger\/Deployment\] 'secrets' reads the Secret payments\/hand-made, which no Vault secret declares and no operator writes, got "hand-made"; declare it/);
    platform.secrets.allowUndeclaredSecret(payments, 'hand-made', 'written by cert-manager for the ingress certificate');
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a restart target that does not consume the secret, and two objects writing one Secret, from any source in the App', () => {
    const app = new App();
    const { platform, payments } = secretsPlatform(app, VSO);
    const ledger = new FakeWorkload(payments, 'ledger');
    new FakeWorkload(payments, 'batch');
    platform.secrets.addSecret(ledger, 'ledger-db', { source: db(), delivery: SecretDelivery.file('/var/run/secrets/db') });
    new ApiObject(payments, 'HandWritten', {
      apiVersion: 'secrets.hashicorp.com/v1beta1',
      kind: 'VaultStaticSecret',
      metadata: { name: 'hand', namespace: 'payments' },
      spec: { type: 'kv-v2', mount: 'secret', path: 'payments/x', destination: { name: 'ledger-db', create: true }, rolloutRestartTargets: [{ kind: 'Deployment', name: 'batch' }] },
    });
    let message = '';
    try { app.synthYaml(); } catch (e: any) { message = e.message; }
    expect(message).toMatch(/\[bank\/payments\/HandWritten\] 'destination' writes the Secret payments\/ledger-db, which VaultDynamicSecret bank\/payments\/VaultSecret-ledger-db writes too/);
    expect(message).toMatch(/\[bank\/payments\/HandWritten\] 'rolloutRestartTargets' names Deployment payments\/batch, which \(bank\/payments\/Workload-batch\/Deployment\) does not read the Secret ledger-db/);
  });

  test('a declaration whose operator object was removed through an escape hatch', () => {
    const app = new App();
    const { platform, payments } = secretsPlatform(app, VSO);
    platform.secrets.addSecret(new FakeWorkload(payments, 'ledger'), 'ledger-db', { source: db(), delivery: SecretDelivery.file('/var/run/secrets/db') });
    payments.node.tryRemoveChild('VaultSecret-ledger-db');
    expect(() => app.synthYaml()).toThrow(/'addSecret\(ledger-db\)' has no Vault Secrets Operator object writing it in the App/);
  });
});

const maybe = HAS_SHARED ? test : test.skip;
describe('both backends against the upstream schemas', () => {
  for (const backend of [VSO, ESO]) {
    maybe(`${backend}: 0 kube-validate errors (schemas, CEL, scope, Pod Security)`, () => {
      const dir = synthToDir((app) => {
        const { platform, payments, coreBanking } = secretsPlatform(app, backend);
        const ledger = new FakeWorkload(payments, 'ledger');
        const deliver = (p: string, env: any) => (backend === VSO ? SecretDelivery.env(env) : SecretDelivery.file(p));
        platform.secrets.addSecret(ledger, 'ledger-db', { source: db(), delivery: deliver('/var/run/secrets/db', { DB_USER: 'username', DB_PASSWORD: 'password' }) });
        platform.secrets.addSecret(ledger, 'ledger-tls', { source: cert({ altNames: ['ledger.payments.svc.cluster.local'] }), delivery: SecretDelivery.file('/var/run/secrets/tls') });
        platform.secrets.addSecret(new FakeWorkload(coreBanking, 'accounts'), 'partner-api', {
          source: VaultSecretSource.kv({ path: 'core-banking/partner-api', version: 3, refreshInterval: '15m' }),
          delivery: deliver('/var/run/secrets/partner', { API_KEY: 'api-key' }),
        });
      });
      expect(kubeValidate(dir)).toMatch(/, 0 errors,/);
      const manifests = readTree(dir);
      const secrets = Object.values(manifests).join('\n').match(/^kind: Secret$/gm) ?? [];
      expect(secrets.length).toBe(backend === VSO ? 1 : 0); // only VSO's public CA certificate
      expect(fs.existsSync(path.join(`${dir}-reports`, 'vault', 'payments.policy.hcl'))).toBe(true);
    });
  }
});
