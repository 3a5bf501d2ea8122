import { ReleaseImageReference, ReleaseManifest } from './release-manifest';

const TEKTON_REPO = 'ghcr.io/tektoncd/pipeline';
const KPACK_REPO = 'ghcr.io/buildpacks-community/kpack';

/** ko's default image name for a Tekton command: `<cmd>-<md5 of its import path>` (computed once, here). */
function koName(cmd: string): string {
  return `${cmd}-${KO_HASHES[cmd]}`;
}

/** md5 of `github.com/tektoncd/pipeline/cmd/<cmd>`, as ko appends it to the image name. */
const KO_HASHES: { readonly [cmd: string]: string } = {
  controller: '10a3e32792f33651396d02b6855a6e36',
  webhook: 'd4749e605405422fd87700164e31b2d1',
  events: 'a9042f7efb0cbade2a868a1ee5ddd52c',
  resolvers: 'ff86b24f130c42b88983d3c13993056d',
  entrypoint: 'bff0a22da108bc2f16c818c97641a296',
  nop: '8eac7c133edad5df719dc37b36b62482',
  sidecarlogresults: '7501c6a20d741631510a448b48ab098f',
  workingdirinit: '0c558922ec6a1b739e550e349f2d5fc1',
};

/**
 * The one table of components the platform installs from upstream release files (the supply
 * chain's engine, its task runner and its image builder), each pinned to an exact release.
 *
 * None of them ships a Helm chart at these versions, and none has a git tree Flux could apply
 * at the tag: Tekton's `config/` names images as `ko://` build references, kpack's and
 * Cartographer's `config/` are ytt templates. What each project publishes is one YAML file per
 * release with images pinned by digest. The platform team downloads that file, checks it as the
 * project says (checksum in the release notes, signatures of the images), and pushes it
 * unchanged to its registry as an OCI artifact tagged with the version
 * (`flux push artifact oci://<registry>/<project>/releases/<component>:<version> --path=<file>`);
 * `ReleaseManifestInstall` installs it from there with Flux.
 *
 * Image names are facts read from each project's release workflow at the tag (how the images
 * are named and pushed); the images' digests are in the release file itself.
 */
export class UpstreamReleases {
  /**
   * Tekton Pipelines v1.15.0, the task runner of the supply chain's scan, policy and deploy
   * steps. Creates `tekton-pipelines` and `tekton-pipelines-resolvers`, both Pod Security
   * `restricted` upstream.
   */
  public static readonly TEKTON_PIPELINES = ReleaseManifest.of({
    component: 'tekton-pipelines',
    version: 'v1.15.0',
    releaseUrl: 'https://infra.tekton.dev/tekton-releases/pipeline/previous/v1.15.0/release.yaml',
    namespaces: ['tekton-pipelines', 'tekton-pipelines-resolvers'],
    images: [
      ...['controller', 'webhook', 'events', 'resolvers'].map((cmd) => ({
        name: `${TEKTON_REPO}/${koName(cmd)}`,
        tag: 'v1.15.0',
        reference: ReleaseImageReference.CONTAINER,
        namedIn: `Deployment ${{ controller: 'tekton-pipelines-controller', webhook: 'tekton-pipelines-webhook', events: 'tekton-events-controller', resolvers: 'tekton-pipelines-remote-resolvers' }[cmd]}`,
      })),
      ...['entrypoint', 'nop', 'sidecarlogresults', 'workingdirinit'].map((cmd) => ({
        name: `${TEKTON_REPO}/${koName(cmd)}`,
        tag: 'v1.15.0',
        reference: ReleaseImageReference.OTHER,
        namedIn: `argument -${cmd}-image of Deployment tekton-pipelines-controller (step helper image of every TaskRun pod)`,
      })),
      {
        name: 'cgr.dev/chainguard/busybox',
        reference: ReleaseImageReference.OTHER,
        namedIn: 'argument -shell-image of Deployment tekton-pipelines-controller',
      },
    ],
    provenance: 'tag v1.15.0 of tektoncd/pipeline (commit 70f730815249a12aa725266fba7f3ff39653aaea): tekton/publish.yaml builds release.yaml with `ko resolve -f config/` into KO_DOCKER_REPO ghcr.io/tektoncd/pipeline (ko\'s default names: <cmd>-<md5 of the import path>); '
      + '.tekton/release.yaml publishes it to the tekton-releases bucket served at infra.tekton.dev and to the GitHub release; the CRDs are those of ../shared/crds/tekton (same commit). '
      + 'The Windows shell image (-shell-image-win) is not listed: it runs only on Windows nodes.',
  });

  /**
   * kpack 0.17.2, the image builder (builds, signs and rebases the applications' images).
   * Creates `kpack`, Pod Security `restricted` upstream.
   */
  public static readonly KPACK = ReleaseManifest.of({
    component: 'kpack',
    version: '0.17.2',
    releaseUrl: 'https://github.com/buildpacks-community/kpack/releases/download/v0.17.2/release-0.17.2.yaml',
    namespaces: ['kpack'],
    images: [
      { name: `${KPACK_REPO}/controller`, tag: '0.17.2', reference: ReleaseImageReference.CONTAINER, namedIn: 'Deployment kpack-controller' },
      { name: `${KPACK_REPO}/webhook`, tag: '0.17.2', reference: ReleaseImageReference.CONTAINER, namedIn: 'Deployment kpack-webhook' },
      ...['build-init', 'build-waiter', 'rebase', 'completion'].map((name) => ({
        name: `${KPACK_REPO}/${name}`,
        tag: '0.17.2',
        reference: ReleaseImageReference.OTHER,
        namedIn: `ConfigMap ${name}-image (run in every build pod, in the tenants' namespaces)`,
      })),
      { name: `${KPACK_REPO}/lifecycle`, tag: '0.17.2', reference: ReleaseImageReference.OTHER, namedIn: 'ClusterLifecycle default-lifecycle' },
    ],
    provenance: 'tag v0.17.2 of buildpacks-community/kpack (commit bfa95d79a5b888311a182695041c49f5436211ae): .github/workflows/ci.yaml renders config/ with ytt into release-0.17.2.yaml, '
      + 'promotes each image to PUBLIC_IMAGE_REPO/<name> tagged 0.17.2 and writes the file\'s sha256 checksum into the release notes; the CRDs are those of ../shared/crds/kpack (same commit)',
  });

  /**
   * Cartographer v0.8.11, the supply chain's choreographer (Workloads, ClusterSupplyChains and
   * their templates). Creates `cartographer-system`, which upstream leaves without a Pod
   * Security label; its controller runs as non-root with a read-only root filesystem, all
   * capabilities dropped and the runtime-default seccomp profile, so the install enforces
   * `restricted` there.
   */
  public static readonly CARTOGRAPHER = ReleaseManifest.of({
    component: 'cartographer',
    version: 'v0.8.11',
    releaseUrl: 'https://github.com/vmware-tanzu/cartographer/releases/download/v0.8.11/cartographer.yaml',
    namespaces: ['cartographer-system'],
    images: [
      { name: 'projectcartographer/cartographer', tag: 'v0.8.11', reference: ReleaseImageReference.CONTAINER, namedIn: 'Deployment cartographer-controller' },
    ],
    prerequisites: [
      'cert-manager (cert-manager.io/v1): the release issues its webhook certificate with a cert-manager Issuer and Certificate in cartographer-system',
    ],
    provenance: 'tag v0.8.11 of vmware-tanzu/cartographer (commit ced67ea1e718316c3b29a4431979f2ae15bdd7f9), the last release: hack/release.sh renders config/ with ytt into cartographer.yaml '
      + 'with the controller image <registry>/cartographer:<version>, the registry being projectcartographer (.github/workflows/release.yaml); the asset checksums are in the release notes; '
      + 'the CRDs are those of ../shared/crds/cartographer',
  });

  /** Every release of the table, in a fixed order. */
  public static all(): ReleaseManifest[] {
    return [UpstreamReleases.TEKTON_PIPELINES, UpstreamReleases.KPACK, UpstreamReleases.CARTOGRAPHER];
  }

  private constructor() {}
}
