import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ClusterDns } from './cluster-dns';
import { PlatformLabels } from './labels';
import { NamespacePlacement } from './namespace-placement';
import { NetworkPeer, NetworkPeerKind, NetworkPort } from './network';
import { PodSecurity, PodSecurityConfig, PodSecurityLevel } from './pod-security';
import { podsPeerIsTenantMessage, TENANT_MARK } from './private/placement-check';
import { teamAccessRules } from './private/team-access-rules';
import { TIER_PROFILES } from './private/tier-profiles';
import { networkWeakening, podSecurityWeakenings } from './private/weakening-checks';
import { recordWeakening } from './private/weakenings';
import { ContainerResourceDefaults, TenantQuota } from './resources';
import { TeamAccess } from './team-access';
import { AllowOptions, ITenant, NetworkDirection, TenantProps } from './tenant-props';
import { TenantServiceAccount } from './tenant-service-account';
import { DataClassification, Tier } from './tier';
import { WeakeningKind } from './weakening';
import { placeClusterScoped } from '../private/api-scope';
import { DevSecOpsValidationError, invalid } from '../private/errors';
import { shortHash } from '../private/hash';
import { nameManifestFile } from '../private/output-layout';
import { isDnsSubdomain, isQuantity, quantityValue, requireDnsLabel, requireEnum, requireQuantity } from '../private/validate';
import { Workload } from '../workload/workload';
import { WorkloadOptions } from '../workload/workload-props';

/**
 * Namespaces a tenant may never take: Kubernetes' own.
 */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

interface PolicyRules {
  readonly policy: ApiObject;
  readonly localPodLabels?: { [key: string]: string };
  readonly rules: Array<{ peer: NetworkPeer; ports: NetworkPort[] }>;
}

/**
 * A tenant: a namespace owned by one team, with a tier that sets its Pod Security level,
 * default-deny networking with DNS-only egress, quota and container limits, team RBAC and
 * token-less service accounts. Network traffic across the namespace boundary is added with
 * `allowTo` / `allowFrom`.
 *
 * A tenant is a cdk8s `Chart` whose default namespace is the tenant's: objects you add to it
 * (cdk8s-plus workloads, `ApiObject`s, `Include`s) that name no namespace land in it. At synth,
 * an object of the chart that names another tenant's namespace, `default` or a namespace the
 * program does not declare is refused, and so is a cluster-scoped object of your own (put it in
 * a chart of its own). Objects you add carry only the labels you give them: `workloadLabels`
 * has the ones the admission policy requires on workloads and pod templates.
 */
export class Tenant extends Chart implements ITenant {
  /** True when `x` is a `Tenant` of this library. */
  public static isTenant(x: unknown): x is Tenant {
    return x instanceof Tenant;
  }

  public readonly namespaceName: string;
  public readonly tier: Tier;
  public readonly team: string;
  public readonly teamGroup: string;
  public readonly dataClassification: DataClassification;
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The access level bound to the team. */
  public readonly teamAccess: TeamAccess;

  private readonly policies = new Map<string, PolicyRules>();
  private readonly serviceAccounts = new Set<string>();
  private readonly workloadsByName = new Map<string, Workload>();
  private readonly pullSecrets: string[] = [];
  private readonly podsPeers: Array<{ namespace: string; prop: string }> = [];
  private readonly egressLimits: { ipv4: number; ipv6: number };

  constructor(scope: Construct, id: string, props: TenantProps) {
    // The chart's namespace is the tenant's, so objects that name none land in it. The chart has
    // no labels: chart labels would mark the user's own objects as managed by this library.
    super(scope, id, { namespace: props?.name ?? id });
    Object.defineProperty(this, TENANT_MARK, { value: true });
    const name = props.name ?? id;
    requireDnsLabel(this, 'name', name);
    if (SYSTEM_NAMESPACES.includes(name) || name.startsWith('kube-')) {
      invalid(this, 'name', 'is a Kubernetes system namespace', name, 'choose a name of your own; Kubernetes reserves default and kube-*');
    }
    requireEnum(this, 'tier', props.tier, Tier, 'Tier');
    requireDnsLabel(this, 'team', props.team);
    if (props.teamGroup !== undefined && (typeof props.teamGroup !== 'string' || props.teamGroup.trim() === '')) {
      invalid(this, 'teamGroup', 'must be a non-empty group name', props.teamGroup, 'pass the group as your authenticator reports it, e.g. "oidc:payments-eng"');
    }

    const profile = TIER_PROFILES[props.tier];
    this.namespaceName = name;
    this.tier = props.tier;
    this.team = props.team;
    this.teamGroup = props.teamGroup ?? props.team;
    this.dataClassification = requireEnum(this, 'dataClassification', props.dataClassification ?? profile.dataClassification,
      DataClassification, 'DataClassification');
    this.teamAccess = requireEnum(this, 'teamAccess', props.teamAccess ?? profile.teamAccess, TeamAccess, 'TeamAccess');

    const pss: PodSecurityConfig = props.podSecurity ?? profile.podSecurity;
    for (const mode of ['enforce', 'audit', 'warn'] as const) {
      if (mode === 'enforce' || pss[mode] !== undefined) requireEnum(this, `podSecurity.${mode}`, pss[mode]!, PodSecurityLevel, 'PodSecurityLevel');
    }
    const version = pss.version ?? PodSecurity.PINNED_VERSION;
    if (!/^(latest|v1\.\d{1,2})$/.test(version)) {
      invalid(this, 'podSecurity.version', 'is not a Pod Security policy version', version, 'use "v1.<minor>" such as "v1.28" (pinned) or "latest"');
    }
    this.podSecurityLevel = pss.enforce;
    const strictest = PodSecurityLevel.RESTRICTED;
    const weakerModes = podSecurityWeakenings(this, this.tier,
      { enforce: pss.enforce, audit: pss.audit ?? strictest, warn: pss.warn ?? strictest }, profile.podSecurity, pss.weakening);
    this.egressLimits = {
      ipv4: prefixLimit(this, 'egressPrefixLimit.ipv4', props.egressPrefixLimit?.ipv4 ?? 16, 32),
      ipv6: prefixLimit(this, 'egressPrefixLimit.ipv6', props.egressPrefixLimit?.ipv6 ?? 48, 128),
    };

    const userLabels = props.labels ?? {};
    for (const key of Object.keys(userLabels)) {
      if (key.startsWith(`${PlatformLabels.PREFIX}/`) || key.startsWith(`${PodSecurity.LABEL_PREFIX}/`)) {
        invalid(this, `labels.${key}`, 'is a label the library manages', userLabels[key], 'set it through the typed props (tier, team, dataClassification, podSecurity)');
      }
    }

    const namespace = placeClusterScoped(new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name,
        labels: {
          ...userLabels,
          [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE,
          [PlatformLabels.TENANT]: name,
          [PlatformLabels.TIER]: this.tier,
          [PlatformLabels.OWNER]: this.team,
          [PlatformLabels.DATA_CLASSIFICATION]: this.dataClassification,
          ...PodSecurity.labels({ ...pss, version }),
        },
      },
    }));
    for (const detail of weakerModes) recordWeakening(namespace, WeakeningKind.POD_SECURITY_BELOW_TIER, `Pod Security ${detail}`, pss.weakening!);

    this.addDefaultDeny(props.clusterDns ?? ClusterDns.kubeDns());
    this.addQuota({ ...profile.quota, ...definedOnly(props.quota) });
    this.addLimitRange({ ...profile.containers, ...definedOnly(props.containerDefaults) });
    this.addTeamRbac();

    // The namespace's `default` service account exists in every namespace; declaring it turns off
    // token automount for pods that name no service account.
    this.addServiceAccount('default');
    NamespacePlacement.of(this);
    nameManifestFile(this);
  }

  /**
   * The labels the platform's admission policy requires on workloads (Deployment, StatefulSet,
   * DaemonSet, Job, CronJob) and that its later layers select pods on: owner, data
   * classification and tenant, with this tenant's values. Put them on the workload and on its
   * pod template, e.g. with cdk8s-plus:
   * `new kplus.Deployment(tenant, 'web', { metadata: { labels: tenant.workloadLabels }, podMetadata: { labels: tenant.workloadLabels }, ... })`.
   *
   * They are not added to your objects behind your back: the synth-time policy gate refuses a
   * workload without them, and the fix is this one call.
   */
  public get workloadLabels(): { [key: string]: string } {
    return {
      [PlatformLabels.OWNER]: this.team,
      [PlatformLabels.DATA_CLASSIFICATION]: this.dataClassification,
      [PlatformLabels.TENANT]: this.namespaceName,
    };
  }

  /**
   * Lets this tenant's pods open connections to `peer` on `ports`. For a tenant peer, the
   * matching ingress rule is written in the peer's namespace too.
   */
  public allowTo(peer: NetworkPeer, ports: NetworkPort[], options: AllowOptions = {}): void {
    this.allow(NetworkDirection.EGRESS, peer, ports, options);
  }

  /**
   * Lets `peer` open connections to this tenant's pods on `ports`. For a tenant peer, the
   * matching egress rule is written in the peer's namespace too.
   */
  public allowFrom(peer: NetworkPeer, ports: NetworkPort[], options: AllowOptions = {}): void {
    this.allow(NetworkDirection.INGRESS, peer, ports, options);
  }

  /**
   * Lets the tenant's pods reach each other on `ports` (default-deny blocks traffic inside the
   * namespace too).
   */
  public allowWithinTenant(ports: NetworkPort[]): void {
    this.validatePorts('allowWithinTenant.ports', ports);
    const self = NetworkPeer.podsInNamespace(this.namespaceName);
    this._addRule(NetworkDirection.INGRESS, self, ports);
    this._addRule(NetworkDirection.EGRESS, self, ports);
  }

  /**
   * Adds a workload: an application of the tenant run by a Deployment (and a Service for WEB),
   * under its own service account. With `image` the Deployment is written here; with `source`,
   * the platform's secure supply chain builds, scans, checks and deploys it (the tenant must
   * belong to a platform with builds). Every platform layer attaches to it as it is added.
   */
  public addWorkload(name: string, options: WorkloadOptions): Workload {
    if (this.workloadsByName.has(name)) {
      invalid(this, 'addWorkload.name', 'is already a workload of this tenant', name, 'give every workload of a tenant a distinct name');
    }
    const workload = new Workload(this, `Workload-${name}`, { ...options, name });
    this.workloadsByName.set(name, workload);
    return workload;
  }

  /** The tenant's workloads, in the order they were added. */
  public get workloads(): Workload[] {
    return [...this.workloadsByName.values()];
  }

  /**
   * Adds a workload service account. Its API token is not mounted into pods: a workload that
   * needs the Kubernetes API mounts a projected token explicitly. It carries every image pull
   * Secret of the tenant (`addImagePullSecret`), and is a cdk8s-plus `IServiceAccount`:
   * `new kplus.Deployment(tenant, 'web', { serviceAccount: tenant.addServiceAccount('web'), ... })`.
   */
  public addServiceAccount(name: string): TenantServiceAccount {
    requireDnsLabel(this, 'serviceAccount', name);
    if (this.serviceAccounts.has(name)) {
      invalid(this, 'serviceAccount', 'is already declared in this tenant', name, 'declare each service account once and reuse the returned object');
    }
    this.serviceAccounts.add(name);
    const account = new TenantServiceAccount(this, `ServiceAccount-${name}`, { name, namespace: this.namespaceName });
    account._pullSecretSource = () => this.pullSecrets;
    return account;
  }

  /**
   * Lets every service account of the tenant (`default` included, and those added later) pull
   * images with the `kubernetes.io/dockerconfigjson` Secret `secretName` of this namespace, such
   * as the one the registry layer renders for the tenant's pull-only robot.
   */
  public addImagePullSecret(secretName: string): void {
    if (typeof secretName !== 'string' || !isDnsSubdomain(secretName)) {
      invalid(this, 'imagePullSecret', 'must be a Secret name (DNS subdomain)', secretName, 'pass the name of a dockerconfigjson Secret in the tenant namespace, e.g. "harbor-pull"');
    }
    if (!this.pullSecrets.includes(secretName)) this.pullSecrets.push(secretName);
  }

  /** Names of the service accounts the tenant declares (`default` included), sorted. */
  public get serviceAccountNames(): string[] {
    return [...this.serviceAccounts].sort();
  }

  /** Names of the image pull Secrets every service account of the tenant carries. */
  public get imagePullSecrets(): string[] {
    return [...this.pullSecrets];
  }

  /**
   * @internal Namespaces named by `NetworkPeer.podsInNamespace` in this tenant's allow rules,
   * with the prop that named them (checked against the platform's tenants at synth).
   */
  public _podsPeerNamespaces(): Array<{ namespace: string; prop: string }> {
    return [...this.podsPeers];
  }

  /** @internal Records one rule on this tenant's side and creates its policy on first use. */
  public _addRule(direction: NetworkDirection, peer: NetworkPeer, ports: NetworkPort[], localPodLabels?: { [key: string]: string }): ApiObject {
    const local = localPodLabels && Object.keys(localPodLabels).length ? { ...localPodLabels } : undefined;
    const key = `${direction}|${peer._nameKey()}|${labelsKey(local)}`;
    let entry = this.policies.get(key);
    if (!entry) {
      const verb = direction === NetworkDirection.INGRESS ? 'ingress-from' : 'egress-to';
      const suffix = local ? `-${shortHash(labelsKey(local))}` : '';
      const name = `allow-${verb}-${peer._nameKey()}${suffix}`;
      const rules: Array<{ peer: NetworkPeer; ports: NetworkPort[] }> = [];
      const policy = new k8s.KubeNetworkPolicy(this, `Allow${direction}-${peer._nameKey()}${suffix}`, {
        metadata: { name, namespace: this.namespaceName, labels: managedLabels() },
        spec: Lazy.any({ produce: () => renderAllow(direction, { policy, localPodLabels: local, rules }) }) as k8s.NetworkPolicySpec,
      });
      entry = { policy, localPodLabels: local, rules };
      this.policies.set(key, entry);
    }
    entry.rules.push({ peer, ports });
    return entry.policy;
  }

  private allow(direction: NetworkDirection, peer: NetworkPeer, ports: NetworkPort[], options: AllowOptions): void {
    const prop = direction === NetworkDirection.EGRESS ? 'allowTo' : 'allowFrom';
    if (!(peer instanceof NetworkPeer)) {
      invalid(this, `${prop}.peer`, 'must be a NetworkPeer', peer, 'use NetworkPeer.tenant(t), NetworkPeer.podsInNamespace(ns, labels) or NetworkPeer.cidr(block)');
    }
    peer._validate(this, `${prop}.peer`);
    this.validatePorts(`${prop}.ports`, ports);
    const weak = networkWeakening(this, `${prop}.peer`, this.tier, direction === NetworkDirection.EGRESS, peer, this.egressLimits, options.weakening);
    if (peer.kind === NetworkPeerKind.TENANT) {
      const other = peer.peerTenant!;
      if (!Tenant.isTenant(other)) {
        invalid(this, `${prop}.peer`, 'is a tenant not created by this library', other.node.path, 'pass a Tenant (or one returned by DevSecOpsPlatform.addTenant)');
      }
      if (other === this || other.namespaceName === this.namespaceName) {
        invalid(this, `${prop}.peer`, 'is this tenant itself', this.namespaceName, 'use allowWithinTenant(ports) for traffic inside one tenant');
      }
      const opposite = direction === NetworkDirection.EGRESS ? NetworkDirection.INGRESS : NetworkDirection.EGRESS;
      this._addRule(direction, peer, ports, options.podLabels);
      (other as Tenant)._addRule(opposite, NetworkPeer.tenant(this, options.podLabels), ports, peer.podLabels);
      return;
    }
    if (peer.kind === NetworkPeerKind.PODS) {
      const ns = peer.namespace!;
      if (ns === this.namespaceName) {
        invalid(this, `${prop}.peer.namespace`, 'is this tenant\'s own namespace', ns, 'use allowWithinTenant(ports) for traffic inside one tenant');
      }
      // A sibling tenant known now is refused now; one added later is refused at synth.
      const sibling = this.node.scope?.node.children.find((c) => Tenant.isTenant(c) && c !== this && c.namespaceName === ns);
      if (sibling) throw new DevSecOpsValidationError(podsPeerIsTenantMessage(this, `${prop}.peer`, ns));
      this.podsPeers.push({ namespace: ns, prop: `${prop}.peer` });
    }
    const policy = this._addRule(direction, peer, ports, options.podLabels);
    if (weak) recordWeakening(policy, weak.kind, `${weak.detail} on ${ports.map(String).join(', ')}`, options.weakening!);
  }

  private validatePorts(prop: string, ports: NetworkPort[]): void {
    if (!Array.isArray(ports) || ports.length === 0) {
      invalid(this, prop, 'must list at least one port', ports, 'name the ports the rule admits, e.g. [NetworkPort.tcp(8443)]');
    }
    ports.forEach((p, i) => {
      if (!(p instanceof NetworkPort)) invalid(this, `${prop}[${i}]`, 'must be a NetworkPort', p, 'use NetworkPort.tcp(port), NetworkPort.udp(port) or NetworkPort.range(...)');
      p._validate(this, `${prop}[${i}]`);
    });
  }

  private addDefaultDeny(dns: ClusterDns): void {
    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', namespace: this.namespaceName, labels: managedLabels() },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    const dnsPorts = [NetworkPort.udp(53), NetworkPort.tcp(53)].map((p) => p._render());
    new k8s.KubeNetworkPolicy(this, 'AllowDns', {
      metadata: { name: 'allow-egress-to-cluster-dns', namespace: this.namespaceName, labels: managedLabels() },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: dns._peers(), ports: dnsPorts }] } as k8s.NetworkPolicySpec,
    });
  }

  private addQuota(q: Required<TenantQuota>): void {
    const quantities: Array<[keyof TenantQuota, string]> = [
      ['requestsCpu', 'requests.cpu'], ['limitsCpu', 'limits.cpu'], ['requestsMemory', 'requests.memory'],
      ['limitsMemory', 'limits.memory'], ['requestsStorage', 'requests.storage'],
    ];
    const counts: Array<[keyof TenantQuota, string]> = [
      ['pods', 'pods'], ['persistentVolumeClaims', 'persistentvolumeclaims'], ['services', 'services'],
      ['loadBalancers', 'services.loadbalancers'], ['nodePorts', 'services.nodeports'],
    ];
    const hard: { [key: string]: k8s.Quantity } = {};
    for (const [prop, key] of quantities) hard[key] = k8s.Quantity.fromString(requireQuantity(this, `quota.${prop}`, q[prop] as string));
    for (const [prop, key] of counts) {
      const n = q[prop] as number;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        invalid(this, `quota.${prop}`, 'must be a non-negative integer', n, 'give a count such as 10 (0 forbids the resource)');
      }
      hard[key] = k8s.Quantity.fromNumber(n);
    }
    this.requireNotAbove('quota.requestsCpu', q.requestsCpu, 'quota.limitsCpu', q.limitsCpu);
    this.requireNotAbove('quota.requestsMemory', q.requestsMemory, 'quota.limitsMemory', q.limitsMemory);
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'tenant-quota', namespace: this.namespaceName, labels: managedLabels() },
      spec: { hard },
    });
  }

  private addLimitRange(c: Required<ContainerResourceDefaults>): void {
    for (const [prop, value] of Object.entries(c)) requireQuantity(this, `containerDefaults.${prop}`, value);
    this.requireNotAbove('containerDefaults.defaultRequestCpu', c.defaultRequestCpu, 'containerDefaults.defaultLimitCpu', c.defaultLimitCpu);
    this.requireNotAbove('containerDefaults.defaultRequestMemory', c.defaultRequestMemory, 'containerDefaults.defaultLimitMemory', c.defaultLimitMemory);
    this.requireNotAbove('containerDefaults.defaultLimitCpu', c.defaultLimitCpu, 'containerDefaults.maxCpu', c.maxCpu);
    this.requireNotAbove('containerDefaults.defaultLimitMemory', c.defaultLimitMemory, 'containerDefaults.maxMemory', c.maxMemory);
    const q = k8s.Quantity.fromString;
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'container-defaults', namespace: this.namespaceName, labels: managedLabels() },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: q(c.defaultRequestCpu), memory: q(c.defaultRequestMemory) },
          default: { cpu: q(c.defaultLimitCpu), memory: q(c.defaultLimitMemory) },
          max: { cpu: q(c.maxCpu), memory: q(c.maxMemory) },
        }],
      },
    });
  }

  private requireNotAbove(lowProp: string, low: string, highProp: string, high: string): void {
    if (isQuantity(low) && isQuantity(high) && quantityValue(low) > quantityValue(high)) {
      invalid(this, lowProp, `is above '${highProp}' (${high})`, low, `lower '${lowProp}' or raise '${highProp}'`);
    }
  }

  private addTeamRbac(): void {
    new k8s.KubeRole(this, 'TeamRole', {
      metadata: { name: `team-${this.teamAccess}`, namespace: this.namespaceName, labels: managedLabels() },
      rules: teamAccessRules(this.teamAccess).map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    new k8s.KubeRoleBinding(this, 'TeamBinding', {
      metadata: { name: `team-${this.team}`, namespace: this.namespaceName, labels: managedLabels() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `team-${this.teamAccess}` },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: this.teamGroup }],
    });
  }
}

function renderAllow(direction: NetworkDirection, entry: PolicyRules): { [key: string]: unknown } {
  const field = direction === NetworkDirection.INGRESS ? 'ingress' : 'egress';
  const peerField = direction === NetworkDirection.INGRESS ? 'from' : 'to';
  return {
    podSelector: entry.localPodLabels ? { matchLabels: { ...entry.localPodLabels } } : {},
    policyTypes: [direction],
    [field]: entry.rules.map((r) => ({ [peerField]: [r.peer._render()], ports: r.ports.map((p) => p._render()) })),
  };
}

/** Labels of every object the tenant itself writes (never of the objects users add to it). */
function managedLabels(): { [key: string]: string } {
  return { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
}

function prefixLimit(scope: IConstruct, prop: string, value: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    invalid(scope, prop, `must be a prefix length from 0 to ${max}`, value, `use a whole number such as ${max === 32 ? 16 : 48}`);
  }
  return value;
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) (out as any)[k] = v;
  return out;
}

function labelsKey(labels?: { [key: string]: string }): string {
  return labels ? Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',') : '';
}
