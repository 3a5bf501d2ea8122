import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CrossplaneInstall } from './crossplane-install';
import { HarborInstall } from './harbor-install';
import { HarborProject } from './harbor-project';
import { HarborProvider } from './harbor-provider';
import { HarborScanSchedule } from './harbor-scan-schedule';
import { ImagePullGrant } from './image-pull-grant';
import { checkImageBoundary, grantRefusal } from './private/image-boundary';
import { robotName } from './private/robot-name';
import { ISeverityGate, RegistrySeverities, RegistrySeverity } from './severity';
import { SignaturePolicy } from './signature-policy';
import { SignaturePolicyInstall } from './signature-policy-install';
import type { PlatformComponentsProps } from '../platform/platform-components';
import type { PlatformRegistryProps, PlatformSigningProps } from '../platform/platform-props';
import type { PlatformPolicy } from '../policy/platform-policy';
import { POD_RUNNING_KINDS, podSpecOf } from '../policy/private/expansion';
import { invalid } from '../private/errors';
import { PlatformCheckInput, PlatformLayer } from '../private/platform-layer';
import { isHarborProjectName, isRegistryHost } from '../private/validate';
import { ExternalSecretsInstall } from '../secrets/external-secrets-install';
import type { Tenant } from '../tenancy/tenant';

/** Settings of the registry layer, from the platform's props. */
export interface PlatformRegistrySettings {
  readonly registry: PlatformRegistryProps;
  readonly signing?: PlatformSigningProps;
  readonly components?: PlatformComponentsProps;
}

/**
 * The registry layer of the platform: the registry host and the one severity threshold; with
 * `registry.harbor`, Harbor (optionally installed), the Crossplane provider, the weekly scan-all,
 * the platform project and one project per tenant, admitted to its tenant only, with pull
 * credentials on every service account; with `signing`, the signature policies and
 * policy-controller.
 */
export class PlatformRegistry implements PlatformLayer {
  public readonly host: string;
  public readonly severity: RegistrySeverity;
  public readonly platformProjectName: string;
  public harborInstall?: HarborInstall;
  public harborProvider?: HarborProvider;
  public platformProject?: HarborProject;
  public signaturePolicy?: SignaturePolicy;
  private readonly projectsByTenant = new Map<string, HarborProject>();
  private readonly tenantsByName = new Map<string, Tenant>();

  constructor(private readonly platform: IConstruct, private readonly policy: PlatformPolicy, private readonly settings: PlatformRegistrySettings) {
    const props = settings.registry;
    const host = props?.host;
    if (!isRegistryHost(host)) {
      invalid(platform, 'registry.host', 'must be a registry host name with an optional port', host,
        'pass the host only, for example "harbor.bank.example" (no scheme, no path)');
    }
    this.host = host;
    this.severity = RegistrySeverities.parse(platform, 'registry.severity', props.severity ?? RegistrySeverities.DEFAULT_THRESHOLD);
    const harbor = props.harbor;
    this.platformProjectName = harbor?.platformProjectName ?? 'platform';
    if (harbor && !isHarborProjectName(this.platformProjectName)) {
      invalid(platform, 'registry.harbor.platformProjectName', 'is not a valid Harbor project name', this.platformProjectName,
        'use lowercase letters and digits with single ".", "_" or "-" between them, e.g. "platform"');
    }
    if (settings.signing && !harbor) {
      invalid(platform, 'signing', 'needs registry.harbor: signatures are required per Harbor project', '<signing>',
        'add registry.harbor, or remove signing');
    }
  }

  /** Whether the registry is managed as Harbor. */
  public get managed(): boolean {
    return this.settings.registry.harbor !== undefined;
  }

  /** Every declared project: the platform project first, then the tenants' in order. */
  public get projects(): HarborProject[] {
    return this.platformProject ? [this.platformProject, ...this.projectsByTenant.values()] : [];
  }

  /** Repositories every tenant namespace admits: the host when the registry is not managed. */
  public get allowedEverywhere(): string[] {
    return this.managed ? [] : [this.host];
  }

  public install(components: Chart): void {
    const harbor = this.settings.registry.harbor;
    const componentProps = this.settings.components;
    if (harbor) {
      if (harbor.install) {
        if (harbor.install.host !== this.host) {
          invalid(this.platform, 'registry.harbor.install.host', `differs from registry.host "${this.host}"`, harbor.install.host,
            'serve Harbor on the registry host every image refers to');
        }
        this.harborInstall = new HarborInstall(components, 'harbor', harbor.install);
      }
      new CrossplaneInstall(components, 'crossplane', componentProps?.crossplane);
      new ExternalSecretsInstall(components, 'external-secrets', componentProps?.externalSecrets);
      this.harborProvider = new HarborProvider(components, 'harbor-provider', {
        registryHost: this.host,
        credentialsSecretName: harbor.providerCredentialsSecretName,
        credentialsSecretNamespace: harbor.providerCredentialsSecretNamespace,
      });
      new HarborScanSchedule(components, 'harbor-scanning', { provider: this.harborProvider, frequency: harbor.scanFrequency });
      this.platformProject = new HarborProject(components, 'platform-project', {
        provider: this.harborProvider,
        name: this.platformProjectName,
        severity: this.severity,
        // Security: kpack signs application images, not the builder images it writes here.
        cosignEnforcement: false,
      });
    }
    const signing = this.settings.signing;
    if (signing) {
      this.signaturePolicy = new SignaturePolicy(components, 'signatures', { key: signing.key, rekorUrl: signing.rekorUrl });
      this.signaturePolicy.exemptProject(this.platformProject!,
        'builder images written by kpack and stack/lifecycle images relocated from upstream; kpack signs only application images, and build pods run these');
      new SignaturePolicyInstall(components, 'policy-controller', { ...componentProps?.policyController, noMatchPolicy: signing.noMatchPolicy });
    }
  }

  public checkTenantName(where: string, name: string): void {
    if (this.platformProject && name === this.platformProject.projectName) {
      invalid(where, 'name', 'is the name of the platform\'s own registry project', name, 'choose another tenant name or set registry.harbor.platformProjectName');
    }
    if (this.harborProvider && !HarborProject.isProjectName(name)) {
      invalid(where, 'name', 'is not a valid Harbor project name, and the tenant\'s project takes its name (no "--", "-." or similar runs)', name,
        'use single hyphens between letters and digits, e.g. "core-banking"');
    }
  }

  public onTenant(tenant: Tenant): void {
    this.tenantsByName.set(tenant.namespaceName, tenant);
    if (!this.harborProvider) return;
    const project = new HarborProject(tenant, 'RegistryProject', { provider: this.harborProvider, tenant, severity: this.severity });
    this.projectsByTenant.set(tenant.namespaceName, project);
    this.policy.catalog.allowTenantRepositories(tenant, [project.repositoryPrefix]);
    tenant.addImagePullSecret(project.pullRobot!.dockerConfigSecretName);
    if (this.signaturePolicy) {
      this.signaturePolicy.addProject(project);
      this.signaturePolicy.optIn(tenant);
    }
  }

  /** The Harbor project of a tenant of the platform. */
  public projectOf(tenant: Tenant): HarborProject {
    const project = this.projectsByTenant.get(tenant?.namespaceName);
    if (!project || this.tenantsByName.get(tenant.namespaceName) !== tenant) {
      invalid(this.platform, 'projectOf.tenant', this.managed ? 'is not a tenant of this platform' : 'has no registry project: the registry is not managed',
        tenant?.namespaceName, this.managed ? 'pass a tenant returned by addTenant' : 'set registry.harbor');
    }
    return project;
  }

  /** See `DevSecOpsPlatform.grantImagePull`. */
  public grantImagePull(consumer: Tenant, grant: ImagePullGrant): void {
    const where = `${this.platform.node.path}/${consumer?.namespaceName}`;
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
    const policies = this.policy.catalog;
    if (policies.tenantRepositories(consumer).includes(theirs.repositoryPrefix)) return;
    // The robot belongs to the owner's project; its credentials are objects of the consumer's namespace.
    const robot = theirs.addPullRobot(robotName('grant', mine.resourceName), consumer.namespaceName, `harbor-${theirs.resourceName}-pull`, consumer);
    consumer.addImagePullSecret(robot.dockerConfigSecretName);
    policies.grantTenantRepository(consumer, theirs.repositoryPrefix, grant.reason);
  }

  /** The declared project a repository or image reference is in, at a path boundary. */
  public containing(ref: string): HarborProject | undefined {
    return this.projects.find((p) => ref === p.repositoryPrefix || ref.startsWith(`${p.repositoryPrefix}/`));
  }

  /**
   * The registry's one-source-of-truth rules: the image boundary the allowed-repositories
   * constraints draw, one severity threshold for every gate, pull credentials for every tenant
   * that runs images.
   */
  public checks(input: PlatformCheckInput): string[] {
    const { all, tenants } = input;
    const errors: string[] = [];
    const at = (c: IConstruct) => `[${c.node.path}]`;
    const where = at(this.platform);
    if (this.managed) {
      errors.push(...checkImageBoundary({
        platform: this.platform,
        all,
        tenants,
        policies: this.policy.catalog,
        projectOf: (t) => this.projectOf(t),
        platformProject: this.platformProject!,
        signaturePolicy: this.signaturePolicy,
        containing: (ref) => this.containing(ref),
        prefixes: this.projects.map((p) => p.repositoryPrefix).join(', '),
      }));
    }

    // One severity threshold: every gate blocks at the platform's.
    for (const gate of all.filter((x) => x !== this.platform && RegistrySeverities.isSeverityGate(x)) as unknown as ISeverityGate[]) {
      if (gate.severityThreshold !== this.severity) {
        errors.push(`${at(gate)} blocks images at severity "${gate.severityThreshold}", but ${where} registry.severity is "${this.severity}"; `
          + 'use one threshold: leave the gate\'s severity to the platform, or change registry.severity');
      }
    }

    // A tenant that runs images has pull credentials.
    const workloadsByNamespace = new Map<string, ApiObject[]>();
    for (const x of all) {
      if (!(x instanceof ApiObject) || !POD_RUNNING_KINDS.has(x.kind) || !x.metadata.namespace) continue;
      const list = workloadsByNamespace.get(x.metadata.namespace) ?? [];
      list.push(x);
      workloadsByNamespace.set(x.metadata.namespace, list);
    }
    for (const tenant of tenants) {
      const accounts = new Set(tenant.serviceAccountNames);
      const tenantSecrets = tenant.imagePullSecrets;
      for (const obj of workloadsByNamespace.get(tenant.namespaceName) ?? []) {
        const pod = podSpecOf(obj.toJson());
        if (!pod || (Array.isArray(pod.imagePullSecrets) && pod.imagePullSecrets.length > 0)) continue;
        const sa = pod.serviceAccountName ?? 'default';
        if (tenantSecrets.length === 0) {
          errors.push(`${at(obj)} ${obj.kind} "${obj.name}" runs images in tenant "${tenant.namespaceName}", but ${at(tenant)} has no pull credentials; `
            + 'manage the registry (registry.harbor gives every tenant a pull robot) or call tenant.addImagePullSecret(name)');
        } else if (!accounts.has(sa)) {
          errors.push(`${at(obj)} ${obj.kind} "${obj.name}" runs as service account "${sa}", which ${at(tenant)} does not declare, so it carries no pull credentials; `
            + `declare it with tenant.addServiceAccount("${sa}")`);
        }
      }
    }
    return errors;
  }
}
