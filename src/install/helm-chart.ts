import { invalid } from '../private/errors';
import { isDnsLabel } from '../private/validate';
import { PodSecurityLevel } from '../tenancy/pod-security';

/**
 * Where Flux fetches a chart from.
 */
export enum HelmChartSourceKind {
  /** A classic Helm repository served over HTTPS (an `index.yaml`): a Flux `HelmRepository`. */
  HELM_REPOSITORY = 'HelmRepository',
  /** A chart stored as an OCI artifact (`oci://...`): a Flux `OCIRepository` referenced by `chartRef`. */
  OCI_REPOSITORY = 'OCIRepository',
}

/**
 * What every chart reference records besides its location.
 */
export interface HelmChartOptions {
  /**
   * Name of the platform component the chart installs (for example `gatekeeper`). Used as the
   * value of the `devsecops.cdk8s.io/component` namespace label and as the default release name.
   * Must be a DNS label.
   */
  readonly component: string;

  /**
   * Exact chart version (`1.2.3`, optionally with a leading `v`, a pre-release or build suffix).
   * Ranges (`^1.2`, `~1`, `>=1.0.0`, `1.x`, `*`) and `latest` are refused: an install must be
   * reproducible from the manifest alone.
   */
  readonly version: string;

  /**
   * Namespace the component is installed into unless an install overrides it.
   * @default - the component name
   */
  readonly defaultNamespace?: string;

  /**
   * Pod Security level the chart's pods need to run. The install labels its namespace with it.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;

  /**
   * Why the component's namespace needs `podSecurity` below `restricted` (which pods, which
   * controls). Required when `podSecurity` is `baseline` or `privileged`: a lowered level is a
   * security decision a reviewer must be able to read.
   * @default - none (required below `restricted`)
   */
  readonly podSecurityReason?: string;

  /**
   * Version of the application the chart installs, when it differs from the chart version
   * (for example sigstore policy-controller chart 0.10.6 carries application v0.13.1).
   * @default - not recorded
   */
  readonly appVersion?: string;

  /**
   * How the chart version was confirmed to exist upstream (chart index, tag and commit, ...).
   * @default - not recorded
   */
  readonly provenance?: string;

  /**
   * Further exact versions an install may pin with `FluxHelmInstallProps.version`; any other
   * version is refused, so an install never selects a chart nobody rendered and checked.
   * @default - none: installs use `version`
   */
  readonly knownVersions?: string[];
}

/**
 * A chart served by a classic (HTTPS) Helm repository.
 */
export interface HelmRepositoryChartProps extends HelmChartOptions {
  /** Repository URL, for example `https://open-policy-agent.github.io/gatekeeper/charts`. Must be `https://`. */
  readonly repositoryUrl: string;

  /** Chart name inside the repository, for example `gatekeeper`. */
  readonly chart: string;

  /**
   * Security: accept a plain `http://` repository URL. Chart index and tarball then travel
   * unauthenticated and can be replaced in transit; use only for an air-gapped mirror on a
   * trusted network.
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
}

/**
 * A chart stored as an OCI artifact.
 */
export interface OciChartProps extends HelmChartOptions {
  /**
   * Full OCI reference of the chart without tag, for example
   * `oci://ghcr.io/sigstore/helm-charts/policy-controller`. Must start with `oci://`.
   */
  readonly url: string;
}

const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const CHART_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;

/**
 * A reference to one upstream Helm chart at one exact version: where it lives, which component
 * it installs, the namespace it goes to by default and the Pod Security level its pods need.
 *
 * The charts the platform itself installs are listed once, in `UpstreamCharts`.
 */
export class HelmChart {
  /**
   * A chart from a classic HTTPS Helm repository (Flux `HelmRepository` + `spec.chart`).
   */
  public static fromHelmRepository(props: HelmRepositoryChartProps): HelmChart {
    const where = 'HelmChart.fromHelmRepository';
    const url = props.repositoryUrl;
    if (typeof url !== 'string' || url.startsWith('oci://')) {
      invalid(where, 'repositoryUrl', 'is an OCI reference, not a Helm repository URL', url,
        'use HelmChart.fromOci(...) for charts stored in an OCI registry');
    }
    if (url.startsWith('http://')) {
      if (!props.allowInsecureHttp) {
        invalid(where, 'repositoryUrl', 'uses plain http, which lets anyone on the path replace the chart', url,
          'use the https:// URL of the repository, or set allowInsecureHttp: true for a trusted air-gapped mirror');
      }
    } else if (!/^https:\/\/[^\s/]+/.test(url)) {
      invalid(where, 'repositoryUrl', 'must be an https:// URL', url,
        'use a URL such as "https://open-policy-agent.github.io/gatekeeper/charts"');
    }
    if (typeof props.chart !== 'string' || !CHART_NAME.test(props.chart)) {
      invalid(where, 'chart', 'must be a chart name (lowercase letters, digits, "-", "_" and ".")', props.chart,
        'use the chart name as listed in the repository, for example "gatekeeper"');
    }
    return new HelmChart(where, HelmChartSourceKind.HELM_REPOSITORY, url.replace(/\/+$/, ''), props.chart, props,
      props.allowInsecureHttp ?? false);
  }

  /**
   * A chart stored as an OCI artifact (Flux `OCIRepository` + `spec.chartRef`). Only OCI charts
   * can have their signature verified by Flux.
   */
  public static fromOci(props: OciChartProps): HelmChart {
    const where = 'HelmChart.fromOci';
    const url = props.url;
    if (typeof url !== 'string' || !/^oci:\/\/[^\s/]+\/[^\s]+$/.test(url)) {
      invalid(where, 'url', 'must be an OCI reference starting with oci:// (registry host and repository path)', url,
        'use a reference such as "oci://ghcr.io/sigstore/helm-charts/policy-controller", without tag');
    }
    if (/[:@][^/]*$/.test(url.slice('oci://'.length).split('/').slice(1).join('/'))) {
      invalid(where, 'url', 'must not carry a tag or digest', url, 'put the version in the version property');
    }
    const chart = url.replace(/\/+$/, '').split('/').pop()!;
    return new HelmChart(where, HelmChartSourceKind.OCI_REPOSITORY, url.replace(/\/+$/, ''), chart, props, false);
  }

  /** True when `version` is one exact chart version (no range, wildcard or `latest`). */
  public static isExactVersion(version: string): boolean {
    return typeof version === 'string' && EXACT_VERSION.test(version);
  }

  /** Kind of the Flux source that serves the chart. */
  public readonly sourceKind: HelmChartSourceKind;
  /** Repository URL (`https://...`) or OCI reference (`oci://...`). */
  public readonly url: string;
  /** Chart name. */
  public readonly chartName: string;
  /** Exact chart version. */
  public readonly version: string;
  /** Platform component the chart installs. */
  public readonly component: string;
  /** Namespace the component is installed into by default. */
  public readonly defaultNamespace: string;
  /** Pod Security level the chart's pods need. */
  public readonly podSecurity: PodSecurityLevel;
  /** Whether a plain http repository URL was explicitly accepted. */
  public readonly allowInsecureHttp: boolean;
  /** Why the namespace level is below `restricted` (set whenever it is). */
  public readonly podSecurityReason?: string;
  /** Application version the chart carries, when recorded. */
  public readonly appVersion?: string;
  /** How the version was confirmed, when recorded. */
  public readonly provenance?: string;
  /** Every version an install may select: `version` first, then `knownVersions`. */
  public readonly knownVersions: string[];

  private constructor(where: string, kind: HelmChartSourceKind, url: string, chart: string,
    options: HelmChartOptions, allowInsecureHttp: boolean) {
    if (!HelmChart.isExactVersion(options.version)) {
      invalid(where, 'version', 'must be one exact chart version', options.version,
        'pin a released version such as "3.23.0"; ranges, wildcards and "latest" make installs unreproducible');
    }
    if (!isDnsLabel(options.component)) {
      invalid(where, 'component', 'must be a DNS label', options.component, 'use a name such as "gatekeeper"');
    }
    const namespace = options.defaultNamespace ?? options.component;
    if (!isDnsLabel(namespace)) {
      invalid(where, 'defaultNamespace', 'must be a DNS label', namespace, 'use a name such as "gatekeeper-system"');
    }
    this.sourceKind = kind;
    this.url = url;
    this.chartName = chart;
    this.version = options.version;
    this.component = options.component;
    this.defaultNamespace = namespace;
    this.podSecurity = options.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.allowInsecureHttp = allowInsecureHttp;
    if (this.podSecurity !== PodSecurityLevel.RESTRICTED && !isReason(options.podSecurityReason)) {
      invalid(where, 'podSecurityReason', `must say why the component's pods need Pod Security "${this.podSecurity}" instead of "restricted"`,
        options.podSecurityReason, 'name the pods and the controls they need (for example "the agent DaemonSet loads eBPF programs and mounts host paths"), or keep podSecurity restricted');
    }
    this.podSecurityReason = options.podSecurityReason;
    this.appVersion = options.appVersion;
    this.provenance = options.provenance;
    const extra = options.knownVersions ?? [];
    if (!Array.isArray(extra)) {
      invalid(where, 'knownVersions', 'must be a list of exact chart versions', extra, 'pass for example ["3.22.0"]');
    }
    for (const v of extra) {
      if (!HelmChart.isExactVersion(v)) {
        invalid(where, 'knownVersions', 'must hold exact chart versions only', v, 'list released versions such as "3.22.0"; ranges and "latest" are refused');
      }
    }
    this.knownVersions = [...new Set([options.version, ...extra])];
  }
}

/** A reason a reviewer can read: at least 10 non-blank characters. */
function isReason(reason: unknown): boolean {
  return typeof reason === 'string' && reason.trim().length >= 10;
}
