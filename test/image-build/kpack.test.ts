import { Chart, Testing } from 'cdk8s';
import {
  KpackBuildCache, KpackBuildServiceAccount, KpackClusterBuilder, KpackClusterLifecycle, KpackClusterStack,
  KpackClusterStore, KpackGitSource, KpackImage, RegistryLocation,
} from '../../src/image-build';
import { Tenant, Tier } from '../../src/tenancy';
import { named, synthObjects } from '../util';
import { HARBOR, IMAGES, digest, image, platform, signingKey, tenant } from './fixtures';

function synth() {
  const p = platform();
  const t = tenant(p.app);
  const img = image(p, t);
  return { p, t, img, objects: synthObjects(p.app) };
}

describe('kpack constructs', () => {
  test('defaults', () => {
    const { p, t } = synth();
    expect(Testing.synth(p.chart)).toMatchSnapshot();
    expect(Testing.synth(t.tenant).filter((o: any) => o.apiVersion.startsWith('kpack.io') || o.metadata.name === 'kpack-build')).toMatchSnapshot();
  });

  test('every kpack object is kpack.io/v1alpha2 and the primary child has id Resource', () => {
    const { p, img, objects } = synth();
    for (const o of objects.filter((x) => x.apiVersion.startsWith('kpack.io'))) expect(o.apiVersion).toBe('kpack.io/v1alpha2');
    expect(objects.filter((o) => o.apiVersion === 'kpack.io/v1alpha2').map((o) => o.kind).sort())
      .toEqual(['ClusterBuilder', 'ClusterLifecycle', 'ClusterStack', 'ClusterStore', 'Image']);
    for (const c of [p.stack, p.store, p.lifecycle, p.builder, img, p.platformSa]) expect(c.node.defaultChild!.node.id).toBe('Resource');
    expect(img.apiObject.kind).toBe('Image');
  });

  test('pullSecretNames: further pull-only credentials in secrets and imagePullSecrets, after the push credentials', () => {
    const app = Testing.app();
    const t = tenant(app);
    new KpackBuildServiceAccount(t.tenant, 'sa2', {
      tenant: t.tenant, name: 'kpack-build-2', registryCredentialsSecretName: 'harbor-push', pullSecretNames: ['harbor-platform-pull'], signingKey: signingKey(),
    });
    const sa = named(synthObjects(app), 'ServiceAccount', 'kpack-build-2', 'payments');
    expect(sa.secrets).toEqual([{ name: 'harbor-push' }, { name: 'harbor-platform-pull' }, { name: 'cosign-signing-key' }]);
    expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-push' }, { name: 'harbor-platform-pull' }]);
    expect(() => new KpackBuildServiceAccount(t.tenant, 'sa3', { tenant: t.tenant, name: 'x', registryCredentialsSecretName: 'a', pullSecretNames: ['Not_A_Name'] }))
      .toThrow(/\[payments\/sa3\] 'pullSecretNames\[0\]' is not a Secret name/);
  });

  test('the build service account carries credentials by reference, with no token automount', () => {
    const { objects } = synth();
    const sa = named(objects, 'ServiceAccount', 'kpack-build', 'payments');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.secrets).toEqual([{ name: 'harbor-robot-payments' }, { name: 'cosign-signing-key' }]);
    expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-robot-payments' }]);
    expect(sa.metadata.labels['devsecops.cdk8s.io/tenant']).toBe('payments');
    // no Secret object (and so no key material) is emitted by the build layer
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('BEGIN PUBLIC KEY');
  });

  test('the Image is in the tenant namespace, tagged in the tenant project, built by the ClusterBuilder from git, signed', () => {
    const { objects } = synth();
    const img = named(objects, 'Image', 'ledger', 'payments');
    expect(img.spec).toEqual({
      tag: `${HARBOR}/payments/ledger`,
      builder: { kind: 'ClusterBuilder', name: 'base' },
      serviceAccountName: 'kpack-build',
      source: { git: { url: 'https://git.bank.example/payments/ledger.git', revision: 'main' } },
      cosign: { annotations: [{ name: 'devsecops.cdk8s.io/tenant', value: 'payments' }] },
    });
  });

  test('the ClusterBuilder pushes to the platform project and references stack, store, lifecycle and its account', () => {
    const { objects } = synth();
    const b = named(objects, 'ClusterBuilder', 'base');
    expect(b.metadata.namespace).toBeUndefined();
    expect(b.spec).toEqual({
      tag: `${HARBOR}/platform/builders/base`,
      stack: { kind: 'ClusterStack', name: 'jammy' },
      store: { kind: 'ClusterStore', name: 'paketo' },
      lifecycle: { kind: 'ClusterLifecycle', name: 'lifecycle-0-20' },
      serviceAccountRef: { name: 'builder-push', namespace: 'kpack' },
      order: [{ group: [{ id: 'paketo-buildpacks/java' }] }, { group: [{ id: 'paketo-buildpacks/nodejs' }] }],
    });
  });

  test('stack, store and lifecycle carry the pinned images as given', () => {
    const { objects } = synth();
    expect(named(objects, 'ClusterStack', 'jammy').spec).toEqual({
      id: 'io.buildpacks.stacks.jammy', buildImage: { image: IMAGES.build }, runImage: { image: IMAGES.run },
    });
    expect(named(objects, 'ClusterStore', 'paketo').spec).toEqual({ sources: [{ image: IMAGES.java }, { image: IMAGES.nodejs }] });
    expect(named(objects, 'ClusterLifecycle', 'lifecycle-0-20').spec).toEqual({ image: IMAGES.lifecycle });
  });

  describe('@default', () => {
    test('object names default to the construct id; builder repository to builders/<name>; image repository to its name', () => {
      const { p, img } = synth();
      expect([p.stack.name, p.store.name, p.lifecycle.name, p.builder.name, img.name]).toEqual(['jammy', 'paketo', 'lifecycle-0-20', 'base', 'ledger']);
      expect(p.builder.tag).toBe(`${HARBOR}/platform/builders/base`);
      expect(img.tag).toBe(`${HARBOR}/payments/ledger`);
    });

    test('build service account name is kpack-build, no git secret, no signing key', () => {
      const chart = Testing.chart();
      const sa = new KpackBuildServiceAccount(chart, 'sa', { namespace: 'kpack', registryCredentialsSecretName: 'creds' });
      expect(sa.name).toBe('kpack-build');
      expect(sa.signingKey).toBeUndefined();
      expect(Testing.synth(chart)[0].secrets).toEqual([{ name: 'creds' }]);
      const withGit = new KpackBuildServiceAccount(chart, 'sa2', { namespace: 'kpack', name: 'x', registryCredentialsSecretName: 'creds', gitSecretName: 'git' });
      expect(withGit.apiObject.toJson().secrets).toEqual([{ name: 'creds' }, { name: 'git' }]);
    });

    test('store, stack and lifecycle have no serviceAccountRef unless given', () => {
      const { objects, p } = synth();
      for (const [kind, name] of [['ClusterStack', 'jammy'], ['ClusterStore', 'paketo'], ['ClusterLifecycle', 'lifecycle-0-20']]) {
        expect(named(objects, kind, name).spec.serviceAccountRef).toBeUndefined();
      }
      const chart = new Chart(p.app, 'more');
      const s = new KpackClusterStack(chart, 's2', { stackId: 'x', buildImage: IMAGES.build, runImage: IMAGES.run, serviceAccount: p.platformSa });
      expect(s.apiObject.toJson().spec.serviceAccountRef).toEqual({ name: 'builder-push', namespace: 'kpack' });
    });

    test('order entries carry no version and no optional flag unless given', () => {
      const { p } = synth();
      p.builder.addOrderGroup([{ id: 'paketo-buildpacks/java', version: '13.1.0' }, { id: 'paketo-buildpacks/nodejs', optional: true }]);
      expect(p.builder.apiObject.toJson().spec.order[2]).toEqual({
        group: [{ id: 'paketo-buildpacks/java', version: '13.1.0' }, { id: 'paketo-buildpacks/nodejs', optional: true }],
      });
    });

    test('Image: no cache, no additional tags, no subPath, tenant signature annotation, https-only git', () => {
      const { objects } = synth();
      const spec = named(objects, 'Image', 'ledger', 'payments').spec;
      expect(spec.cache).toBeUndefined();
      expect(spec.additionalTags).toBeUndefined();
      expect(spec.source.subPath).toBeUndefined();
      expect(spec.cosign.annotations).toEqual([{ name: 'devsecops.cdk8s.io/tenant', value: 'payments' }]);
      const p = platform();
      expect(() => image(p, tenant(p.app), 'x', { source: KpackGitSource.branch('ssh://git@git.bank.example/ledger.git', 'main') }))
        .toThrow(/'source\.url' is not an https:\/\/ URL/);
    });
  });

  test('options reach the manifest: cache, additional tags, subPath, commit pin, annotations, ssh opt-in', () => {
    const p = platform();
    const t = tenant(p.app);
    const sha = 'a'.repeat(40);
    const vol = image(p, t, 'vol', {
      cache: KpackBuildCache.volume('2Gi', 'fast'),
      subPath: 'services/ledger',
      additionalTags: [`${HARBOR}/payments/ledger-mirror:stable`],
      source: KpackGitSource.commit('https://git.bank.example/payments/ledger.git', sha),
      signatureAnnotations: { team: 'payments-eng' },
    }).apiObject.toJson().spec;
    expect(vol.cache).toEqual({ volume: { size: '2Gi', storageClassName: 'fast' } });
    expect(vol.additionalTags).toEqual([`${HARBOR}/payments/ledger-mirror:stable`]);
    expect(vol.source).toEqual({ git: { url: 'https://git.bank.example/payments/ledger.git', revision: sha }, subPath: 'services/ledger' });
    expect(vol.cosign).toEqual({ annotations: [{ name: 'team', value: 'payments-eng' }] });
    const reg = image(p, t, 'reg', { cache: KpackBuildCache.registry('reg-cache'), signatureAnnotations: {} }).apiObject.toJson().spec;
    expect(reg.cache).toEqual({ registry: { tag: `${HARBOR}/payments/reg-cache` } });
    expect(reg.cosign).toBeUndefined();
    const ssh = image(p, t, 'ssh', { source: KpackGitSource.tag('ssh://git@git.bank.example/ledger.git', 'v1.2.0'), allowNonHttpsGit: true });
    expect(ssh.apiObject.toJson().spec.source.git).toEqual({ url: 'ssh://git@git.bank.example/ledger.git', revision: 'v1.2.0' });
  });

  test('synthesis is deterministic', () => {
    expect(JSON.stringify(synth().objects)).toBe(JSON.stringify(synth().objects));
  });
});

describe('fails if', () => {
  const chart = () => Testing.chart();

  test('a stack image is not pinned by digest', () => {
    expect(() => new KpackClusterStack(chart(), 's', { stackId: 'io.buildpacks.stacks.jammy', buildImage: 'paketobuildpacks/build-jammy-base:latest', runImage: IMAGES.run }))
      .toThrow(/^\[test\/s\] 'buildImage' is not pinned by digest, got "paketobuildpacks\/build-jammy-base:latest"; append the image digest/);
    expect(() => new KpackClusterStack(chart(), 's', { stackId: 'io.buildpacks.stacks.jammy', buildImage: IMAGES.build, runImage: 'registry.example/run:1' }))
      .toThrow(/'runImage' is not pinned by digest/);
  });

  test('a digest does not parse', () => {
    expect(() => new KpackClusterLifecycle(chart(), 'l', { image: 'registry.example/lifecycle@sha256:1234' }))
      .toThrow(/\[test\/l\] 'image' is not a valid image reference: has digest "sha256:1234", which is not sha256: followed by 64 lowercase hex digits/);
  });

  test('a reference does not parse', () => {
    expect(() => new KpackClusterStore(chart(), 's', { buildpackages: [{ image: 'Registry.Example/Java', buildpackIds: ['java'] }] }))
      .toThrow(/'buildpackages\[0\]\.image' is not a valid image reference/);
  });

  test('a buildpackage or lifecycle is not pinned', () => {
    expect(() => new KpackClusterStore(chart(), 's', { buildpackages: [{ image: 'gcr.io/paketo-buildpacks/java:13', buildpackIds: ['paketo-buildpacks/java'] }] }))
      .toThrow(/'buildpackages\[0\]\.image' is not pinned by digest/);
    expect(() => new KpackClusterLifecycle(chart(), 'l', { image: 'buildpacksio/lifecycle:0.20.0' })).toThrow(/'image' is not pinned by digest/);
  });

  test('two buildpackages declare the same buildpack id, or one declares none', () => {
    const s = new KpackClusterStore(chart(), 's', { buildpackages: [{ image: IMAGES.java, buildpackIds: ['paketo-buildpacks/java'] }] });
    expect(() => s.addBuildpackage({ image: IMAGES.nodejs, buildpackIds: ['paketo-buildpacks/java'] })).toThrow(/'buildpackages\[1\]\.buildpackIds\[0\]' is already provided by/);
    expect(() => s.addBuildpackage({ image: IMAGES.nodejs, buildpackIds: [] })).toThrow(/must list at least one buildpack id/);
    expect(() => s.addBuildpackage({ image: IMAGES.java, buildpackIds: ['x'] })).toThrow(/is already in the store/);
  });

  test('a builder order names a buildpack the store does not declare', () => {
    const p = platform();
    expect(() => p.builder.addOrderGroup([{ id: 'paketo-buildpacks/go' }]))
      .toThrow(/^\[build\/base\] 'order\[2\]\.group\[0\]\.id' names a buildpack the store 'paketo' does not declare, got "paketo-buildpacks\/go"; add a buildpackage providing it to the store, or use one of: paketo-buildpacks\/java, paketo-buildpacks\/nodejs$/);
    expect(() => p.builder.addOrderGroup([{ id: 'paketo-buildpacks/java' }, { id: 'paketo-buildpacks/java' }])).toThrow(/appears twice in the group/);
    expect(() => p.builder.addOrderGroup([])).toThrow(/must list at least one buildpack/);
    expect(() => p.builder.addOrderGroup([{ id: 'paketo-buildpacks/java', version: '^1' }])).toThrow(/'order\[2\]\.group\[0\]\.version' is not an exact version/);
  });

  test('a store or a builder is empty at synth', () => {
    const p = platform();
    new KpackClusterStore(p.chart, 'empty');
    new KpackClusterBuilder(p.chart, 'no-order', { stack: p.stack, store: p.store, lifecycle: p.lifecycle, project: RegistryLocation.of(HARBOR, 'platform'), serviceAccount: p.platformSa });
    expect(() => p.app.synth()).toThrow(/\[build\/empty\] 'buildpackages' is empty[\s\S]*\[build\/no-order\] 'order' is empty/);
  });

  test('an Image tag is outside the declared registry project', () => {
    const p = platform();
    const t = tenant(p.app);
    expect(() => image(p, t, 'x', { additionalTags: [`${HARBOR}/platform/ledger:latest`] }))
      .toThrow(/\[payments\/x\] 'additionalTags\[0\]' is not a tag inside the registry project harbor\.bank\.example\/payments\/, got "harbor\.bank\.example\/platform\/ledger:latest"/);
    expect(() => image(p, t, 'y', { additionalTags: ['other.example/payments/ledger'] })).toThrow(/is not a tag inside the registry project/);
    const leaky = { registryHost: HARBOR, projectName: 'payments', repositoryFor: (n: string) => `docker.io/evil/${n}` };
    expect(() => image(p, t, 'z', { project: leaky })).toThrow(/'project' maps repositories outside its project harbor\.bank\.example\/payments\//);
    expect(() => image(p, t, 'w', { repository: 'Ledger' })).toThrow(/'repository' is not a repository name/);
    expect(() => image(p, t, 'v', { cache: KpackBuildCache.registry('v') })).toThrow(/'cache\.repository' is the image's own repository/);
  });

  test('a git URL is not https, embeds credentials, or a revision is malformed', () => {
    const p = platform();
    const t = tenant(p.app);
    expect(() => image(p, t, 'a', { source: KpackGitSource.branch('http://git.bank.example/ledger.git', 'main') }))
      .toThrow(/^\[payments\/a\] 'source\.url' is not an https:\/\/ URL, got "http:\/\/git\.bank\.example\/ledger\.git"; use the https URL/);
    expect(() => image(p, t, 'b', { source: KpackGitSource.branch('git@git.bank.example:payments/ledger.git', 'main') })).toThrow(/is not an https:\/\/ URL/);
    expect(() => image(p, t, 'c', { source: KpackGitSource.branch('https://bot:s3cret@git.bank.example/ledger.git', 'main') }))
      .toThrow(/'source\.url' embeds credentials, got "https:\/\/\*\*\*:\*\*\*@git\.bank\.example\/ledger\.git"/);
    expect(() => image(p, t, 'd', { source: KpackGitSource.commit('https://git.bank.example/ledger.git', 'ABC123') })).toThrow(/'source\.revision' is not a full commit id/);
    expect(() => image(p, t, 'e', { source: KpackGitSource.branch('https://git.bank.example/ledger.git', 'feature..x') })).toThrow(/is not a valid git branch name/);
    expect(() => image(p, t, 'f', { source: KpackGitSource.branch('not a url', 'main') })).toThrow(/'source\.url' is not a URL/);
  });

  test('the build service account is in another namespace or has no signing key', () => {
    const p = platform();
    const t = tenant(p.app);
    const other = tenant(p.app, 'sandbox');
    expect(() => image(p, t, 'x', { buildServiceAccount: other.sa }))
      .toThrow(/'buildServiceAccount' is in namespace sandbox, not the tenant's namespace payments/);
    const unsigned = new KpackBuildServiceAccount(t.tenant, 'unsigned', { tenant: t.tenant, name: 'unsigned', registryCredentialsSecretName: 'creds' });
    expect(() => image(p, t, 'y', { buildServiceAccount: unsigned }))
      .toThrow(/'buildServiceAccount\.signingKey' is missing: images would be pushed unsigned, got "payments\/unsigned"/);
  });

  test('a service account gets both or neither of tenant and namespace, or reuses a Secret', () => {
    const app = Testing.app();
    const t = new Tenant(app, 'payments', { tier: Tier.STANDARD, team: 'p' });
    expect(() => new KpackBuildServiceAccount(t, 'a', { registryCredentialsSecretName: 'c' })).toThrow(/'tenant' and 'namespace' must be given one at a time/);
    expect(() => new KpackBuildServiceAccount(t, 'b', { tenant: t, namespace: 'x', registryCredentialsSecretName: 'c' })).toThrow(/one at a time/);
    expect(() => new KpackBuildServiceAccount(t, 'c', { tenant: t, registryCredentialsSecretName: 'cosign-signing-key', signingKey: signingKey() }))
      .toThrow(/names the same Secret as another credential/);
    expect(() => new KpackBuildServiceAccount(t, 'd', { tenant: t, registryCredentialsSecretName: 'Bad_Name' })).toThrow(/'registryCredentialsSecretName' is not a Secret name/);
  });

  test('registry locations and names are malformed', () => {
    expect(() => RegistryLocation.of('https://harbor.bank.example', 'p')).toThrow(/'host' is not a lowercase registry host/);
    expect(() => RegistryLocation.of(HARBOR, 'Payments')).toThrow(/'project' is not a registry project name/);
    expect(() => new KpackClusterStack(chart(), 'Bad_Name', { stackId: 'x', buildImage: IMAGES.build, runImage: IMAGES.run })).toThrow(/'name' is not a valid object name/);
    expect(() => new KpackClusterStack(chart(), 's', { stackId: 'x', buildImage: IMAGES.run, runImage: IMAGES.run })).toThrow(/'runImage' is the same image as buildImage/);
    expect(() => new KpackClusterStack(chart(), 't', { stackId: '', buildImage: IMAGES.build, runImage: `r.example/run@${digest('r')}` })).toThrow(/'stackId' is not a stack id/);
    const p = platform();
    const t = tenant(p.app);
    expect(() => image(p, t, 'a'.repeat(64))).toThrow(/at most 63 characters/);
    expect(() => image(p, t, 'b', { cache: KpackBuildCache.volume('lots') })).toThrow(/'cache\.size' must be a non-negative Kubernetes quantity/);
    expect(() => image(p, t, 'c', { subPath: '../etc' })).toThrow(/'subPath' is not a relative path/);
  });

  test('constructs are passed where objects are expected', () => {
    const p = platform();
    const t = tenant(p.app);
    expect(() => new KpackImage(t.tenant, 'x', { tenant: t.tenant, project: t.project, builder: 'base' as any, buildServiceAccount: t.sa, source: KpackGitSource.branch('https://g.example/a.git', 'main') }))
      .toThrow(/'builder' must be a KpackClusterBuilder, got "base"/);
    expect(() => new KpackClusterBuilder(p.chart, 'b2', { stack: p.stack, store: 'paketo' as any, lifecycle: p.lifecycle, project: t.project, serviceAccount: p.platformSa }))
      .toThrow(/'store' must be a KpackClusterStore/);
  });
});
