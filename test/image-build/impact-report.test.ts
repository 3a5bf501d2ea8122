import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { HARBOR, IMAGES, digest, image, platform, signingKey, tenant } from './fixtures';
import {
  BuildImpactEffect, BuildImpactReport, KpackBuildServiceAccount, KpackClusterBuilder, KpackClusterLifecycle, KpackClusterStack,
  KpackClusterStore, KpackGitSource, KpackImage, RegistryLocation,
} from '../../src/image-build';
import { Tenant, Tier } from '../../src/tenancy';

describe('BuildImpactReport', () => {
  function twoBuilders() {
    const p = platform();
    // a second builder on the same stack and store, with only nodejs
    const node = new KpackClusterBuilder(p.chart, 'node', {
      stack: p.stack,
      store: p.store,
      lifecycle: p.lifecycle,
      project: RegistryLocation.of(HARBOR, 'platform'),
      serviceAccount: p.platformSa,
      order: [{ group: [{ id: 'paketo-buildpacks/nodejs' }] }],
    });
    const payments = tenant(p.app, 'payments');
    const sandbox = tenant(p.app, 'sandbox');
    image(p, payments, 'ledger');
    image(p, sandbox, 'web', { builder: node, source: KpackGitSource.commit('https://git.bank.example/sandbox/web.git', 'c'.repeat(40)) });
    const report = new BuildImpactReport(new Chart(p.app, 'reports'), 'impact');
    return { p, report };
  }

  test('lists, per stack, store source, builder and lifecycle, the Images a change rebases or rebuilds', () => {
    const json = twoBuilders().report.toJson();
    expect(json.clusterStacks).toEqual([{
      name: 'jammy',
      stackId: 'io.buildpacks.stacks.jammy',
      runImage: IMAGES.run,
      buildImage: IMAGES.build,
      builders: ['base', 'node'],
      changes: [
        { field: 'spec.runImage.image', effect: 'REBASE', images: ['payments/ledger', 'sandbox/web'] },
        { field: 'spec.buildImage.image', effect: 'NEXT_BUILD', images: ['payments/ledger', 'sandbox/web'] },
        { field: 'spec.id', effect: 'REBUILD', images: ['payments/ledger', 'sandbox/web'] },
      ],
    }]);
    // the java buildpackage only reaches images whose builder orders java
    expect(json.clusterStores).toEqual([{
      name: 'paketo',
      builders: ['base', 'node'],
      changes: [
        { field: `spec.sources[image=${IMAGES.java}]`, effect: 'REBUILD', images: ['payments/ledger'], buildpackIds: ['paketo-buildpacks/java'] },
        { field: `spec.sources[image=${IMAGES.nodejs}]`, effect: 'REBUILD', images: ['payments/ledger', 'sandbox/web'], buildpackIds: ['paketo-buildpacks/nodejs'] },
      ],
    }]);
    expect(json.clusterBuilders.map((b: any) => [b.name, b.changes[0].images])).toEqual([['base', ['payments/ledger']], ['node', ['sandbox/web']]]);
    expect(json.clusterLifecycles).toEqual([{
      name: 'lifecycle-0-20',
      image: IMAGES.lifecycle,
      builders: ['base', 'node'],
      changes: [{ field: 'spec.image', effect: 'REBUILD', images: ['payments/ledger', 'sandbox/web'] }],
    }]);
    expect(json.images).toEqual([
      { image: 'payments/ledger', tag: `${HARBOR}/payments/ledger`, builder: 'base', source: { url: 'https://git.bank.example/payments/ledger.git', revision: 'main', revisionKind: 'branch' }, rebuildsOnNewCommits: true },
      { image: 'sandbox/web', tag: `${HARBOR}/sandbox/web`, builder: 'node', source: { url: 'https://git.bank.example/sandbox/web.git', revision: 'c'.repeat(40), revisionKind: 'commit' }, rebuildsOnNewCommits: false },
    ]);
  });

  test('writeFile writes the same bytes to the reports folder beside the manifests every time; the report adds no manifest', () => {
    const write = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-'));
      const p = platform(new App({ outdir: dir }));
      image(p, tenant(p.app));
      const report = new BuildImpactReport(new Chart(p.app, 'reports'), 'impact');
      p.app.synth();
      const file = report.writeFile();
      expect(path.dirname(file)).toBe(`${dir}-reports`); // @default directory: never the manifests folder
      expect(fs.readdirSync(dir).filter((f) => !f.endsWith('.k8s.yaml'))).toEqual([]);
      expect(path.basename(file)).toBe('build-impact-report.json'); // @default fileName
      expect(fs.readFileSync(path.join(dir, 'reports.k8s.yaml'), 'utf8')).toBe('');
      return fs.readFileSync(file, 'utf8');
    };
    const first = write();
    expect(write()).toBe(first);
    expect(JSON.parse(first).kind).toBe('BuildImpactReport');
  });

  test('writeFile takes a directory and fileName is configurable', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'impact-')), 'nested');
    const report = new BuildImpactReport(Testing.chart(), 'r', { fileName: 'kpack.json' });
    expect(report.writeFile(dir)).toBe(path.join(dir, 'kpack.json'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'kpack.json'), 'utf8')).images).toEqual([]);
    expect(() => new BuildImpactReport(Testing.chart(), 'bad', { fileName: '../x.json' })).toThrow(/'fileName' is not a plain file name ending in \.json/);
  });

  test('effects are the kpack ones', () => {
    expect(Object.values(BuildImpactEffect).sort()).toEqual(['NEXT_BUILD', 'REBASE', 'REBUILD']);
  });
});

describe('property: random builders and images', () => {
  const BUILDPACKS = ['a/java', 'a/node', 'a/go', 'a/python'];
  const model = fc.record({
    stacks: fc.integer({ min: 1, max: 3 }),
    builders: fc.array(fc.record({
      stack: fc.nat(2),
      order: fc.array(fc.subarray(BUILDPACKS, { minLength: 1 }), { minLength: 1, maxLength: 3 }),
    }), { minLength: 1, maxLength: 4 }),
    images: fc.array(fc.record({
      tenant: fc.constantFrom('payments', 'core', 'sandbox'),
      builder: fc.nat(3),
      repository: fc.stringMatching(/^[a-z][a-z0-9]{0,8}(\/[a-z][a-z0-9]{0,8})?$/),
    }), { maxLength: 8 }),
  });

  test('every Image tag is inside its project, and the report lists every Image under the stack, store sources, builder and lifecycle it uses', () => {
    fc.assert(fc.property(model, (m) => {
      const app = Testing.app();
      const chart = new Chart(app, 'build');
      const sa = new KpackBuildServiceAccount(chart, 'sa', { namespace: 'kpack', registryCredentialsSecretName: 'creds' });
      const store = new KpackClusterStore(chart, 'store', {
        buildpackages: BUILDPACKS.map((id) => ({ image: `r.example/${id}@${digest(id)}`, buildpackIds: [id] })),
      });
      const lifecycle = new KpackClusterLifecycle(chart, 'lc', { image: IMAGES.lifecycle });
      const stacks = Array.from({ length: m.stacks }, (_, i) => new KpackClusterStack(chart, `stack-${i}`, {
        stackId: 'io.buildpacks.stacks.jammy', buildImage: `r.example/build@${digest(`b${i}`)}`, runImage: `r.example/run@${digest(`r${i}`)}`,
      }));
      const builders = m.builders.map((b, i) => new KpackClusterBuilder(chart, `builder-${i}`, {
        stack: stacks[b.stack % stacks.length],
        store,
        lifecycle,
        serviceAccount: sa,
        project: RegistryLocation.of(HARBOR, 'platform'),
        order: b.order.map((group) => ({ group: group.map((id) => ({ id })) })),
      }));
      const tenants = new Map<string, { t: Tenant; sa: KpackBuildServiceAccount }>();
      const images = m.images.map((im, i) => {
        if (!tenants.has(im.tenant)) {
          const t = new Tenant(app, im.tenant, { tier: Tier.STANDARD, team: 'team' });
          tenants.set(im.tenant, { t, sa: new KpackBuildServiceAccount(t, 'sa', { tenant: t, registryCredentialsSecretName: 'creds', signingKey: signingKey() }) });
        }
        const { t, sa: tsa } = tenants.get(im.tenant)!;
        return new KpackImage(t, `img-${i}`, {
          tenant: t,
          project: RegistryLocation.of(HARBOR, im.tenant),
          repository: im.repository,
          builder: builders[im.builder % builders.length],
          buildServiceAccount: tsa,
          source: KpackGitSource.branch('https://git.bank.example/x.git', 'main'),
        });
      });
      const report = new BuildImpactReport(chart, 'report').toJson();

      for (const img of images) {
        const spec = img.apiObject.toJson().spec;
        expect(spec.tag.startsWith(`${HARBOR}/${img.namespace}/`)).toBe(true);
        const ref = `${img.namespace}/${img.name}`;
        const entry = (list: any[], name: string) => list.find((x) => x.name === name);
        const stack = entry(report.clusterStacks, img.builder.stack.name);
        expect(stack.changes.find((c: any) => c.effect === 'REBASE').images).toContain(ref);
        expect(entry(report.clusterBuilders, img.builder.name).changes[0].images).toContain(ref);
        expect(entry(report.clusterLifecycles, 'lc').changes[0].images).toContain(ref);
        // listed under exactly the store sources whose buildpacks its builder orders
        const used = new Set(img.builder.orderBuildpackIds);
        for (const c of entry(report.clusterStores, 'store').changes) {
          expect(c.images.includes(ref)).toBe(c.buildpackIds.some((id: string) => used.has(id)));
        }
        // and under no other stack
        for (const other of report.clusterStacks.filter((s: any) => s.name !== img.builder.stack.name)) {
          expect(other.changes[0].images).not.toContain(ref);
        }
      }
      expect(report.images).toHaveLength(images.length);
    }), { numRuns: 40 });
  });
});
