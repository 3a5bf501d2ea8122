import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DevSecOpsPlatformProps, PlatformBuilderOptions, PlatformImageOptions } from './platform-props';
import { BuildImpactReport } from '../image-build/build-impact-report';
import { KpackClusterBuilder } from '../image-build/cluster-builder';
import { KpackImage } from '../image-build/image';
import { PlatformBuilds } from '../image-build/platform-builds';
import { ComponentImageReport } from '../install/component-image-report';
import { UpstreamCharts } from '../install/upstream-charts';
import { UpstreamReleases } from '../install/upstream-releases';
import { GatekeeperInstall } from '../policy/gatekeeper-install';
import { PlatformPolicy } from '../policy/platform-policy';
import { PolicyCatalog } from '../policy/policy-catalog';
import { invalid } from '../private/errors';
import { nameManifestFile } from '../private/output-layout';
import { PlatformLayer } from '../private/platform-layer';
import { oncePerSynth, trackSynth } from '../private/synth-cache';
import { HarborInstall } from '../registry/harbor-install';
import { HarborProject } from '../registry/harbor-project';
import { HarborProvider } from '../registry/harbor-provider';
import { ImagePullGrant } from '../registry/image-pull-grant';
import { PlatformRegistry } from '../registry/platform-registry';
import { RegistrySeverity } from '../registry/severity';
import { SignaturePolicy } from '../registry/signature-policy';
import { PlatformRuntime } from '../runtime/platform-runtime';
import { RuntimeSecurity } from '../runtime/runtime-security';
import { PlatformSecrets } from '../secrets/platform-secrets';
import { PlatformSupplyChain } from '../supply-chain/platform-supply-chain';
import { SecureSupplyChain } from '../supply-chain/secure-supply-chain';
import { ClusterDns } from '../tenancy/cluster-dns';
import { Tenant } from '../tenancy/tenant';
import { TenantOptions } from '../tenancy/tenant-props';
import { WORKLOAD_CONTEXT, WorkloadContext } from '../workload/private/context';
import { Workload } from '../workload/workload';
import { WorkloadOptions } from '../workload/workload-props';

export class DevSecOpsPlatform extends Construct {
  /**
   * Namespaces of the platform's own components; no tenant may take them. Derived from the
   * install table (`UpstreamCharts`) plus the GitOps engine and the components installed from
   * release manifests rather than Helm charts.
   */
  public static readonly COMPONENT_NAMESPACES: string[] = [...new Set([
    ...UpstreamCharts.all().map((c) => c.defaultNamespace),
    ...UpstreamReleases.all().flatMap((r) => r.namespaces),
    'flux-system',
  ])].sort();

  /** Chart of the platform's own components (Gatekeeper and its policies). */
  public readonly components: Chart;
  /** The registry host. */
  public readonly registryHost: string;
  /** The platform's vulnerability threshold. */
  public readonly severity: RegistrySeverity;
  /** Every component image and where it is pulled from (written as `component-images.json` after synth). */
  public readonly componentImages: ComponentImageReport;
  /** The secrets layer: workloads' Vault secrets (`secrets.addSecret`) and the guard against Secrets with values. */
  public readonly secrets: PlatformSecrets;

  private readonly clusterDns: ClusterDns;
  private readonly reserved: Set<string>;
  private readonly tenantsByName = new Map<string, Tenant>();
  private readonly policyLayer: PlatformPolicy;
  private readonly registryLayer: PlatformRegistry;
  private readonly buildLayer: PlatformBuilds;
  private readonly supplyChainLayer: PlatformSupplyChain;
  private readonly runtimeLayer: PlatformRuntime;
  /** The layers, in the order they install, see tenants and workloads, and check. */
  private readonly layers: PlatformLayer[];

  constructor(scope: Construct, id: string, props: DevSecOpsPlatformProps) {
    super(scope, id);
    // The per-pool Falco namespaces are the platform's too: reserved and exempt like the others.
    const componentNamespaces = [...DevSecOpsPlatform.COMPONENT_NAMESPACES, ...PlatformRuntime.falcoNamespaces(props?.runtime)];
    this.policyLayer = new PlatformPolicy({
      policy: props?.policy,
      components: props?.components,
      allowedRepositories: props?.registry?.harbor ? [] : [props?.registry?.host],
      componentNamespaces,
    });
    const { registry, signing, components } = props ?? {};
    this.registryLayer = new PlatformRegistry(this, this.policyLayer, { registry, signing, components });
    this.buildLayer = new PlatformBuilds(this, this.registryLayer, this.policyLayer, props.builds, props.signing !== undefined, props.releases);
    this.supplyChainLayer = new PlatformSupplyChain(this, this.registryLayer, this.buildLayer, this.policyLayer,
      props.supplyChain, props.releases, props.scanEconomy);
    this.secrets = new PlatformSecrets(this, props.secrets, props.components?.externalSecrets);
    this.runtimeLayer = new PlatformRuntime(this, this.policyLayer, props.runtime);
    this.layers = [this.policyLayer, this.registryLayer, this.buildLayer, this.supplyChainLayer, this.secrets, this.runtimeLayer];
    this.registryHost = this.registryLayer.host;
    this.severity = this.registryLayer.severity;
    this.clusterDns = props.clusterDns ?? ClusterDns.kubeDns();
    this.reserved = new Set([...componentNamespaces, ...(props.reservedNamespaces ?? [])]);

    this.components = new Chart(this, 'components');
    nameManifestFile(this.components);
    for (const layer of this.layers) layer.install?.(this.components);
    this.componentImages = new ComponentImageReport(this.components, 'component-images', {
      relocateTo: props.registry.harbor?.relocateComponentImages ? `${this.registryHost}/${this.registryLayer.platformProjectName}` : undefined,
    });

    trackSynth(this);
    this.node.addValidation({
      validate: () => oncePerSynth(this, this, () => {
        const input = { platform: this, all: this.node.root.node.findAll(), tenants: this.tenants };
        return this.layers.flatMap((layer) => layer.checks?.(input) ?? []);
      }),
    });
  }

  /** The admission policy catalog: templates, per-tier constraints, exemptions. */
  public get policies(): PolicyCatalog {
    return this.policyLayer.catalog;
  }

  /** The Gatekeeper install. */
  public get gatekeeper(): GatekeeperInstall {
    return this.policyLayer.gatekeeper;
  }

  /** The Crossplane Harbor provider, when the registry is managed as Harbor. */
  public get harborProvider(): HarborProvider | undefined {
    return this.registryLayer.harborProvider;
  }

  /** The Harbor install, when `registry.harbor.install` is given. */
  public get harborInstall(): HarborInstall | undefined {
    return this.registryLayer.harborInstall;
  }

  /** The platform's own Harbor project (builders, stacks), when the registry is managed. */
  public get platformProject(): HarborProject | undefined {
    return this.registryLayer.platformProject;
  }

  /** The cosign signature policies, when `signing` is given. */
  public get signaturePolicy(): SignaturePolicy | undefined {
    return this.registryLayer.signaturePolicy;
  }

  /**
   * Which images a change to each stack, store, builder and lifecycle rebases or rebuilds, when
   * `builds` is given. Written to the reports folder (`<outdir>-reports`) after synth.
   */
  public get buildImpact(): BuildImpactReport | undefined {
    return this.buildLayer.buildImpact;
  }

  /** Tiered runtime security (node pools, Falco, Tetragon, audit policy, report), when `runtime` is given. */
  public get runtime(): RuntimeSecurity | undefined {
    return this.runtimeLayer.security;
  }

  /** The tenants, in the order they were added. */
  public get tenants(): Tenant[] {
    return [...this.tenantsByName.values()];
  }

  /** Every declared registry project: the platform project first, then the tenants' in order. */
  public get registryProjects(): HarborProject[] {
    return this.registryLayer.projects;
  }

  /** Whether the registry is managed as Harbor (`registry.harbor`). */
  public get managesRegistry(): boolean {
    return this.registryLayer.managed;
  }

  /**
   * Adds a tenant namespace. The name must be unique, a DNS label, and neither a Kubernetes
   * system namespace nor one of the platform's component namespaces.
   *
   * With a managed registry the tenant gets its Harbor project (`projectOf`), admitted by the
   * allowed-repositories policy, and its pull-only robot's Secret on every service account; with
   * signing, its namespace opts in to signature verification. Every layer then adds what it
   * gives a tenant, and attaches to each workload added to it (`tenant.addWorkload`).
   */
  public addTenant(name: string, options: TenantOptions): Tenant {
    const where = `${this.node.path}/${name}`;
    if (this.tenantsByName.has(name)) {
      invalid(where, 'name', 'is already a tenant of this platform', name, 'give every tenant a distinct name');
    }
    if (this.reserved.has(name)) {
      invalid(where, 'name', 'is a namespace reserved for a platform component', name, `choose another name; reserved: ${[...this.reserved].sort().join(', ')}`);
    }
    for (const layer of this.layers) layer.checkTenantName?.(where, name);
    const tenant = new Tenant(this, name, { clusterDns: this.clusterDns, ...options, name });
    this.tenantsByName.set(name, tenant);
    for (const layer of this.layers) layer.onTenant?.(tenant);
    const context: WorkloadContext = {
      repositoryPrefix: this.managesRegistry ? `${this.registryLayer.projectOf(tenant).repositoryPrefix}/` : undefined,
      attach: (workload) => this.layers.forEach((layer) => layer.onWorkload?.(workload)),
    };
    Object.defineProperty(tenant, WORKLOAD_CONTEXT, { value: context });
    return tenant;
  }

  /** The tenant named `name`, or an error naming the tenants that exist. */
  public tenant(name: string): Tenant {
    const t = this.tenantsByName.get(name);
    if (!t) {
      invalid(this, 'tenant', 'is not a tenant of this platform', name, `use one of: ${[...this.tenantsByName.keys()].join(', ') || '(none yet: call addTenant first)'}`);
    }
    return t;
  }

  /**
   * Adds a workload to a tenant of this platform: the same as `tenant.addWorkload`, after
   * checking that the tenant is this platform's. A workload with `source` is built, scanned,
   * signed, policy-checked and deployed by the platform's supply chain for its type.
   */
  public addWorkload(tenant: Tenant, name: string, options: WorkloadOptions): Workload {
    if (this.tenantsByName.get(tenant?.namespaceName) !== tenant) {
      invalid(this, 'addWorkload.tenant', 'is not a tenant of this platform', tenant?.namespaceName, 'pass a tenant returned by addTenant');
    }
    return tenant.addWorkload(name, options);
  }

  /** The secure supply chains the platform made, one per workload type of its built workloads. */
  public get supplyChains(): SecureSupplyChain[] {
    return this.supplyChainLayer.all;
  }

  /** The Harbor project of a tenant of this platform. */
  public projectOf(tenant: Tenant): HarborProject {
    return this.registryLayer.projectOf(tenant);
  }

  /**
   * Security (widening): lets the pods of `consumer` pull the images of another tenant's project,
   * for the grant's reason. Refused for the platform project, and for a SENSITIVE consumer when
   * the project is a DEV tenant's or its signature policy is weaker than the consumer's own.
   * The consumer gets a pull-only robot of that project on every service account; the grant is
   * recorded on the allowed-repositories constraint and in the policy report.
   */
  public grantImagePull(consumer: Tenant, grant: ImagePullGrant): void {
    this.registryLayer.grantImagePull(consumer, grant);
  }

  /**
   * Adds a kpack ClusterBuilder whose image is pushed to the platform project, by a push robot
   * whose credentials are written to kpack's namespace.
   */
  public addBuilder(name: string, options: PlatformBuilderOptions): KpackClusterBuilder {
    return this.buildLayer.addBuilder(name, options);
  }

  /**
   * Adds a kpack Image to a tenant: tagged in the tenant's project, built under the tenant's
   * build account (push robot of its project, pull robot of the platform project, the signing
   * key), with build pods allowed the `builds.egress` destinations.
   */
  public addImage(tenant: Tenant, name: string, options: PlatformImageOptions): KpackImage {
    return this.buildLayer.addImage(tenant, name, options);
  }
}
