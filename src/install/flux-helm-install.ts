import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { HelmChart, HelmChartSourceKind } from './helm-chart';
import { HelmChartVerification, HelmCrdPolicy, HelmDriftDetectionMode } from './release-settings';
import { mergeValues, normalizeValues } from './values';
import {
  HelmRelease, HelmReleaseSpecChartRefKind, HelmReleaseSpecChartSpecSourceRefKind, HelmReleaseSpecDriftDetectionMode,
  HelmReleaseSpecInstallCrds, HelmReleaseSpecUpgradeCrds, HelmReleaseSpecUpgradeRemediationStrategy,
} from '../imports/flux-helm-helm.toolkit.fluxcd.io';
import {
  HelmRepository, OciRepository, OciRepositorySpecLayerSelectorOperation, OciRepositorySpecVerify,
} from '../imports/flux-source-source.toolkit.fluxcd.io';
import { imagesOf, relocationValues } from './private/chart-images';
import { CHART_VALUE_KEYS } from './private/chart-value-keys';
import { componentLabels, componentNamespace } from './private/component-namespace';
import { fluxDuration, ociVerify } from './private/flux-settings';
import { invalid, invalidMessage } from '../private/errors';
import { isDnsSubdomain, requireDnsLabel } from '../private/validate';
import { PodSecurityLevel } from '../tenancy/pod-security';

/**
 * An installed platform component, as other installs and layers refer to it.
 */
export interface IComponentInstall extends IConstruct {
  /** Namespace the component runs in; its Flux source and HelmRelease live there too. */
  readonly namespace: string;
  /** Name of the HelmRelease object (and of the Helm release). */
  readonly releaseName: string;
}

/**
 * One container image a component install runs, and where it is pulled from.
 */
export interface ComponentImage {
  /** Platform component (`chart.component`). */
  readonly component: string;
  /** Namespace of the install. */
  readonly namespace: string;
  /** Chart and version (`<chart>@<version>`). */
  readonly chart: string;
  /** Values key that sets the image's repository. */
  readonly valuesKey: string;
  /** The image the chart runs by default. */
  readonly upstream: string;
  /** Where the install pulls it from (the upstream image unless relocated or overridden). */
  readonly pulledFrom: string;
  /** Why the image stays upstream, when relocation was asked for but the component cannot take it. */
  readonly note?: string;
}

/**
 * Props of `FluxHelmInstall`.
 */
export interface FluxHelmInstallProps {
  /** The chart to install, usually an entry of `UpstreamCharts`. */
  readonly chart: HelmChart;

  /**
   * Exact chart version for this install only: one of `chart.knownVersions`.
   * @default - the version pinned in `chart`
   */
  readonly version?: string;

  /**
   * Namespace the install creates and installs into.
   * @default - `chart.defaultNamespace`
   */
  readonly namespace?: string;

  /**
   * Name of the HelmRelease, its Flux source and the Helm release.
   * @default - `chart.component`
   */
  readonly releaseName?: string;

  /**
   * Security: Pod Security level enforced on the namespace. Lowering it below the chart's
   * level admits pods the component does not need; raising it makes the chart's pods fail.
   * Audit and warn stay at `restricted` either way.
   * @default - `chart.podSecurity`
   */
  readonly podSecurity?: PodSecurityLevel;

  /**
   * Why the namespace needs a lower Pod Security level than the chart's (required when
   * `podSecurity` is below `chart.podSecurity`); written to the Namespace's
   * `devsecops.cdk8s.io/pod-security-reason` annotation.
   * @default - the chart's own reason, if its level is below `restricted`
   */
  readonly podSecurityReason?: string;

  /**
   * Helm values (plain JSON data), typically built by a typed per-component wrapper.
   * Later `addValues(...)` calls are deep-merged over them.
   * @default - the chart's own defaults
   */
  readonly values?: { [key: string]: any };

  /**
   * How often Flux reconciles the release (Go duration, for example `10m`).
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * How often Flux checks the chart source (Go duration).
   * @default '1h'
   */
  readonly sourceInterval?: string;

  /**
   * Time Flux waits for each Kubernetes operation of a Helm action (Go duration).
   * @default '5m'
   */
  readonly timeout?: string;

  /**
   * Retries of a failed install, with an uninstall between attempts.
   * @default 3
   */
  readonly installRetries?: number;

  /**
   * Retries of a failed upgrade, with a rollback between attempts and after the last one.
   * @default 3
   */
  readonly upgradeRetries?: number;

  /**
   * What Flux does with the chart's CRDs on install and on upgrade.
   * @default HelmCrdPolicy.CREATE_REPLACE
   */
  readonly crds?: HelmCrdPolicy;

  /**
   * How Flux treats in-cluster changes to the release's objects.
   * @default HelmDriftDetectionMode.ENABLED
   */
  readonly driftDetection?: HelmDriftDetectionMode;

  /**
   * Installs that must be ready before this one is reconciled. Flux needs cross-namespace
   * references allowed for a dependency in another namespace.
   * @default - none
   */
  readonly dependsOn?: IComponentInstall[];

  /**
   * ServiceAccount (in the install's namespace) that Flux impersonates to apply the release,
   * so the release can do no more than that account's RBAC allows.
   * @default - Flux's controller account, or its `--default-service-account`
   */
  readonly serviceAccountName?: string;

  /**
   * Verification of the chart artifact's signature before install. Only for OCI charts.
   * @default - no signature verification
   */
  readonly verification?: HelmChartVerification;
}

const LEVEL_RANK: { [level: string]: number } = {
  [PodSecurityLevel.PRIVILEGED]: 0,
  [PodSecurityLevel.BASELINE]: 1,
  [PodSecurityLevel.RESTRICTED]: 2,
};
const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/**
 * Installs one upstream Helm chart through Flux: a Namespace labelled with the component and
 * its Pod Security level, a Flux source (`HelmRepository` or `OCIRepository`) and a
 * `helm.toolkit.fluxcd.io/v2` HelmRelease (construct id `Resource`), all in that namespace so
 * nothing depends on cross-namespace references.
 *
 * Values precedence, lowest first: the chart's own `values.yaml`, `values`, then each
 * `addValues(...)` call in call order. Objects are deep-merged; arrays and scalars are replaced.
 */
export class FluxHelmInstall extends Construct implements IComponentInstall {
  /** Namespace the component runs in. */
  public readonly namespace: string;
  /** Name of the HelmRelease and of the Helm release. */
  public readonly releaseName: string;
  /** The chart installed. */
  public readonly chart: HelmChart;
  /** Exact chart version installed. */
  public readonly chartVersion: string;
  /** Pod Security level enforced on the namespace. */
  public readonly podSecurity: PodSecurityLevel;
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The Flux source object (`HelmRepository` or `OCIRepository`). */
  public readonly source: ApiObject;
  /** The HelmRelease object (escape hatch: `release.addJsonPatch(...)`). */
  public readonly release: ApiObject;

  /**
   * Warnings about values the chart does not read (top-level keys outside the chart's known
   * keys), also printed on the console when they are added.
   */
  public readonly warnings: string[] = [];

  private readonly valueLayers: any[] = [];
  private relocationNote?: string;
  private readonly dependencies: IComponentInstall[] = [];

  constructor(scope: Construct, id: string, props: FluxHelmInstallProps) {
    super(scope, id);
    const chart = props.chart;
    if (!(chart instanceof HelmChart)) {
      invalid(this, 'chart', 'must be a HelmChart', chart, 'use an entry of UpstreamCharts or HelmChart.fromHelmRepository/fromOci');
    }
    this.chart = chart;
    this.chartVersion = props.version ?? chart.version;
    if (!HelmChart.isExactVersion(this.chartVersion)) {
      invalid(this, 'version', 'must be one exact chart version', props.version,
        `pin a released version such as "${chart.version}"; ranges, wildcards and "latest" make installs unreproducible`);
    }
    if (!chart.knownVersions.includes(this.chartVersion)) {
      invalid(this, 'version', `is not a known version of chart "${chart.chartName}"`, props.version,
        `use one of ${chart.knownVersions.join(', ')}, or declare the version (rendered and checked) in the chart's knownVersions`);
    }
    this.namespace = requireDnsLabel(this, 'namespace', props.namespace ?? chart.defaultNamespace);
    this.releaseName = requireDnsLabel(this, 'releaseName', props.releaseName ?? chart.component, 53);
    this.podSecurity = props.podSecurity ?? chart.podSecurity;
    const lowered = LEVEL_RANK[this.podSecurity] < LEVEL_RANK[chart.podSecurity];
    if (lowered && !(typeof props.podSecurityReason === 'string' && props.podSecurityReason.trim().length >= 10)) {
      invalid(this, 'podSecurityReason', `must say why the namespace needs Pod Security "${this.podSecurity}", below the "${chart.podSecurity}" the chart's pods pass`,
        props.podSecurityReason, `name the pods and the controls they need, or keep podSecurity at "${chart.podSecurity}"`);
    }
    const podSecurityReason = props.podSecurityReason ?? (this.podSecurity === chart.podSecurity ? chart.podSecurityReason : undefined);
    const interval = this.duration('interval', props.interval ?? '10m');
    const sourceInterval = this.duration('sourceInterval', props.sourceInterval ?? '1h');
    const timeout = this.duration('timeout', props.timeout ?? '5m');
    const installRetries = this.retries('installRetries', props.installRetries ?? 3);
    const upgradeRetries = this.retries('upgradeRetries', props.upgradeRetries ?? 3);
    if (props.serviceAccountName !== undefined && !isDnsSubdomain(props.serviceAccountName)) {
      invalid(this, 'serviceAccountName', 'must be a ServiceAccount name (DNS subdomain)', props.serviceAccountName,
        'use the name of a ServiceAccount in the install namespace, for example "flux-installer"');
    }
    const verify = this.renderVerify(props.verification);
    const crds = props.crds ?? HelmCrdPolicy.CREATE_REPLACE;
    const drift = props.driftDetection ?? HelmDriftDetectionMode.ENABLED;

    const labels = componentLabels(chart.component);
    this.namespaceObject = componentNamespace(this, 'Namespace', this.namespace, chart.component, this.podSecurity, podSecurityReason);
    const metadata = { name: this.releaseName, namespace: this.namespace, labels };

    if (chart.sourceKind === HelmChartSourceKind.OCI_REPOSITORY) {
      this.source = new OciRepository(this, 'Source', {
        metadata,
        spec: {
          url: chart.url,
          interval: sourceInterval,
          ref: { tag: this.chartVersion },
          layerSelector: { mediaType: HELM_CHART_LAYER, operation: OciRepositorySpecLayerSelectorOperation.COPY },
          verify,
        },
      });
    } else {
      this.source = new HelmRepository(this, 'Source', {
        metadata,
        spec: { url: chart.url, interval: sourceInterval },
      });
    }

    this.release = new HelmRelease(this, 'Resource', {
      metadata,
      spec: {
        releaseName: this.releaseName,
        interval,
        timeout,
        ...(chart.sourceKind === HelmChartSourceKind.OCI_REPOSITORY
          ? { chartRef: { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: this.releaseName } }
          : {
            chart: {
              spec: {
                chart: chart.chartName,
                version: this.chartVersion,
                sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: this.releaseName },
              },
            },
          }),
        serviceAccountName: props.serviceAccountName,
        install: {
          crds: crds as string as HelmReleaseSpecInstallCrds,
          remediation: { retries: installRetries },
        },
        upgrade: {
          crds: crds as string as HelmReleaseSpecUpgradeCrds,
          cleanupOnFail: true,
          remediation: {
            retries: upgradeRetries,
            remediateLastFailure: true,
            strategy: HelmReleaseSpecUpgradeRemediationStrategy.ROLLBACK,
          },
        },
        driftDetection: { mode: drift as string as HelmReleaseSpecDriftDetectionMode },
        dependsOn: Lazy.any({ produce: () => this.renderDependsOn() }),
        values: Lazy.any({ produce: () => this.renderValues() }),
      },
    });

    if (props.values !== undefined) this.addValues(props.values);
    for (const dep of props.dependsOn ?? []) this.addDependency(dep);
  }

  /**
   * Escape hatch: deep-merges extra Helm values over everything set before (props `values`
   * and earlier `addValues` calls). Objects merge key by key; arrays and scalars replace.
   */
  public addValues(values: { [key: string]: any }): void {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      invalid(this, 'values', 'must be an object of Helm values', values, 'pass an object such as { replicas: 2 }');
    }
    const normalized = normalizeValues(this.node.path, 'values', values);
    this.warnUnreadKeys(normalized as { [key: string]: any });
    this.valueLayers.push(normalized);
  }

  /** Warns, naming the key and the chart, about top-level keys the chart does not read. */
  private warnUnreadKeys(values: { [key: string]: any }): void {
    const known = CHART_VALUE_KEYS[`${this.chart.chartName}@${this.chartVersion}`];
    if (!known) return;
    for (const key of Object.keys(values)) {
      if (known.includes(key)) continue;
      const message = invalidMessage(this, `values.${key}`, `is not read by chart ${this.chart.chartName} ${this.chartVersion} (Helm drops it silently)`,
        values[key], 'check the key against the chart\'s values.yaml; a misspelt security setting is not applied');
      this.warnings.push(message);
      console.warn(`WARNING ${message}`);
    }
  }

  /**
   * Pulls every image the chart runs from `registryPrefix` (a registry host and project, for
   * example `harbor.bank.example/platform`), keeping each image's repository path, tag and
   * digest: `ghcr.io/external-secrets/external-secrets:v2.9.0` becomes
   * `harbor.bank.example/platform/external-secrets/external-secrets:v2.9.0`. Copy the images
   * there first (the image report lists them). Charts whose images are unknown, or that cannot
   * pull from the platform's registry (Harbor itself), are left as they are and say why in
   * `images`.
   */
  public relocateImages(registryPrefix: string): void {
    if (typeof registryPrefix !== 'string' || !/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/.test(registryPrefix)) {
      invalid(this, 'registryPrefix', 'must be a registry host with a project path', registryPrefix, 'use for example "harbor.bank.example/platform"');
    }
    const relocation = relocationValues(`${this.chart.chartName}@${this.chartVersion}`, registryPrefix, this.renderValues() ?? {});
    this.relocationNote = relocation.note;
    if (relocation.values === undefined) return;
    // Relocation goes under the values set so far: a later addValues still wins.
    this.valueLayers.unshift(normalizeValues(this.node.path, 'values', relocation.values));
  }

  /** The images the install runs and where each is pulled from, as far as the chart's image table knows them. */
  public get images(): ComponentImage[] {
    return imagesOf(`${this.chart.chartName}@${this.chartVersion}`, this.renderValues() ?? {}).map((image) => ({
      component: this.chart.component,
      namespace: this.namespace,
      chart: `${this.chart.chartName}@${this.chartVersion}`,
      ...image,
      note: this.relocationNote,
    }));
  }

  /** Makes Flux wait until `install` is ready before reconciling this release. */
  public addDependency(install: IComponentInstall): void {
    if (install === undefined || install === null || typeof install.releaseName !== 'string') {
      invalid(this, 'dependsOn', 'must be an installed component', install, 'pass a FluxHelmInstall (or another IComponentInstall)');
    }
    if (install === this) {
      invalid(this, 'dependsOn', 'cannot contain the install itself', install.node.path, 'remove the self-reference');
    }
    if (!this.dependencies.includes(install)) this.dependencies.push(install);
  }

  /**
   * @internal Adds a layer of values computed at synth (after every later change to the program
   * that feeds it), at this point of the precedence order: a later `addValues` still wins.
   */
  public _addValuesProducer(produce: () => { [key: string]: any }): void {
    this.valueLayers.push(produce);
  }

  private renderValues(): any {
    if (this.valueLayers.length === 0) return undefined;
    return this.valueLayers.reduce((acc, layer) =>
      mergeValues(acc, typeof layer === 'function' ? normalizeValues(this.node.path, 'values', layer()) : layer), {});
  }

  private renderDependsOn(): any {
    if (this.dependencies.length === 0) return undefined;
    return this.dependencies.map((d) => ({ name: d.releaseName, namespace: d.namespace }));
  }

  private renderVerify(verification?: HelmChartVerification): OciRepositorySpecVerify | undefined {
    if (verification === undefined) return undefined;
    if (this.chart.sourceKind !== HelmChartSourceKind.OCI_REPOSITORY) {
      invalid(this, 'verification', 'is only supported for OCI charts', this.chart.url,
        'install the chart from its OCI registry (HelmChart.fromOci) or drop verification');
    }
    return ociVerify(this, verification);
  }

  private duration(prop: string, value: string): string {
    return fluxDuration(this, prop, value);
  }

  private retries(prop: string, value: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
      invalid(this, prop, 'must be an integer between 0 and 100', value,
        'use a small retry count such as 3 (negative values would retry forever and hide a broken release)');
    }
    return value;
  }
}
