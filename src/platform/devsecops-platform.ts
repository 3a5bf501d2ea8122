import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DevSecOpsPlatformProps, PlatformBuildProps, PlatformBuilderOptions, PlatformImageOptions } from './platform-props';
import { grantRefusal } from './private/image-boundary';
import { checkSupplyChain } from './private/supply-chain-checks';
import { checkWeakenings } from './private/weakening-checks';
import { BuildImpactReport } from '../image-build/build-impact-report';
import { KpackBuildServiceAccount } from '../image-build/build-service-account';
import { KpackClusterBuilder } from '../image-build/cluster-builder';
import { KpackImage } from '../image-build/image';
import { ComponentImageReport } from '../install/component-image-report';
import { UpstreamCharts } from '../install/upstream-charts';
import { PolicyExemption } from '../policy/exemption';
import { GatekeeperInstall } from '../policy/gatekeeper-install';
import { PolicyCatalog } from '../policy/policy-catalog';
import { invalid } from '../private/errors';
import { shortHash } from '../private/hash';
import { nameManifestFile } from '../private/output-layout';
import { oncePerSynth, trackSynth } from '../private/synth-cache';
import { isHarborProjectName, isRegistryHost, requireDnsLabel } from '../private/validate';
import { CrossplaneInstall } from '../registry/crossplane-install';
import { HarborInstall } from '../registry/harbor-install';
import { HarborProject } from '../registry/harbor-project';
import { HarborProvider } from '../registry/harbor-provider';
import { HarborScanSchedule } from '../registry/harbor-scan-schedule';
import { ImagePullGrant } from '../registry/image-pull-grant';
import { RegistrySeverities, RegistrySeverity } from '../registry/severity';
import { SignaturePolicy } from '../registry/signature-policy';
import { SignaturePolicyInstall } from '../registry/signature-policy-install';
import { PlatformRuntime } from '../runtime/platform-runtime';
import { ExternalSecretsInstall } from '../secrets/external-secrets-install';
import { ClusterDns } from '../tenancy/cluster-dns';
import { UnmanagedNamespace } from '../tenancy/namespace-placement';
import { NetworkPeer } from '../tenancy/network';
import { Tenant } from '../tenancy/tenant';
import { TenantOptions } from '../tenancy/tenant-props';

/**
 * The whole secure platform from one props object. Every layer hangs off it; tenants come first.
 *
 * ```ts
 * const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });
 * const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
 * ```
 *
 * With `registry.harbor`, `signing` and `builds` it also owns the supply chain's single source of
 * truth: one Harbor project per tenant, the allowed-repositories policy taken from the declared
 * projects, one severity threshold, one cosign key for kpack and policy-controller, and pull
 * credentials in every tenant. Synth fails, naming both sides, when any of them disagree.
 */
export class DevSecOpsPlatform extends Construct {
  /**
   * Namespaces of the platform's own components; no tenant may take them. Derived from the
   * install table (`UpstreamCharts`) plus the GitOps engine and the components installed from
   * release manifests rather than Helm charts.
   */
  public static readonly COMPONENT_NAMESPACES: string[] = [...new Set([
    ...UpstreamCharts.all().map((c) => c.defaultNamespace),
    'flux-system',
    'kpack',
    'cartographer-system',
    'tekton-pipelines',
  ])].sort();

  /** Chart of the platform's own components (Gatekeeper and its policies). */
  public readonly components: Chart;
  /** The Gatekeeper install. */
  public readonly gatekeeper: GatekeeperInstall;
  /** The admission policy catalog: templates, per-tier constraints, exemptions. */
  public readonly policies: PolicyCatalog;
  /** The registry host. */
  public readonly registryHost: string;
  /** The platform's vulnerability threshold. */
  public readonly severity: RegistrySeverity;
  /** The Crossplane Harbor provider, when the registry is managed as Harbor. */
  public readonly harborProvider?: HarborProvider;
  /** The Harbor install, when `registry.harbor.install` is given. */
  public readonly harborInstall?: HarborInstall;
  /** The platform's own Harbor project (builders, stacks), when the registry is managed. */
  public readonly platformProject?: HarborProject;
  /** The cosign signature policies, when `signing` is given. */
  public readonly signaturePolicy?: SignaturePolicy;
  /**
   * Which images a change to each stack, store, builder and lifecycle rebases or rebuilds, when
   * `builds` is given. Write it to the reports folder (`<outdir>-reports`) with `buildImpact.writeFile()` after synth.
   */
  public readonly buildImpact?: BuildImpactReport;
  /** Every component image and where it is pulled from (written as `component-images.json` after synth). */
  public readonly componentImages: ComponentImageReport;
  /** The runtime layer (node pools, Falco, Tetragon, audit policy), when `runtime` is given. */
  public readonly runtime?: PlatformRuntime;

  private readonly clusterDns: ClusterDns;
  private readonly reserved: Set<string>;
  private readonly tenantsByName = new Map<string, Tenant>();
  private readonly projectsByTenant = new Map<string, HarborProject>();
  private readonly buildAccounts = new Map<string, KpackBuildServiceAccount>();
  private readonly builds?: PlatformBuildProps;
  private readonly kpackNamespace: string;
  private builderAccount?: KpackBuildServiceAccount;

  constructor(scope: Construct, id: string, props: DevSecOpsPlatformProps) {
    super(scope, id);
    const host = props.registry?.host;
    if (!isRegistryHost(host)) {
      invalid(this, 'registry.host', 'must be a registry host name with an optional port', host,
        'pass the host only, for example "harbor.bank.example" (no scheme, no path)');
    }
    this.registryHost = host;
    this.severity = RegistrySeverities.parse(this, 'registry.severity', props.registry.severity ?? RegistrySeverities.DEFAULT_THRESHOLD);
    this.clusterDns = props.clusterDns ?? ClusterDns.kubeDns();
    const runtimeNamespaces = PlatformRuntime.falcoNamespaces(props.runtime);
    this.reserved = new Set([...DevSecOpsPlatform.COMPONENT_NAMESPACES, ...runtimeNamespaces, ...(props.reservedNamespaces ?? [])]);
    const harbor = props.registry.harbor;
    const platformProjectName = harbor?.platformProjectName ?? 'platform';
    if (harbor && !isHarborProjectName(platformProjectName)) {
      invalid(this, 'registry.harbor.platformProjectName', 'is not a valid Harbor project name', platformProjectName,
        'use lowercase letters and digits with single ".", "_" or "-" between them, e.g. "platform"');
    }
    if (props.signing && !harbor) {
      invalid(this, 'signing', 'needs registry.harbor: signatures are required per Harbor project', '<signing>',
        'add registry.harbor, or remove signing');
    }
    if (props.builds && (!harbor || !props.signing)) {
      invalid(this, 'builds', 'needs registry.harbor and signing: every image is pushed to a tenant project and signed', '<builds>',
        'add registry.harbor and signing, or remove builds');
    }
    this.builds = props.builds;
    this.kpackNamespace = requireDnsLabel(this, 'builds.kpackNamespace', props.builds?.kpackNamespace ?? 'kpack');
    if (props.builds && (!Array.isArray(props.builds.egress) || props.builds.egress.length === 0)) {
      invalid(this, 'builds.egress', 'must list where build pods connect: tenant namespaces deny all other egress', props.builds.egress,
        'list the registry ingress and the git server, e.g. [{ peer: NetworkPeer.cidr("10.40.0.0/28"), ports: [NetworkPort.tcp(443)] }]');
    }
    (props.builds?.egress ?? []).forEach((e, i) => {
      if (!(e?.peer instanceof NetworkPeer) || !Array.isArray(e.ports) || e.ports.length === 0) {
        invalid(this, `builds.egress[${i}]`, 'must name a NetworkPeer and at least one NetworkPort', e,
          'e.g. { peer: NetworkPeer.cidr("10.20.0.0/16"), ports: [NetworkPort.tcp(443)] }');
      }
    });

    this.components = new Chart(this, 'components');
    nameManifestFile(this.components);
    const policy = props.policy ?? {};
    this.policies = new PolicyCatalog(this.components, 'policies', {
      // Harbor-managed: nothing everywhere; each tenant its own project (addTenant), grants
      // (grantImagePull) and, for kpack build pods only, the platform project (addImage).
      allowedRepositories: harbor ? [] : [host],
      allowedCapabilities: policy.allowedCapabilities,
      enforcementOverrides: policy.enforcementOverrides,
      evaluateOnSynth: policy.evaluateOnSynth,
      systemExemptions: [
        PolicyExemption.namespaces(['kube-system', 'kube-public', 'kube-node-lease'],
          'Kubernetes system namespaces run control-plane add-ons outside tenant policy'),
        PolicyExemption.namespaces([...DevSecOpsPlatform.COMPONENT_NAMESPACES, ...runtimeNamespaces],
          'platform components run upstream charts at the Pod Security level their namespace declares; tenant tier policies do not apply to them'),
      ],
    });
    this.gatekeeper = new GatekeeperInstall(this.components, 'gatekeeper', {
      config: this.policies.config,
      ...props.components?.gatekeeper,
      replicas: policy.gatekeeperReplicas,
      failOpen: policy.failOpen,
    });

    if (harbor) {
      if (harbor.install) {
        if (harbor.install.host !== host) {
          invalid(this, 'registry.harbor.install.host', `differs from registry.host "${host}"`, harbor.install.host,
            'serve Harbor on the registry host every image refers to');
        }
        this.harborInstall = new HarborInstall(this.components, 'harbor', harbor.install);
      }
      new CrossplaneInstall(this.components, 'crossplane', props.components?.crossplane);
      new ExternalSecretsInstall(this.components, 'external-secrets', props.components?.externalSecrets);
      this.harborProvider = new HarborProvider(this.components, 'harbor-provider', {
        registryHost: host,
        credentialsSecretName: harbor.providerCredentialsSecretName,
        credentialsSecretNamespace: harbor.providerCredentialsSecretNamespace,
      });
      new HarborScanSchedule(this.components, 'harbor-scanning', { provider: this.harborProvider, frequency: harbor.scanFrequency });
      this.platformProject = new HarborProject(this.components, 'platform-project', {
        provider: this.harborProvider,
        name: platformProjectName,
        severity: this.severity,
        // Security: kpack signs application images, not the builder images it writes here.
        cosignEnforcement: false,
      });
    }
    if (props.signing) {
      this.signaturePolicy = new SignaturePolicy(this.components, 'signatures', { key: props.signing.key, rekorUrl: props.signing.rekorUrl });
      this.signaturePolicy.exemptProject(this.platformProject!,
        'builder images written by kpack and stack/lifecycle images relocated from upstream; kpack signs only application images, and build pods run these');
      new SignaturePolicyInstall(this.components, 'policy-controller', { ...props.components?.policyController, noMatchPolicy: props.signing.noMatchPolicy });
    }

    if (props.builds) {
      this.buildImpact = new BuildImpactReport(this.components, 'build-impact');
      new UnmanagedNamespace(this.components, 'kpack-namespace', {
        namespace: this.kpackNamespace,
        reason: 'kpack is installed from its release manifests, which create its namespace; the builder\'s push credentials are written there',
      });
    }
    // Before the image report: it relocates the images of the installs that exist when it is made.
    if (props.runtime) this.runtime = new PlatformRuntime(this, 'runtime', { ...props.runtime, components: this.components, policies: this.policies });
    this.componentImages = new ComponentImageReport(this.components, 'component-images', {
      relocateTo: harbor?.relocateComponentImages ? `${host}/${platformProjectName}` : undefined,
    });

    trackSynth(this);
    this.node.addValidation({
      validate: () => oncePerSynth(this, this, () => [...(this.runtime?.checks() ?? []), ...checkSupplyChain(this), ...checkWeakenings(this)]),
    });
  }

  /** The tenants, in the order they were added. */
  public get tenants(): Tenant[] {
    return [...this.tenantsByName.values()];
  }

  /** Every declared registry project: the platform project first, then the tenants' in order. */
  public get registryProjects(): HarborProject[] {
    return this.platformProject ? [this.platformProject, ...this.projectsByTenant.values()] : [];
  }

  /** Whether the registry is managed as Harbor (`registry.harbor`). */
  public get managesRegistry(): boolean {
    return this.harborProvider !== undefined;
  }

  /**
   * Adds a tenant namespace. The name must be unique, a DNS label, and neither a Kubernetes
   * system namespace nor one of the platform's component namespaces.
   *
   * With a managed registry the tenant gets its Harbor project (`projectOf`), admitted by the
   * allowed-repositories policy, and its pull-only robot's Secret on every service account; with
   * signing, its namespace opts in to signature verification.
   */
  public addTenant(name: string, options: TenantOptions): Tenant {
    const where = `${this.node.path}/${name}`;
    if (this.tenantsByName.has(name)) {
      invalid(where, 'name', 'is already a tenant of this platform', name, 'give every tenant a distinct name');
    }
    if (this.reserved.has(name)) {
      invalid(where, 'name', 'is a namespace reserved for a platform component', name, `choose another name; reserved: ${[...this.reserved].sort().join(', ')}`);
    }
    if (this.platformProject && name === this.platformProject.projectName) {
      invalid(where, 'name', 'is the name of the platform\'s own registry project', name, 'choose another tenant name or set registry.harbor.platformProjectName');
    }
    if (this.harborProvider && !HarborProject.isProjectName(name)) {
      invalid(where, 'name', 'is not a valid Harbor project name, and the tenant\'s project takes its name (no "--", "-." or similar runs)', name,
        'use single hyphens between letters and digits, e.g. "core-banking"');
    }
    const tenant = new Tenant(this, name, { clusterDns: this.clusterDns, ...options, name });
    this.tenantsByName.set(name, tenant);
    this.runtime?.onTenant(tenant);
    if (this.harborProvider) {
      const project = new HarborProject(tenant, 'RegistryProject', { provider: this.harborProvider, tenant, severity: this.severity });
      this.projectsByTenant.set(name, project);
      this.policies.allowTenantRepositories(tenant, [project.repositoryPrefix]);
      tenant.addImagePullSecret(project.pullRobot!.dockerConfigSecretName);
      if (this.signaturePolicy) {
        this.signaturePolicy.addProject(project);
        this.signaturePolicy.optIn(tenant);
      }
    }
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

  /** The Harbor project of a tenant of this platform. */
  public projectOf(tenant: Tenant): HarborProject {
    const project = this.projectsByTenant.get(tenant?.namespaceName);
    if (!project || this.tenantsByName.get(tenant.namespaceName) !== tenant) {
      invalid(this, 'projectOf.tenant', this.managesRegistry ? 'is not a tenant of this platform' : 'has no registry project: the registry is not managed',
        tenant?.namespaceName, this.managesRegistry ? 'pass a tenant returned by addTenant' : 'set registry.harbor');
    }
    return project;
  }

  /**
   * Security (widening): lets the pods of `consumer` pull the images of another tenant's project,
   * for the grant's reason. Refused for the platform project, and for a SENSITIVE consumer when
   * the project is a DEV tenant's or its signature policy is weaker than the consumer's own.
   * The consumer gets a pull-only robot of that project on every service account; the grant is
   * recorded on the allowed-repositories constraint and in the policy report.
   */
  public grantImagePull(consumer: Tenant, grant: ImagePullGrant): void {
    const where = `${this.node.path}/${consumer?.namespaceName}`;
    if (!(grant instanceof ImagePullGrant)) {
      invalid(where, 'grantImagePull.grant', 'must be an ImagePullGrant', grant, 'use ImagePullGrant.fromTenant(owner, reason)');
    }
    const mine = this.projectOf(consumer);
    const theirs = this.projectOf(grant.owner as Tenant);
    if (mine === theirs) {
      invalid(where, 'grantImagePull.grant', 'names the tenant\'s own project, which its pods always pull from', theirs.repositoryPrefix, 'grant only other tenants\' projects');
    }
    if (typeof grant.reason !== 'string' || grant.reason.length < 10) {
      invalid(where, 'grantImagePull.grant.reason', 'must say why the tenant needs these images (at least 10 characters)', grant.reason,
        'e.g. ImagePullGrant.fromTenant(risk, "shared fraud-scoring model, owned by risk-eng (RISK-88)")');
    }
    const refusal = grantRefusal(mine, theirs, this.platformProject, this.signaturePolicy);
    if (refusal) invalid(where, 'grantImagePull.grant', refusal.problem, theirs.repositoryPrefix, refusal.fix);
    if (this.policies.tenantRepositories(consumer).includes(theirs.repositoryPrefix)) return;
    // The robot belongs to the owner's project; its credentials are objects of the consumer's namespace.
    const robot = theirs.addPullRobot(robotName('grant', mine.resourceName), consumer.namespaceName, `harbor-${theirs.resourceName}-pull`, consumer);
    consumer.addImagePullSecret(robot.dockerConfigSecretName);
    this.policies.grantTenantRepository(consumer, theirs.repositoryPrefix, grant.reason);
  }

  /**
   * Adds a kpack ClusterBuilder whose image is pushed to the platform project, by a push robot
   * whose credentials are written to kpack's namespace.
   */
  public addBuilder(name: string, options: PlatformBuilderOptions): KpackClusterBuilder {
    this.requireBuilds('addBuilder');
    if (!this.builderAccount) {
      const robot = this.platformProject!.addPushRobot(this.kpackNamespace, 'harbor-platform-builder-push');
      this.builderAccount = new KpackBuildServiceAccount(this.components, 'builder-account', {
        namespace: this.kpackNamespace,
        name: 'platform-builder',
        registryCredentialsSecretName: robot.dockerConfigSecretName,
      });
    }
    return new KpackClusterBuilder(this.components, `builder-${name}`, {
      name,
      stack: options.stack,
      store: options.store,
      lifecycle: options.lifecycle,
      order: options.order,
      repository: options.repository,
      project: this.platformProject!,
      serviceAccount: this.builderAccount,
    });
  }

  /**
   * Adds a kpack Image to a tenant: tagged in the tenant's project, built under the tenant's
   * build account (push robot of its project, pull robot of the platform project, the signing
   * key), with build pods allowed the `builds.egress` destinations.
   */
  public addImage(tenant: Tenant, name: string, options: PlatformImageOptions): KpackImage {
    this.requireBuilds('addImage');
    const project = this.projectOf(tenant);
    let account = this.buildAccounts.get(tenant.namespaceName);
    if (!account) {
      const push = project.addPushRobot(tenant.namespaceName, 'harbor-push');
      const pull = this.platformProject!.addPullRobot(robotName('pull', project.resourceName), tenant.namespaceName, 'harbor-platform-pull');
      account = new KpackBuildServiceAccount(tenant, 'BuildAccount', {
        tenant,
        registryCredentialsSecretName: push.dockerConfigSecretName,
        pullSecretNames: [pull.dockerConfigSecretName],
        signingKey: this.signaturePolicy!.key,
      });
      this.buildAccounts.set(tenant.namespaceName, account);
      // Build pods run the builder (and kpack's own images) from the platform project; no other
      // pod of the tenant may.
      this.policies.allowBuildRepositories(tenant, account.name, [this.platformProject!.repositoryPrefix]);
    }
    const image = new KpackImage(tenant, `Image-${name}`, {
      name,
      tenant,
      project,
      repository: options.repository,
      builder: options.builder,
      source: options.source,
      subPath: options.subPath,
      cache: options.cache,
      buildServiceAccount: account,
    });
    for (const e of this.builds!.egress) tenant.allowTo(e.peer, e.ports, { podLabels: { [KPACK_IMAGE_LABEL]: image.name }, weakening: e.weakening });
    return image;
  }

  private requireBuilds(method: string): void {
    if (!this.builds) {
      invalid(this, method, 'needs builds (and registry.harbor and signing) in the platform props', '<builds unset>',
        'set builds: { egress: [...] } with the destinations build pods reach');
    }
  }
}

/**
 * Name of a tenant's robot in another project: `<verb>-<project>`, or, when that exceeds Harbor
 * robot names' 40 characters, a prefix of the project name and a hash of the whole of it, so
 * distinct tenants never share a robot.
 */
function robotName(verb: string, projectResourceName: string): string {
  const plain = `${verb}-${projectResourceName}`;
  if (plain.length <= 40) return plain;
  return `${verb}-${projectResourceName.slice(0, 30 - verb.length).replace(/-+$/, '')}-${shortHash(projectResourceName)}`;
}

/** Label kpack puts on the pods of an Image's builds (value: the Image name). */
const KPACK_IMAGE_LABEL = 'image.kpack.io/image';
