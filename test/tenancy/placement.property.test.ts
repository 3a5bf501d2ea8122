import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DevSecOpsPlatform, Tier } from '../../src';
import { CLUSTER_SCOPED_KINDS, NAMESPACED_KINDS } from '../../src/private/api-scopes.generated';
import { synthObjects } from '../util';

const tenantName = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8})?$/)
  .filter((n) => !n.startsWith('kube-') && !DevSecOpsPlatform.COMPONENT_NAMESPACES.includes(n) && n !== 'platform' && n !== 'default');
const tier = fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV);

/** Where a user object of a tenant says it goes. */
type Placement = 'unset' | 'own' | 'component';
const model = fc.uniqueArray(tenantName, { minLength: 1, maxLength: 5 }).chain((names) => fc.record({
  harbor: fc.boolean(),
  tenants: fc.tuple(...names.map((n) => fc.record({ name: fc.constant(n), tier }))),
  objects: fc.array(fc.record({
    tenant: fc.nat(names.length - 1),
    kind: fc.constantFrom('ConfigMap', 'Service', 'ServiceAccount'),
    placement: fc.constantFrom<Placement>('unset', 'own', 'component'),
  }), { maxLength: 8 }),
}));

function build(app: App, m: any): DevSecOpsPlatform {
  const platform = new DevSecOpsPlatform(app, 'p', {
    registry: { host: 'harbor.bank.example', ...(m.harbor ? { harbor: { providerCredentialsSecretName: 'harbor-creds' } } : {}) },
  });
  const tenants = m.tenants.map((t: any) => platform.addTenant(t.name, { tier: t.tier, team: 'team' }));
  m.objects.forEach((o: any, i: number) => {
    const t = tenants[o.tenant];
    const namespace = o.placement === 'own' ? t.namespaceName : o.placement === 'component' ? 'gatekeeper-system' : undefined;
    new ApiObject(t, `Obj${i}`, {
      apiVersion: 'v1',
      kind: o.kind,
      metadata: { name: `obj-${i}`, ...(namespace ? { namespace } : {}) },
      ...(o.kind === 'Service' ? { spec: { type: 'ClusterIP', ports: [{ port: 8443 }] } } : {}),
      ...(o.kind === 'ServiceAccount' ? { automountServiceAccountToken: false } : {}),
    });
  });
  return platform;
}

const scopeOf = (o: any) => {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const key = `${group}/${o.kind}`;
  if (CLUSTER_SCOPED_KINDS.has(key) || group === 'constraints.gatekeeper.sh') return 'cluster';
  return NAMESPACED_KINDS.has(key) ? 'namespaced' : 'unknown';
};

describe('namespace placement (property-based)', () => {
  test('no object lands in an undeclared namespace; namespaced objects always have one, cluster-scoped ones none', () => {
    fc.assert(fc.property(model, (m: any) => {
      const app = Testing.app();
      build(app, m);
      const objects = synthObjects(app);
      const declared = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
      // The one namespace the platform targets without creating it (kpack's, with builds) is not in play here.
      for (const o of objects) {
        const scope = scopeOf(o);
        expect(scope).not.toBe('unknown');
        if (scope === 'cluster') {
          expect(o.metadata.namespace).toBeUndefined();
        } else {
          expect(declared).toContain(o.metadata.namespace);
        }
      }
      // Each user object is where its placement says.
      m.objects.forEach((o: any, i: number) => {
        const json = objects.find((x) => x.metadata.name === `obj-${i}` && x.kind === o.kind);
        expect(json.metadata.namespace).toBe(o.placement === 'component' ? 'gatekeeper-system' : m.tenants[o.tenant].name);
      });
    }), { numRuns: 25 });
  });

  test('an object of a tenant placed in another tenant\'s, the default or an undeclared namespace fails synth, naming it, and nothing is written', () => {
    const bad = model.chain((m: any) => fc.record({
      m: fc.constant(m),
      into: fc.nat(m.tenants.length - 1),
      target: fc.oneof(fc.constant('other'), fc.constant('default'), tenantName.map((n) => `undeclared-${n}`)),
    })).filter(({ m, target }: any) => target !== 'other' || m.tenants.length > 1);
    fc.assert(fc.property(bad, ({ m, into, target }: any) => {
      const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'placement-prop-')), 'out');
      const app = new App({ outdir });
      const platform = build(app, m);
      const from = platform.tenants[into];
      const ns = target === 'other' ? platform.tenants[(into + 1) % m.tenants.length].namespaceName : target;
      new ApiObject(from, 'Misplaced', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'misplaced', namespace: ns } });
      let message = '';
      try {
        app.synth();
      } catch (e: any) {
        message = e.message;
      }
      expect(message).toContain(`[${from.node.path}/Misplaced] 'metadata.namespace'`);
      expect(message).toContain(`got ${JSON.stringify(ns)}`);
      expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]); // cdk8s creates the folder before validating
      expect(fs.existsSync(`${outdir}-reports`)).toBe(false);
      fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
    }), { numRuns: 25 });
  });
});
