import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { FakeWorkload, secretsPlatform, vaultProps } from './fake-workload';
import { DevSecOpsPlatform } from '../../src/platform/devsecops-platform';
import { SecretDelivery, SecretsBackend, VaultSecretSource } from '../../src/secrets';

/** A value no output may ever contain. */
const CANARY = 'canary-9f3c2d7e-DO-NOT-SHIP';

function synthError(build: (app: App) => void): { message: string; files: string[]; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-guard-'));
  const app = new App({ outdir: dir });
  build(app);
  let message = '';
  try { app.synth(); } catch (e: any) { message = e.message; }
  const files = fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]) : [];
  const reports = `${dir}-reports`;
  if (fs.existsSync(reports)) files.push(...(fs.readdirSync(reports, { recursive: true }) as string[]).map((f) => `reports/${f}`));
  return { message, files, dir };
}

describe('plaintext Secret guard', () => {
  test('refuses a Secret with values from the library\'s k8s classes, cdk8s-plus, a raw ApiObject and an Include, with or without Vault; names keys, never values; writes nothing', () => {
    const yaml = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'include-')), 'legacy.yaml');
    fs.writeFileSync(yaml, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: legacy\n  namespace: payments\ndata:\n  token: ${Buffer.from(CANARY).toString('base64')}\n`);
    for (const backend of [SecretsBackend.VAULT_SECRETS_OPERATOR, false] as const) {
      const { message, files } = synthError((app) => {
        const { payments } = secretsPlatform(app, backend);
        new k8s.KubeSecret(payments, 'Raw', { metadata: { name: 'raw' }, stringData: { password: CANARY } });
        new kplus.Secret(payments, 'Plus', { metadata: { name: 'plus' }, stringData: { apiKey: CANARY } });
        new ApiObject(payments, 'Api', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api' }, data: { key: Buffer.from(CANARY).toString('base64') } });
        new Include(new Chart(app, 'legacy'), 'Legacy', { url: yaml });
      });
      expect(message).toMatch(/\[bank\/payments\/Raw\] 'stringData' puts secret values in the manifests \(Secret payments\/raw, keys password; values not shown\), got "Secret payments\/raw"; declare it as a Vault secret/);
      expect(message).toMatch(/\[bank\/payments\/Plus\/Resource\] 'stringData' puts secret values in the manifests \(Secret payments\/plus, keys apiKey/);
      expect(message).toMatch(/\[bank\/payments\/Api\] 'data' puts secret values/);
      expect(message).toMatch(/\[legacy\/Legacy\/[^\]]+\] 'data' puts secret values in the manifests \(Secret payments\/legacy, keys token/);
      expect(message).not.toContain(CANARY);
      expect(message).not.toContain(Buffer.from(CANARY).toString('base64'));
      expect(files).toEqual([]);
    }
  });

  test('admits Secrets without values (service-account tokens, names only) and exempted ones, which the report lists', () => {
    const app = new App();
    const { platform, payments } = secretsPlatform(app);
    new k8s.KubeSecret(payments, 'Token', { metadata: { name: 'ci-token', annotations: { 'kubernetes.io/service-account.name': 'ci' } }, type: 'kubernetes.io/service-account-token' });
    const fixture = new k8s.KubeSecret(payments, 'Fixture', { metadata: { name: 'fixture' }, stringData: { sample: 'not-a-credential' } });
    expect(() => app.synthYaml()).toThrow(/\[bank\/payments\/Fixture\] 'stringData'/);
    platform.secrets.exemptPlaintextSecret(fixture, 'public test fixture of the conformance suite (SEC-17)');
    expect(() => app.synthYaml()).not.toThrow();
    platform.secrets.addSecret(new FakeWorkload(payments, 'ledger'), 'api', { source: VaultSecretSource.kv({ path: 'payments/api' }), delivery: SecretDelivery.env({ K: 'k' }) });
    expect(JSON.parse(platform.secrets._files()['secrets-report.json']).plaintextExemptions).toEqual([
      { construct: 'bank/payments/Fixture', reason: 'public test fixture of the conformance suite (SEC-17)' },
    ]);
    expect(() => platform.secrets.exemptPlaintextSecret(fixture, 'because')).toThrow(/'exemptPlaintextSecret.reason' must say why/);
  });

  test('the VSO CA Secret is admitted only while it holds certificates alone', () => {
    const app = new App();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' }, secrets: vaultProps(SecretsBackend.VAULT_SECRETS_OPERATOR) });
    expect(() => app.synthYaml()).not.toThrow();
    const ca = platform.components.node.findChild('vault-connection').node.findChild('VaultCa') as ApiObject;
    ca.addJsonPatch(JsonPatch.add('/stringData/tls.key', CANARY));
    let message = '';
    try { app.synthYaml(); } catch (e: any) { message = e.message; }
    expect(message).toMatch(/\[bank\/components\/vault-connection\/VaultCa\] 'stringData' puts secret values in the manifests \(Secret vault-secrets-operator\/vault-ca, keys ca.crt, tls.key/);
    expect(message).not.toContain(CANARY);
  });
});

describe('canary: no secret value in any written file', () => {
  test('a value passed by mistake stops synth before anything is written; a valid platform writes names and paths only', () => {
    const failed = synthError((app) => {
      const { platform, payments } = secretsPlatform(app, SecretsBackend.VAULT_SECRETS_OPERATOR);
      const ledger = new FakeWorkload(payments, 'ledger');
      platform.secrets.addSecret(ledger, 'api', { source: VaultSecretSource.kv({ path: 'payments/api' }), delivery: SecretDelivery.env({ API_KEY: 'api-key' }) });
      new k8s.KubeSecret(payments, 'Mistake', { metadata: { name: 'api-copy' }, stringData: { 'api-key': CANARY } });
    });
    expect(failed.message).toContain("'stringData' puts secret values");
    expect(failed.message).not.toContain(CANARY);
    expect(failed.files).toEqual([]);

    // The same platform without the mistake: every manifest and report is searched.
    for (const backend of [SecretsBackend.VAULT_SECRETS_OPERATOR, SecretsBackend.EXTERNAL_SECRETS]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-canary-'));
      const app = new App({ outdir: dir });
      const { platform, payments } = secretsPlatform(app, backend);
      platform.secrets.addSecret(new FakeWorkload(payments, 'ledger'), 'api', { source: VaultSecretSource.kv({ path: 'payments/api' }), delivery: SecretDelivery.file('/var/run/secrets/api') });
      app.synth();
      const written = [dir, `${dir}-reports`].flatMap((d) => (fs.readdirSync(d, { recursive: true }) as string[]).map((f) => path.join(d, f))).filter((f) => fs.statSync(f).isFile());
      expect(written.some((f) => f.endsWith('secrets-report.json'))).toBe(true);
      for (const f of written) {
        const text = fs.readFileSync(f, 'utf8');
        expect(text).not.toContain(CANARY);
        expect(text).not.toContain(Buffer.from(CANARY).toString('base64'));
      }
    }
  });
});
