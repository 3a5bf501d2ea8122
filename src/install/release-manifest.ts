import { HelmChart } from './helm-chart';
import { invalid } from '../private/errors';
import { isDnsLabel } from '../private/validate';
import { PodSecurityLevel } from '../tenancy/pod-security';

/**
 * Where a release file names a container image, which decides whether an install can pull it
 * from another registry without editing the file.
 */
export enum ReleaseImageReference {
  /**
   * The `image` of a container of a workload (Deployment) in the release: the Flux
   * Kustomization's `images` overrides rewrite it, so relocation reaches it.
   */
  CONTAINER = 'container',
  /**
   * Named elsewhere (a controller argument, a ConfigMap value, a custom resource the release
   * creates): no image override reaches it, so it is relocated only by rewriting the release
   * file before it is mirrored.
   */
  OTHER = 'other',
}

/**
 * One container image a release runs.
 */
export interface ReleaseImage {
  /**
   * The image name as the release file writes it, without tag or digest (for example
   * `ghcr.io/tektoncd/pipeline/controller-10a3e32792f33651396d02b6855a6e36`).
   */
  readonly name: string;
  /**
   * Tag the release writes or the upstream registry carries for this release. Release files
   * pin images by digest besides.
   * @default - referenced by digest only
   */
  readonly tag?: string;
  /** Where the release file names the image. */
  readonly reference: ReleaseImageReference;
  /** Which object and field names the image, for the report (for example `Deployment tekton-pipelines-controller`). */
  readonly namedIn: string;
}

/**
 * Props of `ReleaseManifest.of`.
 */
export interface ReleaseManifestProps {
  /**
   * Platform component the release installs (for example `tekton-pipelines`): the
   * `devsecops.cdk8s.io/component` label and the name of the Flux objects. A DNS label.
   */
  readonly component: string;

  /** Exact release version (`v1.15.0`, `0.17.2`): ranges and `latest` are refused. */
  readonly version: string;

  /**
   * HTTPS URL of the upstream release file (the GitHub release asset) that the platform team
   * downloads, checks and mirrors into its registry as an OCI artifact.
   */
  readonly releaseUrl: string;

  /**
   * Namespaces the release file creates, the component's own namespace first. The install
   * writes them itself (labels, Pod Security) and drops the release's copies.
   */
  readonly namespaces: string[];

  /**
   * Pod Security level the release's pods need.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;

  /**
   * Why the namespaces need `podSecurity` below `restricted`. Required below `restricted`.
   * @default - none
   */
  readonly podSecurityReason?: string;

  /**
   * The container images the release runs (read from the release's source at the tag).
   * @default - none known: the image report lists nothing for the release
   */
  readonly images?: ReleaseImage[];

  /**
   * What the cluster must already run for the release to apply (for example cert-manager for
   * Cartographer's webhook certificate), as sentences for the README and the report.
   * @default - none
   */
  readonly prerequisites?: string[];

  /**
   * How the version, the asset and the images were confirmed upstream.
   * @default - not recorded
   */
  readonly provenance?: string;
}

const HTTPS = /^https:\/\/[a-z0-9.-]+(:[0-9]+)?\/\S+$/;
const IMAGE_NAME = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$|^[a-z0-9._-]+(\/[a-z0-9._-]+)+$/;

/**
 * A component that upstream ships as a release file (plain Kubernetes YAML attached to a
 * release) rather than as a Helm chart, at one exact version: Tekton Pipelines, kpack,
 * Cartographer. The platform installs it from the platform team's mirror of that file in an OCI
 * registry (`ReleaseManifestInstall`).
 *
 * The releases the platform itself installs are listed once, in `UpstreamReleases`.
 */
export class ReleaseManifest {
  /** A release file at one exact version. */
  public static of(props: ReleaseManifestProps): ReleaseManifest {
    const where = 'ReleaseManifest.of';
    if (typeof props.component !== 'string' || !isDnsLabel(props.component)) {
      invalid(where, 'component', 'must be a DNS label', props.component, 'use a lowercase name such as "tekton-pipelines"');
    }
    if (typeof props.version !== 'string' || !HelmChart.isExactVersion(props.version)) {
      invalid(where, 'version', 'must be one exact release version', props.version,
        'pin the release\'s tag, such as "v1.15.0"; ranges and "latest" make installs unreproducible');
    }
    if (typeof props.releaseUrl !== 'string' || !HTTPS.test(props.releaseUrl)) {
      invalid(where, 'releaseUrl', 'must be the https:// URL of the upstream release file', props.releaseUrl,
        'use the release asset\'s URL, for example "https://github.com/<org>/<repo>/releases/download/<tag>/release.yaml"');
    }
    if (!Array.isArray(props.namespaces) || props.namespaces.length === 0 || props.namespaces.some((n) => typeof n !== 'string' || !isDnsLabel(n))) {
      invalid(where, 'namespaces', 'must list the namespaces the release creates (DNS labels), its own first', props.namespaces,
        'read them from the release\'s Namespace objects, for example ["tekton-pipelines", "tekton-pipelines-resolvers"]');
    }
    if (new Set(props.namespaces).size !== props.namespaces.length) {
      invalid(where, 'namespaces', 'lists a namespace twice', props.namespaces, 'list each namespace once');
    }
    const podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    if (podSecurity !== PodSecurityLevel.RESTRICTED && !(typeof props.podSecurityReason === 'string' && props.podSecurityReason.trim().length >= 10)) {
      invalid(where, 'podSecurityReason', `must say why the release's namespaces need Pod Security "${podSecurity}"`, props.podSecurityReason,
        'name the pods and the controls they need');
    }
    (props.images ?? []).forEach((image, i) => {
      if (typeof image?.name !== 'string' || !IMAGE_NAME.test(image.name)) {
        invalid(where, `images[${i}].name`, 'must be an image name without tag or digest', image?.name, 'for example "ghcr.io/buildpacks-community/kpack/controller"');
      }
      if (!Object.values(ReleaseImageReference).includes(image.reference)) {
        invalid(where, `images[${i}].reference`, 'must be a ReleaseImageReference', image.reference, 'use ReleaseImageReference.CONTAINER or OTHER');
      }
    });
    return new ReleaseManifest(props, podSecurity);
  }

  /** Platform component the release installs. */
  public readonly component: string;
  /** Exact release version. */
  public readonly version: string;
  /** HTTPS URL of the upstream release file. */
  public readonly releaseUrl: string;
  /** Namespaces the release creates, its own first. */
  public readonly namespaces: string[];
  /** Pod Security level the release's pods need. */
  public readonly podSecurity: PodSecurityLevel;
  /** Why the level is below `restricted`, if it is. */
  public readonly podSecurityReason?: string;
  /** The images the release runs. */
  public readonly images: ReleaseImage[];
  /** What the cluster must already run. */
  public readonly prerequisites: string[];
  /** How the release was confirmed upstream. */
  public readonly provenance?: string;

  private constructor(props: ReleaseManifestProps, podSecurity: PodSecurityLevel) {
    this.component = props.component;
    this.version = props.version;
    this.releaseUrl = props.releaseUrl;
    this.namespaces = [...props.namespaces];
    this.podSecurity = podSecurity;
    this.podSecurityReason = props.podSecurityReason;
    this.images = [...(props.images ?? [])];
    this.prerequisites = [...(props.prerequisites ?? [])];
    this.provenance = props.provenance;
  }

  /**
   * Where the platform keeps its mirror of the release file, by convention: the OCI repository
   * `oci://<registryPrefix>/releases/<component>` (tag: the version), for example
   * `oci://harbor.bank.example/platform/releases/tekton-pipelines`.
   * @param registryPrefix registry host and project, for example `harbor.bank.example/platform`
   */
  public mirrorRepository(registryPrefix: string): string {
    if (typeof registryPrefix !== 'string' || !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/.test(registryPrefix)) {
      invalid('ReleaseManifest.mirrorRepository', 'registryPrefix', 'must be a registry host with a project path', registryPrefix,
        'use for example "harbor.bank.example/platform"');
    }
    return `oci://${registryPrefix}/releases/${this.component}`;
  }

  /** The component's own namespace (the first the release creates). */
  public get namespace(): string {
    return this.namespaces[0];
  }
}
