import { ApiObject, App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { FakeWorkload, secretsPlatform, VAULT_CA } from './fake-workload';
import { DevSecOpsPlatform } from '../../src/platform/devsecops-platform';
import { SecretDelivery, SecretsBackend, VaultSecretSource } from '../../src/secrets';
import { Tier } from '../../src/tenancy/tier';

const RUNS = { numRuns: 25 };
const objects = (app: App) => app.charts.flatMap((c) => c.toJson());

describe('restart targets (property)', () => {
  // Workloads w0..wN-1 in one tenant; each secret is declared by one of them and consumed by a
  // random subset. The expected targets are the chosen subset's names, computed here.
  const model = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
    n: fc.constant(n),
    secrets: fc.array(fc.record({ owner: fc.nat(n - 1), others: fc.uniqueArray(fc.nat(n - 1), { maxLength: n }) }), { minLength: 1, maxLength: 4 }),
  }));

  test('every consumer\'s Deployment is restarted, and nothing else', () => {
    fc.assert(fc.property(model, ({ n, secrets }) => {
      const app = new App();
      const { platform, payments } = secretsPlatform(app, SecretsBackend.VAULT_SECRETS_OPERATOR);
      const workloads = Array.from({ length: n }, (_, i) => new FakeWorkload(payments, `w${i}`));
      const expected: { [name: string]: string[] } = {};
      secrets.forEach((s, i) => {
        const name = `s${i}`;
        const secret = platform.secrets.addSecret(workloads[s.owner], name, { source: VaultSecretSource.kv({ path: `payments/${name}` }), delivery: SecretDelivery.file(`/var/run/secrets/${name}`) });
        const consumers = new Set([s.owner]);
        for (const o of s.others) {
          if (consumers.has(o)) continue;
          platform.secrets.consumeSecret(workloads[o], secret, SecretDelivery.env({ [`S${i}_KEY`]: 'key' }));
          consumers.add(o);
        }
        expected[name] = [...consumers].map((c) => `w${c}`).sort();
      });
      app.synthYaml(); // the whole-App checks accept every computed target
      for (const o of objects(app).filter((x) => x.kind === 'VaultStaticSecret')) {
        expect(o.spec.rolloutRestartTargets).toEqual(expected[o.metadata.name].map((name) => ({ kind: 'Deployment', name })));
      }
    }), { numRuns: 12 });
  });
});

describe('path scoping (property)', () => {
  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/);
  const tenants = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/).filter((t) => !DevSecOpsPlatform.COMPONENT_NAMESPACES.includes(t)), { minLength: 2, maxLength: 2 });

  test('a KV path is accepted exactly when it lies under the tenant\'s own prefix; a role exactly when named for the tenant', () => {
    const rests = fc.array(segment, { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(tenants, rests, fc.boolean(), fc.boolean(), ([mine, theirs], rest, own, roleOwn) => {
      const app = new App();
      const platform = new DevSecOpsPlatform(app, 'p', { registry: { host: 'harbor.bank.example' }, secrets: { vault: { address: 'https://vault.example', caCertificatePem: VAULT_CA } } });
      const tenant = platform.addTenant(mine, { tier: Tier.STANDARD, team: 'team' });
      platform.addTenant(theirs, { tier: Tier.STANDARD, team: 'team' });
      const w = new FakeWorkload(tenant, 'app');
      const kvPath = [own ? mine : theirs, ...rest].join('/');
      const declareKv = () => platform.secrets.addSecret(w, 'kv', { source: VaultSecretSource.kv({ path: kvPath }), delivery: SecretDelivery.file('/a') });
      if (own) expect(declareKv).not.toThrow();
      else expect(declareKv).toThrow(`lies outside the tenant's prefix "${mine}/"`);
      const role = `${roleOwn ? mine : theirs}-${rest[0]}`;
      const declareDb = () => platform.secrets.addSecret(w, 'db', { source: VaultSecretSource.dynamic({ mount: 'database', role, leaseTtl: '1h' }), delivery: SecretDelivery.file('/b') });
      if (roleOwn) expect(declareDb).not.toThrow();
      else expect(declareDb).toThrow(`is not named for the tenant ("${mine}" or "${mine}-...")`);
      // The policy grants exactly what was accepted.
      const hcl = platform.secrets._files()[`vault/${mine}.policy.hcl`] ?? '';
      expect(hcl.includes(`"secret/data/${kvPath}"`)).toBe(own);
      expect(hcl.includes(`"database/creds/${role}"`)).toBe(roleOwn);
      expect(hcl).not.toMatch(new RegExp(`"secret/data/${theirs}/`));
    }), RUNS);
  });
});

describe('plaintext guard over random Apps (property)', () => {
  const value = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((v) => `v4lue-${v}`);
  const obj = fc.record({
    kind: fc.constantFrom('Secret', 'ConfigMap'),
    field: fc.constantFrom('data', 'stringData', 'none'),
    place: fc.constantFrom('tenant', 'own-chart', 'components'),
    raw: fc.boolean(),
    value,
  });

  test('synth fails exactly when some Secret carries data or stringData; the message never carries a value', () => {
    fc.assert(fc.property(fc.array(obj, { maxLength: 6 }), (list) => {
      const app = new App();
      const { platform, payments } = secretsPlatform(app, false);
      const own = new Chart(app, 'own', { namespace: 'payments' });
      list.forEach((o, i) => {
        const scope = o.place === 'tenant' ? payments : o.place === 'own-chart' ? own : platform.components;
        const name = `o${i}`;
        const values = o.field === 'none' ? {} : { [o.field === 'data' && o.kind === 'Secret' ? 'data' : o.kind === 'Secret' ? 'stringData' : 'data']: { k: o.field === 'data' && o.kind === 'Secret' ? Buffer.from(o.value).toString('base64') : o.value } };
        if (o.kind === 'Secret' && !o.raw) new k8s.KubeSecret(scope, name, { metadata: { name, namespace: 'payments' }, ...values });
        else if (o.kind === 'Secret') new ApiObject(scope, name, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'payments' }, ...values });
        else new k8s.KubeConfigMap(scope, name, { metadata: { name, namespace: 'payments' }, ...(o.field === 'none' ? {} : { data: { note: 'plain' } }) });
      });
      const shouldFail = list.some((o) => o.kind === 'Secret' && o.field !== 'none');
      let message = '';
      try { app.synthYaml(); } catch (e: any) { message = e.message; }
      const flagged = (message.match(/puts secret values in the manifests/g) ?? []).length;
      expect(flagged).toBe(list.filter((o) => o.kind === 'Secret' && o.field !== 'none').length);
      expect(message !== '').toBe(shouldFail);
      for (const o of list) expect(message).not.toContain(o.value);
    }), RUNS);
  });
});
