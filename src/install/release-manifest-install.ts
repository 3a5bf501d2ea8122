import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ComponentImage, IComponentInstall } from './flux-helm-install';
import { componentLabels, componentNamespace } from './private/component-namespace';
import { fluxDuration, ociVerify } from './private/flux-settings';
import { ReleaseImageReference, ReleaseManifest } from './release-manifest';
import { HelmChartVerification } from './release-settings';
import { Kustomization, KustomizationSpecDeletionPolicy, KustomizationSpecSourceRefKind } from '../imports/flux-kustomize-kustomize.toolkit.fluxcd.io';
import { OciRepository, OciRepositorySpecLayerSelectorOperation } from '../imports/flux-source-source.toolkit.fluxcd.io';
import { invalid } from '../private/errors';
import { isDnsSubdomain } from '../private/validate';
import { PodSecurityLevel } from '../tenancy/pod-security';

/**
 * How an install pulls and applies a mirrored release, besides where from: the settings a
 * platform can take per component while deriving the repository itself.
 */
export interface ReleaseArtifactOptions {
  /**
   * Digest of the mirrored artifact (`sha256:<64 hex>`, printed by `flux push artifact`). Flux
   * then pulls exactly that content and ignores the tag, so re-pushing the tag changes nothing.
   * @default - the version tag only
   */
  readonly artifactDigest?: string;

  /**
   * Cosign verification of the mirrored artifact's signature (`cosign sign` after the push).
   * @default - no signature verification
   */
  readonly verification?: HelmChartVerification;

  /**
   * How often Flux re-applies the release, correcting drift (Go duration).
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * How often Flux checks the artifact repository (Go duration).
   * @default '1h'
   */
  readonly sourceInterval?: string;

  /**
   * How long Flux waits for the release's objects to become ready (Go duration).
   * @default '5m'
   */
  readonly timeout?: string;

  /**
   * ServiceAccount (in the component's namespace) Flux impersonates to apply the release.
   * @default - Flux's controller account, or its `--default-service-account`
   */
  readonly serviceAccountName?: string;

  /**
   * `kubernetes.io/dockerconfigjson` Secret (in the component's namespace) with credentials for
   * the mirror's registry (Flux `OCIRepository.spec.secretRef`): a private project needs one,
   * for example the dockerconfigjson Secret of a pull robot of the platform project.
   * @default - anonymous pull
   */
  readonly pullSecretName?: string;

  /**
   * Secret (in the component's namespace) holding `ca.crt`, the CA that signed the mirror
   * registry's certificate (Flux `OCIRepository.spec.certSecretRef`), for a registry behind a
   * private CA.
   * @default - the source-controller's trusted CAs
   */
  readonly caSecretName?: string;
}

/**
 * Where and how an install pulls a mirrored release, common to every release install.
 */
export interface ReleaseInstallOptions extends ReleaseArtifactOptions {
  /**
   * The OCI repository (without tag) holding the platform team's mirror of the release file,
   * pushed with `flux push artifact <repository>:<version> --path=<release file>`, for example
   * `oci://harbor.bank.example/platform/releases/tekton-pipelines`. Flux pulls the tag that is
   * the release's exact version.
   */
  readonly artifactRepository: string;

  /**
   * Releases that must be applied and ready first (Flux Kustomization `dependsOn`).
   * @default - none
   */
  readonly dependsOn?: ReleaseManifestInstall[];
}

/**
 * Props of `ReleaseManifestInstall`.
 */
export interface ReleaseManifestInstallProps extends ReleaseInstallOptions {
  /** The release, usually an entry of `UpstreamReleases`. */
  readonly release: ReleaseManifest;
}

const OCI_URL = /^oci:\/\/[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const FLUX_CONTENT_LAYER = 'application/vnd.cncf.flux.content.v1.tar+gzip';

/**
 * Installs a component from its upstream release file through Flux, the file being the
 * platform team's unchanged mirror of it in an OCI registry: the component's namespaces
 * (labelled with the component and its Pod Security level), a `source.toolkit.fluxcd.io/v1`
 * OCIRepository pinned to the release's exact version (and, given, the artifact's digest and
 * signature) and a `kustomize.toolkit.fluxcd.io/v1` Kustomization (construct id `Resource`)
 * that applies the file with pruning and health checks. Deleting the install orphans the
 * release's objects rather than deleting them (its CRDs would take every custom resource of
 * their kinds with them).
 *
 * The namespaces are written here rather than by the release (the Kustomization drops the
 * release's Namespace objects), so they exist before the objects other layers write into them
 * and carry the platform's labels.
 */
export class ReleaseManifestInstall extends Construct implements IComponentInstall {
  /** The component's own namespace; the Flux objects live there. */
  public readonly namespace: string;
  /** Name of the Kustomization and its OCIRepository (the component name). */
  public readonly releaseName: string;
  /** The release installed. */
  public readonly release: ReleaseManifest;
  /** Pod Security level enforced on the release's namespaces. */
  public readonly podSecurity: PodSecurityLevel;
  /** The Namespace objects, the component's own first. */
  public readonly namespaceObjects: ApiObject[];
  /** The OCIRepository. */
  public readonly source: ApiObject;
  /** The Kustomization (escape hatch: `kustomization.addJsonPatch(...)`). */
  public readonly kustomization: ApiObject;
  /** The OCI repository of the mirrored release file. */
  public readonly artifactRepository: string;

  private readonly dependencies: ReleaseManifestInstall[] = [];
  private relocatedTo?: string;

  constructor(scope: Construct, id: string, props: ReleaseManifestInstallProps) {
    super(scope, id);
    const release = props.release;
    if (!(release instanceof ReleaseManifest)) {
      invalid(this, 'release', 'must be a ReleaseManifest', release, 'use an entry of UpstreamReleases or ReleaseManifest.of(...)');
    }
    this.release = release;
    this.namespace = release.namespace;
    this.releaseName = release.component;
    this.podSecurity = release.podSecurity;
    if (typeof props.artifactRepository !== 'string' || !OCI_URL.test(props.artifactRepository)) {
      invalid(this, 'artifactRepository', 'must be an oci:// repository without tag or digest', props.artifactRepository,
        `push the release file with "flux push artifact" and give its repository, e.g. "oci://harbor.bank.example/platform/releases/${release.component}"`);
    }
    this.artifactRepository = props.artifactRepository;
    if (props.artifactDigest !== undefined && !DIGEST.test(props.artifactDigest)) {
      invalid(this, 'artifactDigest', 'must be a sha256 digest', props.artifactDigest, 'use the "sha256:<64 hex>" digest "flux push artifact" printed');
    }
    const interval = this.duration('interval', props.interval ?? '10m');
    const sourceInterval = this.duration('sourceInterval', props.sourceInterval ?? '1h');
    const timeout = this.duration('timeout', props.timeout ?? '5m');
    for (const [prop, value, what] of [
      ['serviceAccountName', props.serviceAccountName, 'ServiceAccount'],
      ['pullSecretName', props.pullSecretName, 'Secret'],
      ['caSecretName', props.caSecretName, 'Secret'],
    ] as const) {
      if (value !== undefined && !isDnsSubdomain(value)) {
        invalid(this, prop, `must be a ${what} name (DNS subdomain)`, value, `use the name of a ${what} in namespace "${this.namespace}"`);
      }
    }

    const labels = componentLabels(release.component);
    this.namespaceObjects = release.namespaces.map((name, i) => componentNamespace(this, i === 0 ? 'Namespace' : `Namespace-${name}`, name,
      release.component, this.podSecurity, release.podSecurityReason));
    const metadata = { name: this.releaseName, namespace: this.namespace, labels };

    this.source = new OciRepository(this, 'Source', {
      metadata,
      spec: {
        url: props.artifactRepository,
        interval: sourceInterval,
        ref: props.artifactDigest !== undefined ? { digest: props.artifactDigest } : { tag: release.version },
        layerSelector: { mediaType: FLUX_CONTENT_LAYER, operation: OciRepositorySpecLayerSelectorOperation.EXTRACT },
        verify: this.renderVerify(props.verification),
        secretRef: props.pullSecretName !== undefined ? { name: props.pullSecretName } : undefined,
        certSecretRef: props.caSecretName !== undefined ? { name: props.caSecretName } : undefined,
      },
    });

    this.kustomization = new Kustomization(this, 'Resource', {
      metadata,
      spec: {
        sourceRef: { kind: KustomizationSpecSourceRefKind.OCI_REPOSITORY, name: this.releaseName },
        path: './',
        interval,
        timeout,
        retryInterval: interval,
        prune: true,
        // Deleting the install must not cascade to the release's CRDs and with them every
        // Workload, TaskRun or Image in the cluster; prune still removes what a newer release drops.
        deletionPolicy: KustomizationSpecDeletionPolicy.ORPHAN,
        wait: true,
        serviceAccountName: props.serviceAccountName,
        commonMetadata: { labels },
        // The release's own Namespace objects are replaced by the ones written above.
        patches: release.namespaces.map((name) => ({
          target: { kind: 'Namespace', name },
          patch: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n$patch: delete\n`,
        })),
        images: Lazy.any({ produce: () => this.renderImages() }),
        dependsOn: Lazy.any({ produce: () => this.renderDependsOn() }),
      },
    });
    for (const dep of props.dependsOn ?? []) this.addDependency(dep);
  }

  /** Makes Flux apply this release only once `install` is applied and ready. */
  public addDependency(install: ReleaseManifestInstall): void {
    if (!(install instanceof ReleaseManifestInstall)) {
      invalid(this, 'dependsOn', 'must be a ReleaseManifestInstall', install, 'pass another release install (Flux Kustomizations depend only on Kustomizations)');
    }
    if (install === this) {
      invalid(this, 'dependsOn', 'cannot contain the install itself', install.node.path, 'remove the self-reference');
    }
    if (!this.dependencies.includes(install)) this.dependencies.push(install);
  }

  /**
   * Pulls the release's workload images from `registryPrefix` (a registry host and project,
   * for example `harbor.bank.example/platform`), keeping each image's path and digest, through
   * the Kustomization's image overrides. Images the release names elsewhere (controller
   * arguments, ConfigMaps) are out of their reach: `images` lists them with a note, to be
   * relocated in the mirrored file.
   */
  public relocateImages(registryPrefix: string): void {
    if (typeof registryPrefix !== 'string' || !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/.test(registryPrefix)) {
      invalid(this, 'registryPrefix', 'must be a registry host with a project path', registryPrefix, 'use for example "harbor.bank.example/platform"');
    }
    this.relocatedTo = registryPrefix;
  }

  /** The images the release runs and where each is pulled from. */
  public get images(): ComponentImage[] {
    return this.release.images.map((image) => {
      const suffix = image.tag ? `:${image.tag}` : '';
      const relocated = this.relocatedTo !== undefined && image.reference === ReleaseImageReference.CONTAINER;
      return {
        component: this.release.component,
        namespace: this.namespace,
        chart: `${this.release.component}@${this.release.version}`,
        valuesKey: image.reference === ReleaseImageReference.CONTAINER ? `kustomization.images[${image.name}]` : image.namedIn,
        upstream: `${image.name}${suffix}`,
        pulledFrom: relocated ? `${relocatedName(this.relocatedTo!, image.name)}${suffix}` : `${image.name}${suffix}`,
        note: this.relocatedTo !== undefined && !relocated
          ? `named in ${image.namedIn}, which Flux image overrides do not reach: rewrite it in the release file before mirroring` : undefined,
      };
    });
  }

  private renderImages(): any {
    if (this.relocatedTo === undefined) return undefined;
    const images = this.release.images.filter((i) => i.reference === ReleaseImageReference.CONTAINER);
    if (images.length === 0) return undefined;
    return images.map((i) => ({ name: i.name, newName: relocatedName(this.relocatedTo!, i.name) }));
  }

  private renderDependsOn(): any {
    if (this.dependencies.length === 0) return undefined;
    return this.dependencies.map((d) => ({ name: d.releaseName, namespace: d.namespace }));
  }

  private renderVerify(verification?: HelmChartVerification): any {
    if (verification === undefined) return undefined;
    if (!(verification instanceof HelmChartVerification)) {
      invalid(this, 'verification', 'must be a HelmChartVerification', verification, 'use HelmChartVerification.cosignPublicKeys(secret) or cosignKeyless(issuer, subject)');
    }
    return ociVerify(this, verification);
  }

  private duration(prop: string, value: string): string {
    return fluxDuration(this, prop, value);
  }
}

/** `ghcr.io/tektoncd/pipeline/x` -> `<prefix>/tektoncd/pipeline/x`; a name without registry host keeps its whole path. */
function relocatedName(prefix: string, name: string): string {
  const parts = name.split('/');
  const hasHost = parts.length > 1 && /[.:]/.test(parts[0]);
  return `${prefix}/${(hasHost ? parts.slice(1) : parts).join('/')}`;
}
