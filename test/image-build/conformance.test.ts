import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { BuildImpactReport, KpackBuildCache, KpackGitSource } from '../../src/image-build';
import { HAS_SHARED, kubeValidate, readTree, synthObjects, synthToDir } from '../util';
import { HARBOR, image, platform, tenant } from './fixtures';
import { KPACK_SWAGGER, kpackSchema, validateStructural } from './structural';

/** A build platform using every option the constructs emit. */
function buildEverything(app: any) {
  const p = platform(app);
  const payments = tenant(app, 'payments');
  const sandbox = tenant(app, 'sandbox');
  image(p, payments, 'ledger', {
    cache: KpackBuildCache.volume('2Gi', 'standard'),
    subPath: 'svc',
    additionalTags: [`${HARBOR}/payments/ledger:stable`],
    source: KpackGitSource.commit('https://git.bank.example/payments/ledger.git', 'f'.repeat(40)),
  });
  image(p, payments, 'gateway', { cache: KpackBuildCache.registry('gateway-cache') });
  image(p, sandbox, 'demo', { source: KpackGitSource.tag('https://git.bank.example/sandbox/demo.git', 'v0.1.0') });
  p.builder.addOrderGroup([{ id: 'paketo-buildpacks/java', version: '13.1.0' }, { id: 'paketo-buildpacks/nodejs', optional: true }]);
  new BuildImpactReport(new Chart(app, 'reports'), 'impact');
  return p;
}

const describeShared = fs.existsSync(KPACK_SWAGGER) ? describe : describe.skip;

describeShared('kpack objects conform to the structural schema built from kpack\'s swagger', () => {
  test('every emitted kpack object validates with no unknown fields', () => {
    const dir = synthToDir((app) => buildEverything(app));
    const objects = Object.values(readTree(dir)).flatMap((yaml) => parseAllDocuments(yaml).map((d: any) => d.toJSON()));
    const kpack = objects.filter((o: any) => o.apiVersion === 'kpack.io/v1alpha2');
    expect(kpack.map((o: any) => o.kind).sort()).toEqual(['ClusterBuilder', 'ClusterLifecycle', 'ClusterStack', 'ClusterStore', 'Image', 'Image', 'Image']);
    for (const o of kpack) expect({ object: `${o.kind}/${o.metadata.name}`, errors: validateStructural(o, kpackSchema(o.kind)) }).toEqual({ object: `${o.kind}/${o.metadata.name}`, errors: [] });
  });

  test('the validator catches unknown fields, wrong types and missing required fields', () => {
    const schema = kpackSchema('Image');
    expect(validateStructural({ spec: { tag: 'x', source: { git: { url: 'u' } }, serviceAccount: 'old-v1alpha1-name', failedBuildHistoryLimit: 'ten' } }, schema)).toEqual([
      '.spec.source.git: missing required field revision',
      '.spec.serviceAccount: unknown field',
      '.spec.failedBuildHistoryLimit: must be an integer',
    ]);
    expect(validateStructural({}, schema)).toEqual(['<root>: missing required field spec']);
  });
});

(HAS_SHARED ? describe : describe.skip)('kube-validate', () => {
  test('the synthesized build layer passes kube-validate --pss with 0 errors', () => {
    const dir = synthToDir((app) => buildEverything(app));
    expect(kubeValidate(dir)).toMatch(/, 0 errors,/);
  });
});

describe('synthesized objects', () => {
  test('each tenant file holds its own build service account and Images', () => {
    const app = new App();
    buildEverything(app);
    const objects = synthObjects(app);
    const images = objects.filter((o) => o.kind === 'Image');
    for (const i of images) {
      const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === i.metadata.namespace && o.metadata.name === i.spec.serviceAccountName);
      expect(sa).toBeDefined();
      expect(i.spec.tag.startsWith(`${HARBOR}/${i.metadata.namespace}/`)).toBe(true);
    }
  });
});
