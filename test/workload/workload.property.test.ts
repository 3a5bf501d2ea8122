import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DevSecOpsPlatform, KpackGitSource, Tier, WorkloadParams, WorkloadType } from '../../src';
import { addBuilder, chainPlatformProps } from '../supply-chain/fixtures';
import { ofKind, synthObjects } from '../util';

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6})?$/)
  .filter((n) => !DevSecOpsPlatform.COMPONENT_NAMESPACES.includes(n) && n !== 'platform' && !n.startsWith('kube'));

/** Random tenants, each with random built workloads of random types. */
const model = fc.uniqueArray(name, { minLength: 1, maxLength: 4 }).chain((tenants) => fc.tuple(...tenants.map((t) => fc.record({
  tenant: fc.constant(t),
  tier: fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV),
  workloads: fc.uniqueArray(
    fc.record({ name, type: fc.constantFrom(WorkloadType.WEB, WorkloadType.WORKER), repository: fc.option(name, { nil: undefined }) }),
    { maxLength: 3, selector: (w) => w.name }).filter((ws) => new Set(ws.map((w) => w.repository ?? w.name)).size === ws.length),
}))));

describe('workload names are derived once', () => {
  test('every reference to a built workload\'s image, service account and pods follows its tenant and name', () => {
    fc.assert(fc.property(model, (tenants) => {
      const app = Testing.app();
      const platform = new DevSecOpsPlatform(app, 'bank', chainPlatformProps());
      addBuilder(platform);
      for (const t of tenants) {
        const tenant = platform.addTenant(t.tenant, { tier: t.tier, team: 'team' });
        for (const w of t.workloads) {
          platform.addWorkload(tenant, w.name, {
            source: KpackGitSource.branch(`https://git.bank.example/${t.tenant}/${w.name}.git`, 'main'),
            type: w.type,
            repository: w.repository,
            ports: w.type === WorkloadType.WEB ? [{ port: 8080 }] : undefined,
          });
        }
      }
      const objects = synthObjects(app);
      for (const tenant of platform.tenants) {
        const prefix = platform.projectOf(tenant).repositoryPrefix;
        for (const w of tenant.workloads) {
          const cw = ofKind(objects, 'Workload', tenant.namespaceName).find((o) => o.metadata.name === w.workloadName);
          const params = Object.fromEntries(cw.spec.params.map((p: any) => [p.name, p.value]));
          const [deployment, service] = params[WorkloadParams.CONFIG];
          expect(w.imageRepository!.startsWith(`${prefix}/`)).toBe(true);
          expect(params[WorkloadParams.IMAGE_REPOSITORY]).toBe(w.imageRepository);
          expect(deployment.metadata).toMatchObject({ name: w.deploymentName, namespace: tenant.namespaceName });
          expect(deployment.spec.template.spec.serviceAccountName).toBe(w.serviceAccountName);
          expect(deployment.spec.template.spec.containers.map((c: any) => [c.name, c.image])).toEqual([[w.containerName, w.imageRepository]]);
          expect(deployment.spec.template.metadata.labels).toEqual(w.podLabels);
          expect(deployment.spec.selector.matchLabels).toEqual(w.selectorLabels);
          expect(service?.metadata.name).toBe(w.serviceName);
          expect(cw.spec.serviceAccountName).toBe(w.chainServiceAccountName);
          // exactly one chain selects it
          const selecting = ofKind(objects, 'ClusterSupplyChain').filter((c) => Object.entries(c.spec.selector).every(([k, v]) => cw.metadata.labels[k] === v));
          expect(selecting).toHaveLength(1);
          expect(ofKind(objects, 'ServiceAccount', tenant.namespaceName).map((s) => s.metadata.name)).toContain(w.serviceAccountName);
        }
      }
    }), { numRuns: 25 });
  });
});
