/** The secrets layer on the real `Workload` (tenant.addWorkload), prebuilt and built by the chain. */
import { App, Testing } from 'cdk8s';
import { VAULT_CA } from './fake-workload';
import { KpackGitSource } from '../../src/image-build/git-source';
import { DevSecOpsPlatform } from '../../src/platform/devsecops-platform';
import { PlatformSecrets, SecretDelivery, SecretsBackend, VaultSecretSource } from '../../src/secrets';
import { Tier } from '../../src/tenancy/tier';
import { WorkloadType } from '../../src/workload/workload-props';
import { addBuilder, chainPlatformProps } from '../supply-chain/fixtures';
import { HAS_SHARED, kubeValidate, named, synthObjects, synthToDir } from '../util';

const HOST = 'harbor.bank.example';
const IMAGE = `${HOST}/payments/ledger@sha256:${'ab'.repeat(32)}`;

function bank(app: App, backend: SecretsBackend) {
  const platform = new DevSecOpsPlatform(app, 'bank', {
    registry: { host: HOST },
    secrets: { backend, vault: { address: 'https://vault.bank.example:8200', caCertificatePem: VAULT_CA } },
  });
  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  payments.addImagePullSecret('harbor-pull');
  const ledger = payments.addWorkload('ledger', { image: IMAGE, ports: [{ port: 8443, name: 'https' }] });
  const settle = payments.addWorkload('settle', { image: IMAGE, type: WorkloadType.WORKER });
  return { platform, payments, ledger, settle };
}

describe('secrets on tenant.addWorkload', () => {
  test('VSO: the workload\'s Deployment reads the Secrets; the VaultAuth is its own service account; rotation restarts its Deployment', () => {
    const app = new App();
    const { platform, ledger, settle } = bank(app, SecretsBackend.VAULT_SECRETS_OPERATOR);
    const creds = platform.secrets.addSecret(ledger, 'ledger-db', {
      source: VaultSecretSource.dynamic({ mount: 'database', role: 'payments-ledger', leaseTtl: '1h' }),
      delivery: SecretDelivery.env({ DB_USER: 'username', DB_PASSWORD: 'password' }),
    });
    platform.secrets.addSecret(ledger, 'ledger-tls', {
      source: VaultSecretSource.pki({ role: 'payments-ledger', commonName: 'ledger.payments.svc', ttl: '72h', renewBefore: '24h' }),
      delivery: SecretDelivery.file('/var/run/secrets/tls'),
    });
    platform.secrets.consumeSecret(settle, creds, SecretDelivery.file('/var/run/secrets/db'));
    const all = synthObjects(app);
    const pod = named(all, 'Deployment', ledger.deploymentName, 'payments').spec.template.spec;
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'username' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'password' } } },
    ]));
    expect(pod.volumes).toEqual(expect.arrayContaining([expect.objectContaining({ secret: { secretName: 'ledger-tls', defaultMode: 0o440 } })]));
    expect(named(all, 'VaultAuth', 'vault-ledger', 'payments').spec.kubernetes.serviceAccount).toBe(ledger.serviceAccountName);
    expect(named(all, 'VaultDynamicSecret', 'ledger-db', 'payments').spec.rolloutRestartTargets).toEqual([
      { kind: 'Deployment', name: 'ledger' }, { kind: 'Deployment', name: 'settle' },
    ]);
    expect(named(all, 'VaultPKISecret', 'ledger-tls', 'payments').spec.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'ledger' }]);
  });

  test('PlatformSecrets.of(workload) finds the platform\'s layer (what Workload.addSecret delegates to); outside a platform, a clear error', () => {
    const app = new App();
    const { platform, ledger } = bank(app, SecretsBackend.VAULT_SECRETS_OPERATOR);
    expect(PlatformSecrets.of(ledger)).toBe(platform.secrets);
    const secret = PlatformSecrets.of(ledger).addSecret(ledger, 'ledger-api', { source: VaultSecretSource.kv({ path: 'payments/ledger' }), delivery: SecretDelivery.env({ API_KEY: 'key' }) });
    expect(platform.secrets.secrets).toEqual([secret]);
    expect(() => PlatformSecrets.of(new App())).toThrow(/'secrets' is not part of a DevSecOpsPlatform/);
  });

  test('a workload built by the chain: the Secrets reach the configuration the chain deploys, and the whole-App checks read it there', () => {
    const app = Testing.app();
    const secrets = { backend: SecretsBackend.VAULT_SECRETS_OPERATOR, vault: { address: 'https://vault.bank.example:8200', caCertificatePem: VAULT_CA } };
    const platform = new DevSecOpsPlatform(app, 'bank', chainPlatformProps({ secrets }));
    addBuilder(platform);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const ledger = platform.addWorkload(payments, 'ledger', { source: KpackGitSource.branch('https://git.bank.example/payments/ledger.git', 'main'), ports: [{ port: 8080 }] });
    platform.secrets.addSecret(ledger, 'ledger-db', {
      source: VaultSecretSource.dynamic({ mount: 'database', role: 'payments-ledger', leaseTtl: '1h' }),
      delivery: SecretDelivery.env({ DB_PASSWORD: 'password' }),
    });
    const all = synthObjects(app);
    const cw = named(all, 'Workload', 'ledger', 'payments');
    const config = cw.spec.params.find((p: any) => p.name === 'platform-config').value;
    expect(config[0].metadata.name).toBe('ledger');
    expect(config[0].spec.template.spec.containers[0].env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'password' } } }]);
    expect(named(all, 'VaultDynamicSecret', 'ledger-db', 'payments').spec.rolloutRestartTargets).toEqual([{ kind: 'Deployment', name: 'ledger' }]);
    // A Secret the chain's configuration reads but nobody declares is found in the parameter too.
    ledger.addSecretVolume('hand-made', '/var/run/secrets/hand');
    expect(() => app.synthYaml()).toThrow(/\[bank\/payments\/Workload-ledger\/[^\]]*\] 'secrets' reads the Secret payments\/hand-made, which no Vault secret declares/);
  });

  const maybe = HAS_SHARED ? test : test.skip;
  for (const backend of [SecretsBackend.VAULT_SECRETS_OPERATOR, SecretsBackend.EXTERNAL_SECRETS]) {
    maybe(`${backend}: a platform of real workloads with secrets validates with 0 errors`, () => {
      const dir = synthToDir((app) => {
        const { platform, ledger, settle } = bank(app, backend);
        platform.secrets.addSecret(ledger, 'ledger-db', {
          source: VaultSecretSource.dynamic({ mount: 'database', role: 'payments-ledger', leaseTtl: '1h' }),
          delivery: SecretDelivery.file('/var/run/secrets/db'),
        });
        platform.secrets.addSecret(settle, 'settle-api', {
          source: VaultSecretSource.kv({ path: 'payments/settle/api' }),
          delivery: SecretDelivery.file('/var/run/secrets/api'),
        });
      });
      expect(kubeValidate(dir)).toMatch(/, 0 errors,/);
    });
  }
});
