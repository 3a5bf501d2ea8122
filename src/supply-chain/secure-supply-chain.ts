import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkPolicyBundle } from './private/checks';
import { bundleData, policyFiles, policyObjects } from './private/policy-bundle';
import { chainTemplates, checkStamping } from './private/stamp-check';
import {
  ChainNames, chainNames, deployerSpec, gatorRunSpec, gitRunSpec, grypeRunSpec, harborRunSpec, imageBuilderSpec, imageScanSpec,
  policyCheckSpec, RUN_TEMPLATE_LABEL, securityScanSpec, SETTINGS_KEYS, SETTINGS_LABEL, sourceProviderSpec, TemplateContext,
} from './private/templates';
import { SecureSupplyChainProps, SupplyChainAttachOptions, SupplyChainDestination, SupplyChainScanCredentials } from './supply-chain-props';
import { SupplyChainToolImages } from './tool-images';
import { KpackClusterBuilder } from '../image-build/cluster-builder';
import {
  ClusterConfigTemplate, ClusterImageTemplate, ClusterRunTemplate, ClusterSourceTemplate, ClusterSupplyChain, ClusterTemplate,
} from '../imports/cartographer-carto.run';
import { PolicyCatalog } from '../policy/policy-catalog';
import { placeClusterScoped } from '../private/api-scope';
import { invalid } from '../private/errors';
import { oncePerSynth, trackSynth } from '../private/synth-cache';
import { isDnsSubdomain, isRegistryHost, requireDnsLabel } from '../private/validate';
import { ISeverityGate, RegistrySeverities, RegistrySeverity } from '../registry/severity';
import { PlatformLabels } from '../tenancy/labels';
import { NetworkPeer, NetworkPort } from '../tenancy/network';
import { Tenant } from '../tenancy/tenant';
import { Tier } from '../tenancy/tier';
import { IWorkload, WorkloadType } from '../workload/workload-props';
import { requireDeployTarget, requireDestinations } from './private/props';

/** The label of the Cartographer Workload a chain selects on (one label: the workload type). */
const WORKLOAD_TYPE_LABEL = 'apps.tanzu.vmware.com/workload-type';

/** The stages of the chain, in order: the seed's names, kept as Cartographer resource names. */
export enum SupplyChainStage {
  SOURCE_PROVIDER = 'source-provider',
  SECURITY_SCAN = 'security-scan',
  IMAGE_BUILDER = 'image-builder',
  IMAGE_SCAN = 'image-scan',
  POLICY_CHECK = 'policy-check',
  DEPLOYER = 'deployer',
}

/** Properties of a `SupplyChainGate`. */
export interface SupplyChainGateProps {
  /** The stage the gate belongs to. */
  readonly stage: SupplyChainStage;
  /** The gate stops the chain on a finding at or above this severity. */
  readonly severityThreshold: RegistrySeverity;
}

/**
 * One of the chain's two vulnerability gates (security-scan on the source, image-scan on the
 * built image): the construct holding the stage's templates, and the threshold it stops the
 * chain at. The platform's one-threshold check finds it as an `ISeverityGate`.
 */
export class SupplyChainGate extends Construct implements ISeverityGate {
  /** The stage the gate belongs to. */
  public readonly stage: SupplyChainStage;
  /** The gate stops the chain on a finding at or above this severity. */
  public readonly severityThreshold: RegistrySeverity;

  constructor(scope: Construct, id: string, props: SupplyChainGateProps) {
    super(scope, id);
    if (!Object.values(SupplyChainStage).includes(props?.stage)) {
      invalid(this, 'stage', 'is not a stage of the chain', props?.stage, 'use SupplyChainStage.SECURITY_SCAN or SupplyChainStage.IMAGE_SCAN');
    }
    this.stage = props.stage;
    this.severityThreshold = RegistrySeverities.parse(this, 'severityThreshold', props.severityThreshold);
  }

  /** The stage's template (ClusterSourceTemplate or ClusterImageTemplate). */
  public get template(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }
}

/**
 * The seed's secure chain as a real Cartographer `ClusterSupplyChain` for one workload type:
 * `source-provider` (Flux GitRepository), `security-scan` (grype in a Tekton TaskRun, gate on
 * the severity), `image-builder` (signed kpack Image), `image-scan` (Harbor's report of the
 * digest, same gate), `policy-check` (gator with the platform's own policies on the rendered
 * configuration) and `deployer` (a git writer committing the checked configuration to the GitOps
 * repository).
 *
 * The chain's cluster-scoped objects go in the chart of `scope`. `attachWorkload` adds, in the
 * workload's namespace, the service account Cartographer stamps with (least privilege), the
 * tool pods' account, the policy bundle, image-scan's settings and the tool pods' egress.
 */
export class SecureSupplyChain extends Construct implements ISeverityGate {
  /**
   * Name of the ServiceAccount Cartographer stamps a workload's chain objects with
   * (`<workloadName>-chain`); the Workload's `spec.serviceAccountName`.
   */
  public static chainServiceAccountName(workload: IWorkload): string {
    return `${workload.workloadName}-chain`;
  }

  /** The workload type the chain selects. */
  public readonly workloadType: WorkloadType;
  /** Threshold of both gates. */
  public readonly severityThreshold: RegistrySeverity;
  /** Name of the ClusterSupplyChain. */
  public readonly chainName: string;
  /** The selector the ClusterSupplyChain writes (one label: the workload type). */
  public readonly selector: { [key: string]: string };
  /** The images the tool pods run. */
  public readonly toolImages: SupplyChainToolImages;
  /** The policies policy-check judges with. */
  public readonly policies: PolicyCatalog;
  /** security-scan's gate. */
  public readonly sourceGate: SupplyChainGate;
  /** image-scan's gate. */
  public readonly imageGate: SupplyChainGate;

  private readonly names: ChainNames;
  private readonly props: SecureSupplyChainProps;
  private readonly attached = new Map<string, IWorkload>();
  private readonly namespaces = new Map<string, { tenant: Tenant; scope: Construct }>();
  private readonly bundleCacheKey = {};

  constructor(scope: Construct, id: string, props: SecureSupplyChainProps) {
    super(scope, id);
    if (!props || typeof props !== 'object') invalid(this, 'props', 'are missing', props, 'pass SecureSupplyChainProps');
    if (!Object.values(WorkloadType).includes(props.workloadType)) {
      invalid(this, 'workloadType', 'is not a workload type', props.workloadType, 'use WorkloadType.WEB or WorkloadType.WORKER');
    }
    this.workloadType = props.workloadType;
    this.chainName = requireDnsLabel(this, 'name', props.name ?? `secure-${props.workloadType}`, 40);
    this.names = chainNames(this.chainName);
    this.severityThreshold = RegistrySeverities.parse(this, 'severity', props.severity ?? RegistrySeverities.DEFAULT_THRESHOLD);
    if (!isRegistryHost(props.registryHost)) {
      invalid(this, 'registryHost', 'must be a registry host with an optional port', props.registryHost, 'pass the Harbor host, e.g. "harbor.bank.example"');
    }
    if (!(props.builder instanceof KpackClusterBuilder)) {
      invalid(this, 'builder', 'must be a KpackClusterBuilder', props.builder === undefined ? undefined : String(props.builder), 'pass the builder from platform.addBuilder');
    }
    if (!(props.policies instanceof PolicyCatalog)) {
      invalid(this, 'policies', 'must be the platform\'s PolicyCatalog', props.policies === undefined ? undefined : String(props.policies),
        'pass platform.policies, so policy-check judges with the policies admission enforces');
    }
    this.policies = props.policies;
    const deploy = requireDeployTarget(this, props.deployTarget);
    if (!props.egress || typeof props.egress !== 'object') {
      invalid(this, 'egress', 'is missing: tool pods reach nothing but DNS without it', props.egress,
        'set egress: { vulnerabilityDatabase: [...], registry: [...], gitOpsRepository: [...] }');
    }
    requireDestinations(this, 'egress.vulnerabilityDatabase', props.egress.vulnerabilityDatabase, false);
    requireDestinations(this, 'egress.registry', props.egress.registry, false);
    requireDestinations(this, 'egress.gitOpsRepository', props.egress.gitOpsRepository, false);
    if (props.egress.sourceArtifacts !== undefined) requireDestinations(this, 'egress.sourceArtifacts', props.egress.sourceArtifacts, false);
    const dbUrl = props.vulnerabilityDatabaseUrl ?? 'https://grype.anchore.io/databases';
    if (typeof dbUrl !== 'string' || !/^https:\/\/[^\s/]+/.test(dbUrl)) {
      invalid(this, 'vulnerabilityDatabaseUrl', 'must be an https:// URL', dbUrl, 'use the URL of a grype database mirror, e.g. "https://grype-db.bank.example/databases"');
    }
    for (const [prop, value] of [['sourceCredentialsSecretName', props.sourceCredentialsSecretName], ['buildServiceAccountName', props.buildServiceAccountName]]) {
      if (value !== undefined && !isDnsSubdomain(value)) invalid(this, prop!, 'is not an object name', value, 'use a DNS subdomain such as "git-read"');
    }
    this.toolImages = new SupplyChainToolImages(this, props.toolImages);
    this.props = props;
    this.selector = { [WORKLOAD_TYPE_LABEL]: this.workloadType };

    const ctx: TemplateContext = {
      names: this.names,
      severity: this.severityThreshold,
      registryHost: props.registryHost,
      builderName: props.builder.name,
      buildServiceAccountName: props.buildServiceAccountName ?? 'kpack-build',
      tools: this.toolImages,
      vulnerabilityDatabaseUrl: dbUrl,
      sourceCredentialsSecretName: props.sourceCredentialsSecretName,
      withService: this.workloadType === WorkloadType.WEB,
      deploy,
    };
    const meta = (name: string) => ({ name, labels: { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE } });
    const n = this.names;
    const cluster = <T extends ApiObject>(o: T) => placeClusterScoped(o) as T;

    cluster(new ClusterSourceTemplate(this, 'SourceProvider', { metadata: meta(n.sourceTemplate), spec: sourceProviderSpec(ctx) as any }));
    this.sourceGate = new SupplyChainGate(this, 'SecurityScan', { stage: SupplyChainStage.SECURITY_SCAN, severityThreshold: this.severityThreshold });
    cluster(new ClusterSourceTemplate(this.sourceGate, 'Resource', { metadata: meta(n.scanTemplate), spec: securityScanSpec(ctx) as any }));
    cluster(new ClusterRunTemplate(this.sourceGate, 'Run', { metadata: meta(n.grypeRun), spec: grypeRunSpec(ctx) as any }));
    cluster(new ClusterImageTemplate(this, 'ImageBuilder', { metadata: meta(n.imageTemplate), spec: imageBuilderSpec(ctx) as any }));
    this.imageGate = new SupplyChainGate(this, 'ImageScan', { stage: SupplyChainStage.IMAGE_SCAN, severityThreshold: this.severityThreshold });
    cluster(new ClusterImageTemplate(this.imageGate, 'Resource', { metadata: meta(n.imageScanTemplate), spec: imageScanSpec(ctx) as any }));
    cluster(new ClusterRunTemplate(this.imageGate, 'Run', { metadata: meta(n.harborRun), spec: harborRunSpec(ctx) as any }));
    const policy = new Construct(this, 'PolicyCheck');
    cluster(new ClusterConfigTemplate(policy, 'Resource', { metadata: meta(n.policyTemplate), spec: policyCheckSpec(ctx) as any }));
    cluster(new ClusterRunTemplate(policy, 'Run', { metadata: meta(n.gatorRun), spec: gatorRunSpec(ctx) as any }));
    const deployer = new Construct(this, 'Deployer');
    cluster(new ClusterTemplate(deployer, 'Resource', { metadata: meta(n.deployTemplate), spec: deployerSpec(ctx) as any }));
    cluster(new ClusterRunTemplate(deployer, 'Run', { metadata: meta(n.gitRun), spec: gitRunSpec(ctx) as any }));

    const ref = (kind: string, name: string) => ({ kind, name });
    cluster(new ClusterSupplyChain(this, 'Resource', {
      metadata: meta(this.chainName),
      spec: {
        selector: this.selector,
        resources: [
          { name: SupplyChainStage.SOURCE_PROVIDER, templateRef: ref('ClusterSourceTemplate', n.sourceTemplate) },
          { name: SupplyChainStage.SECURITY_SCAN, templateRef: ref('ClusterSourceTemplate', n.scanTemplate), sources: [{ resource: SupplyChainStage.SOURCE_PROVIDER, name: 'source' }] },
          { name: SupplyChainStage.IMAGE_BUILDER, templateRef: ref('ClusterImageTemplate', n.imageTemplate), sources: [{ resource: SupplyChainStage.SECURITY_SCAN, name: 'source' }] },
          { name: SupplyChainStage.IMAGE_SCAN, templateRef: ref('ClusterImageTemplate', n.imageScanTemplate), images: [{ resource: SupplyChainStage.IMAGE_BUILDER, name: 'image' }] },
          { name: SupplyChainStage.POLICY_CHECK, templateRef: ref('ClusterConfigTemplate', n.policyTemplate), images: [{ resource: SupplyChainStage.IMAGE_SCAN, name: 'image' }] },
          { name: SupplyChainStage.DEPLOYER, templateRef: ref('ClusterTemplate', n.deployTemplate), configs: [{ resource: SupplyChainStage.POLICY_CHECK, name: 'config' }] },
        ],
      } as any,
    }));

    trackSynth(this);
    this.node.addValidation({ validate: () => oncePerSynth(this, this, () => this.checks()) });
  }

  /** The ClusterSupplyChain object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }

  /** Name of the ServiceAccount the chain's tool pods run as in each namespace (`<chain>-tools`). */
  public get toolServiceAccountName(): string {
    return this.names.toolsServiceAccount;
  }

  /** The workloads attached to the chain, in the order they were attached. */
  public get workloads(): IWorkload[] {
    return [...this.attached.values()];
  }

  /**
   * Attaches a built workload of the chain's type: creates its chain ServiceAccount bound to a
   * Role granting only the kinds the chain stamps, and, once per namespace, the tool pods'
   * ServiceAccount, the policy bundle, image-scan's settings and the tool pods' egress. Refused
   * for a workload of another type, a prebuilt one, and, in a SENSITIVE tenant, while a tool
   * image is not pinned by digest.
   */
  public attachWorkload(workload: IWorkload, options: SupplyChainAttachOptions): void {
    const where = workload?.node?.path ?? '<not a construct>';
    if (!workload || typeof workload.workloadName !== 'string' || !workload.tenant) {
      invalid(this, 'attachWorkload.workload', 'must be a workload', where, 'pass the IWorkload returned by tenant.addWorkload');
    }
    if (workload.workloadType !== this.workloadType) {
      invalid(this, 'attachWorkload.workload', `is a ${workload.workloadType} workload (${where}), but this chain selects ${this.workloadType} workloads`,
        workload.workloadName, `attach it to the chain of type ${workload.workloadType}, or give the workload type ${this.workloadType}`);
    }
    if (!workload.builtByChain || !workload.imageRepository) {
      invalid(this, 'attachWorkload.workload', `(${where}) runs a prebuilt image: the chain builds from source only`, workload.workloadName,
        'give the workload a source, or do not attach it');
    }
    const key = `${workload.namespace}/${workload.workloadName}`;
    if (this.attached.has(key)) {
      invalid(this, 'attachWorkload.workload', `(${where}) is already attached`, key, 'attach each workload once');
    }
    const tenant = workload.tenant;
    if (!Tenant.isTenant(tenant)) {
      invalid(this, 'attachWorkload.workload.tenant', 'is not a Tenant of this library: the chain writes into its chart and opens its tool pods\' egress', tenant.node.path,
        'create the tenant with platform.addTenant or new Tenant');
    }
    const unpinned = this.toolImages.unpinned();
    if (tenant.tier === Tier.SENSITIVE && unpinned.length > 0) {
      invalid(this, 'toolImages', `has images not pinned by digest, refused for SENSITIVE tenant "${tenant.namespaceName}" (${where})`,
        unpinned.map((t) => this.toolImages.imageOf(t)),
        `pin them: toolImages: [${unpinned.map((t) => `{ tool: SupplyChainTool.${t.toUpperCase()}, image: "<repository>:<tag>@sha256:<64 hex>" }`).join(', ')}]`);
    }
    if (!(options?.scanCredentials instanceof SupplyChainScanCredentials)) {
      invalid(this, 'attachWorkload.options.scanCredentials', 'is missing', options?.scanCredentials,
        'pass SupplyChainScanCredentials.fromHarborRobot(robot) with a robot of the tenant\'s project that reads artifacts and scans');
    }
    options.scanCredentials._validate(this, 'attachWorkload.options.scanCredentials', workload.namespace);
    const declared = (workload as any).chainServiceAccountName;
    const account = SecureSupplyChain.chainServiceAccountName(workload);
    if (declared !== undefined && declared !== account) {
      invalid(this, 'attachWorkload.workload.chainServiceAccountName', `differs from the account the chain grants (${where})`, declared, `name it "${account}"`);
    }

    const ns = this.namespaceObjects(workload, options.scanCredentials);
    (workload.tenant as Tenant).addServiceAccount(account);
    new k8s.KubeRoleBinding(ns.scope, `Binding-${workload.workloadName}`, {
      metadata: { name: `${account}-${this.chainName}`, namespace: workload.namespace, labels: managed() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.names.stamperRole },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: workload.namespace }],
    });
    this.attached.set(key, workload);
  }

  /** Synth-time checks of the chain (also run by the chain's own validation). */
  public checks(): string[] {
    const stamping: string[] = [];
    for (const workload of this.workloads) {
      const resource = workload.node.defaultChild;
      if (!(resource instanceof ApiObject) || resource.kind !== 'Workload') continue;
      for (const template of chainTemplates(this)) stamping.push(...checkStamping(template, resource));
    }
    return [...checkPolicyBundle(this, this.policies), ...stamping];
  }

  /** The objects a namespace gets once, created on the first workload attached in it. */
  private namespaceObjects(workload: IWorkload, credentials: SupplyChainScanCredentials): { scope: Construct } {
    const existing = this.namespaces.get(workload.namespace);
    if (existing) {
      if (existing.tenant !== workload.tenant) {
        invalid(this, 'attachWorkload.workload', `is in namespace "${workload.namespace}" of ${workload.tenant.node.path}, which ${existing.tenant.node.path} already holds`,
          workload.workloadName, 'give every tenant its own namespace');
      }
      return existing;
    }
    const tenant = workload.tenant as Tenant;
    const scope = new Construct(tenant, `SupplyChain-${this.chainName}`);
    const namespace = workload.namespace;
    const n = this.names;

    // Tool pods: no API access, no token, the tenant's pull secrets.
    tenant.addServiceAccount(n.toolsServiceAccount);

    new k8s.KubeRole(scope, 'StamperRole', {
      metadata: { name: n.stamperRole, namespace, labels: managed() },
      rules: [
        { apiGroups: ['source.toolkit.fluxcd.io'], resources: ['gitrepositories'], verbs: MUTABLE },
        { apiGroups: ['carto.run'], resources: ['runnables'], verbs: MUTABLE },
        { apiGroups: ['kpack.io'], resources: ['images'], verbs: MUTABLE },
        // Runnables create TaskRuns (immutable: never updated) and delete old ones.
        { apiGroups: ['tekton.dev'], resources: ['taskruns'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
        // image-scan's Runnable selects the settings ConfigMap by label.
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      ],
    });

    new k8s.KubeConfigMap(scope, 'Settings', {
      metadata: { name: n.settings, namespace, labels: { ...managed(), [SETTINGS_LABEL]: this.chainName } },
      data: {
        [SETTINGS_KEYS.username]: credentials.username,
        [SETTINGS_KEYS.secretName]: credentials.secretName,
        [SETTINGS_KEYS.secretKey]: credentials.secretKey,
      },
    });

    const namespaceObject = tenant.node.tryFindChild('Resource');
    if (!(namespaceObject instanceof ApiObject) || namespaceObject.kind !== 'Namespace') {
      invalid(this, 'attachWorkload.workload.tenant', 'has no Namespace object: gator needs it to match the tier constraints', tenant.node.path,
        'attach workloads of tenants created with the library\'s Tenant');
    }
    new k8s.KubeConfigMap(scope, 'PolicyBundle', {
      metadata: { name: n.policyBundle, namespace, labels: managed() },
      data: Lazy.any({ produce: () => bundleData(this.policyFiles(), namespaceObject.toJson()) }) as any,
    });

    const egress = this.props.egress;
    this.allowEgress(tenant, n.grypeRun, [...(egress.sourceArtifacts ?? [FLUX_SOURCE_CONTROLLER]), ...egress.vulnerabilityDatabase]);
    this.allowEgress(tenant, n.harborRun, egress.registry);
    this.allowEgress(tenant, n.gitRun, egress.gitOpsRepository);

    const entry = { tenant, scope };
    this.namespaces.set(namespace, entry);
    return entry;
  }

  /** The bundle's policy files, rendered once per synth for every namespace. */
  private policyFiles(): string[] {
    return oncePerSynth(this, this.bundleCacheKey, () => policyFiles(policyObjects(this.policies)));
  }

  private allowEgress(tenant: Tenant, runTemplate: string, destinations: SupplyChainDestination[]): void {
    for (const d of destinations) tenant.allowTo(d.peer, d.ports, { podLabels: { [RUN_TEMPLATE_LABEL]: runTemplate }, weakening: d.weakening });
  }

}

/** Verbs Cartographer needs on the objects it stamps and keeps up to date. */
const MUTABLE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Flux's source-controller serves artifacts on its `http` port (9090) in `flux-system`. */
const FLUX_SOURCE_CONTROLLER: SupplyChainDestination = {
  peer: NetworkPeer.podsInNamespace('flux-system', { app: 'source-controller' }),
  ports: [NetworkPort.tcp(9090)],
};

function managed(): { [key: string]: string } {
  return { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
}
