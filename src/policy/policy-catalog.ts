import { Construct } from 'constructs';
import { BuiltInPolicy } from './built-in-policy';
import { PlatformLabels } from '../tenancy/labels';
import { ITenant } from '../tenancy/tenant-props';
import { Tier } from '../tenancy/tier';
import { Weakening } from '../tenancy/weakening';
import { CatalogContext, PolicyDefinition } from './catalog/definition';
import { IMAGE_POLICIES } from './catalog/image-policies';
import { OBJECT_POLICIES } from './catalog/object-policies';
import { PLACEMENT_POLICIES } from './catalog/placement-policies';
import { POD_POLICIES } from './catalog/pod-policies';
import { GatekeeperConstraint } from './constraint';
import { GatekeeperConstraintTemplate } from './constraint-template';
import { PolicyEnforcement } from './enforcement';
import { PolicyExemption, PolicyExemptionKind } from './exemption';
import { GatekeeperSystemConfig } from './gatekeeper-system-config';
import { PolicyGate } from './policy-gate';
import { IMAGE_PULL_GRANTS_ANNOTATION } from './private/annotations';
import { GatekeeperWorkloadExpansion } from './workload-expansion';
import { invalid } from '../private/errors';
import { isRegistryHost, isRepositoryPath } from '../private/validate';

const DEFINITIONS: PolicyDefinition[] = [...POD_POLICIES, ...IMAGE_POLICIES, ...OBJECT_POLICIES, ...PLACEMENT_POLICIES];

/** An enforcement that differs from the tier's default. */
export interface PolicyEnforcementOverride {
  /** The policy. */
  readonly policy: BuiltInPolicy;
  /** The tier whose constraint changes. */
  readonly tier: Tier;
  /** The enforcement to use. */
  readonly enforcement: PolicyEnforcement;
  /**
   * The acknowledgement required to lower a SENSITIVE-tier policy from deny to warn or dryrun.
   * @default - none: such an override is refused
   */
  readonly weakening?: Weakening;
}

/** A taint pods of a tier must tolerate. */
export interface PolicyTaintToleration {
  /** Taint key. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** Taint effect (`NoSchedule`, `NoExecute`, `PreferNoSchedule`). */
  readonly effect: string;
}

/** Props of the built-in policy catalog. */
export interface PolicyCatalogProps {
  /**
   * Registries or repositories images may come from in every namespace
   * (`harbor.bank.example/payments`); matched at path boundaries. May be empty when every
   * repository is admitted per tenant (`allowTenantRepositories`), as `DevSecOpsPlatform` does
   * with a managed registry.
   */
  readonly allowedRepositories: string[];
  /**
   * Tiers that get default constraints.
   * @default - SENSITIVE, STANDARD and DEV
   */
  readonly tiers?: Tier[];
  /**
   * Security: capabilities containers may add back after dropping ALL.
   * @default []
   */
  readonly allowedCapabilities?: string[];
  /**
   * Labels every workload and tier Namespace must carry.
   * @default [PlatformLabels.OWNER, PlatformLabels.DATA_CLASSIFICATION]
   */
  readonly requiredLabels?: string[];
  /**
   * Security (when weakening): enforcements that differ from the tier default (SENSITIVE and
   * STANDARD deny, DEV warns).
   * @default []
   */
  readonly enforcementOverrides?: PolicyEnforcementOverride[];
  /**
   * Namespaces exempt from every policy through the Gatekeeper Config, with their reason.
   * @default - kube-system, kube-public, kube-node-lease and gatekeeper-system
   */
  readonly systemExemptions?: PolicyExemption[];
  /**
   * Emit the ExpansionTemplates that make Gatekeeper judge workloads' pod templates at admission.
   * @default true
   */
  readonly workloadExpansion?: boolean;
  /**
   * Evaluate every constraint of the App at synth (see PolicyGate).
   * @default true
   */
  readonly evaluateOnSynth?: boolean;
}

/**
 * The built-in policy catalog: one CEL ConstraintTemplate per policy, a default constraint per
 * policy and tier (selected by the `PlatformLabels.TIER` label of the Namespace, named
 * `<policy>-<tier>`), a cluster-wide constraint that every Namespace declares its tier, and the
 * Gatekeeper Config with the system-namespace exemptions. SENSITIVE and STANDARD deny, DEV
 * warns; change that per policy and tier with `overrideEnforcement()`.
 */
export class PolicyCatalog extends Construct {
  /** Every built-in policy. */
  public static readonly POLICIES: BuiltInPolicy[] = DEFINITIONS.map((d) => d.policy);

  /** Name of the constraint requiring a tier label on every Namespace. */
  public static readonly NAMESPACE_TIER_CONSTRAINT = 'namespace-tier-label';

  /** Default enforcement of a tier. */
  public static defaultEnforcement(tier: Tier): PolicyEnforcement {
    return tier === Tier.DEV ? PolicyEnforcement.WARN : PolicyEnforcement.DENY;
  }

  /** The Gatekeeper Config (exemptions from every policy). */
  public readonly config: GatekeeperSystemConfig;

  private readonly repositories: Set<string>;
  /** tier -> namespace -> repositories admitted in that namespace only. */
  private readonly tenantRepos = new Map<Tier, Map<string, Set<string>>>();
  /** tier -> namespace -> build service account and repositories of its build pods. */
  private readonly buildRepos = new Map<Tier, Map<string, { serviceAccountName: string; repositories: Set<string> }>>();
  private readonly toolRepos = new Map<Tier, Map<string, { serviceAccountNames: Set<string>; repositories: Set<string> }>>();
  /** tier -> grants recorded on that tier's constraint. */
  private readonly grants = new Map<Tier, Array<{ namespace: string; repository: string; reason: string }>>();
  /** tier -> the node pool placement its pods must have. */
  private readonly placements = new Map<Tier, { nodeSelector: { [key: string]: string }; tolerations: PolicyTaintToleration[] }>();
  private readonly templates = new Map<BuiltInPolicy, GatekeeperConstraintTemplate>();
  private readonly constraints = new Map<string, GatekeeperConstraint>();

  constructor(scope: Construct, id: string, props: PolicyCatalogProps) {
    super(scope, id);
    const repos = props.allowedRepositories;
    if (!Array.isArray(repos)) {
      invalid(this, 'allowedRepositories', 'must be a list of registries or repositories', repos,
        'pass the registry of the platform, for example ["harbor.bank.example/payments"], or [] to admit repositories per tenant only');
    }
    repos.forEach((r, i) => this.requireRepository(`allowedRepositories[${i}]`, r));
    const tiers = props.tiers ?? [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV];
    this.repositories = new Set(repos);
    const self = this;
    const ctx: CatalogContext = {
      get allowedRepositories() { return self.allowedRepositories; },
      tenantRepositories: (tier) => this.renderTenantRepositories(tier),
      buildRepositories: (tier) => this.renderBuildRepositories(tier),
      toolRepositories: (tier) => this.renderToolRepositories(tier),
      nodePlacement: (tier) => {
        const p = this.placements.get(tier);
        return p ? { nodeSelector: { ...p.nodeSelector }, tolerations: p.tolerations.map((t) => ({ ...t })) } : {};
      },
      allowedCapabilities: [...(props.allowedCapabilities ?? [])],
      requiredLabels: [...(props.requiredLabels ?? [PlatformLabels.OWNER, PlatformLabels.DATA_CLASSIFICATION])],
    };
    ctx.allowedCapabilities.forEach((c, i) => {
      if (!/^[A-Z_]+$/.test(c) || c === 'ALL' || c.startsWith('CAP_')) {
        invalid(this, `allowedCapabilities[${i}]`, 'must be a capability name without the CAP_ prefix', c, 'use a name such as "NET_BIND_SERVICE"');
      }
    });

    const systemExemptions = props.systemExemptions ?? [
      PolicyExemption.namespaces(['kube-system', 'kube-public', 'kube-node-lease'], 'Kubernetes system namespaces run control-plane add-ons outside tenant policy'),
      PolicyExemption.namespaces([GatekeeperSystemConfig.DEFAULT_NAMESPACE], 'Gatekeeper must not judge its own pods, or a broken webhook could never be repaired'),
    ];
    this.config = new GatekeeperSystemConfig(this, 'Config', { exemptions: systemExemptions });

    if (props.workloadExpansion !== false) new GatekeeperWorkloadExpansion(this, 'Expansion');

    for (const def of DEFINITIONS) {
      const template = new GatekeeperConstraintTemplate(this, def.policy, {
        kind: def.kind,
        description: def.description,
        parameters: def.parameters,
        variables: def.variables,
        validations: def.validations,
      });
      this.templates.set(def.policy, template);
      for (const tier of tiers.filter((t) => def.tiers.includes(t))) {
        const c = template.addConstraint(tier, {
          name: `${def.policy}-${tier}`,
          enforcement: PolicyCatalog.defaultEnforcement(tier),
          match: {
            kinds: def.kinds,
            namespaceSelector: { matchLabels: { [PlatformLabels.TIER]: tier } },
          },
          parameters: def.parametersFor?.(tier, ctx),
        });
        if (tier === Tier.SENSITIVE) c._guardDeny('the SENSITIVE tier');
        // Repositories grow with every tenant: render them at synth, not on each addition.
        const lazy = def.policy === BuiltInPolicy.ALLOWED_REPOSITORIES || def.policy === BuiltInPolicy.NODE_PLACEMENT;
        if (lazy) c._lazyParameters(() => def.parametersFor!(tier, ctx));
        this.constraints.set(`${def.policy}/${tier}`, c);
      }
    }
    // A Namespace without a tier label would escape every tier constraint: require it.
    this.templates.get(BuiltInPolicy.REQUIRED_LABELS)!.addConstraint('NamespaceTier', {
      name: PolicyCatalog.NAMESPACE_TIER_CONSTRAINT,
      match: { kinds: [{ apiGroups: [''], kinds: ['Namespace'] }] },
      parameters: { labels: [{ key: PlatformLabels.TIER, allowedRegex: `^(${Object.values(Tier).join('|')})$` }] },
      // The only constraint that judges the system and component Namespace objects themselves.
      // gator does not read the Gatekeeper Config, so its namespace exemptions are repeated here:
      // gator on the manifests alone then judges as the cluster does.
      exemptions: systemExemptions.filter((e) => e.kind === PolicyExemptionKind.NAMESPACES),
    });
    for (const o of props.enforcementOverrides ?? []) this.overrideEnforcement(o.policy, o.tier, o.enforcement, o.weakening);
    if (props.evaluateOnSynth !== false) PolicyGate.of(this);
  }

  /** The registries and repositories images may come from, sorted. */
  public get allowedRepositories(): string[] {
    return [...this.repositories].sort();
  }

  /**
   * Security (widening): admits images from one more registry or repository in every namespace,
   * in every tier's allowed-repositories constraint. With per-tenant projects, prefer
   * `allowTenantRepositories`.
   */
  public addAllowedRepository(repository: string): void {
    this.requireRepository('addAllowedRepository', repository);
    this.repositories.add(repository);
  }

  /**
   * Security (widening): admits images from `repositories` to the pods of `tenant`'s namespace
   * only (in the allowed-repositories constraint of the tenant's tier). The platform calls it
   * with the tenant's own Harbor project.
   */
  public allowTenantRepositories(tenant: ITenant, repositories: string[]): void {
    const entry = this.tenantEntry(tenant, 'allowTenantRepositories.tenant');
    if (!Array.isArray(repositories)) {
      invalid(this, 'allowTenantRepositories.repositories', 'must be a list of repositories', repositories, 'pass e.g. ["harbor.bank.example/payments"]');
    }
    repositories.forEach((r, i) => this.requireRepository(`allowTenantRepositories.repositories[${i}]`, r));
    repositories.forEach((r) => entry.add(r));
  }

  /**
   * Security (widening): lets the pods of `tenant` pull images of `repository` (another
   * project), recorded with its reason on the constraint and in the policy report. Whether the
   * grant is acceptable (tiers, signature policies) is the registry owner's check:
   * `DevSecOpsPlatform.grantImagePull` makes it.
   */
  public grantTenantRepository(tenant: ITenant, repository: string, reason: string): void {
    const entry = this.tenantEntry(tenant, 'grantTenantRepository.tenant');
    this.requireRepository('grantTenantRepository.repository', repository);
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      invalid(this, 'grantTenantRepository.reason', 'must say why the tenant needs these images (at least 10 characters)', reason,
        'state the reason an auditor will read, e.g. "shared fraud model maintained by the risk team (RISK-88)"');
    }
    entry.add(repository);
    const list = this.grants.get(tenant.tier) ?? [];
    if (!list.some((g) => g.namespace === tenant.namespaceName && g.repository === repository)) {
      list.push({ namespace: tenant.namespaceName, repository, reason: reason.trim() });
      list.sort((a, b) => `${a.namespace}\0${a.repository}`.localeCompare(`${b.namespace}\0${b.repository}`));
    }
    this.grants.set(tenant.tier, list);
    const constraint = this.constraint(BuiltInPolicy.ALLOWED_REPOSITORIES, tenant.tier);
    constraint.resource.metadata.addAnnotation(IMAGE_PULL_GRANTS_ANNOTATION, JSON.stringify(list));
  }

  /**
   * Security (widening): admits images from `repositories` to kpack build pods in `tenant`'s
   * namespace that run as `serviceAccountName` (kpack's `kpack.io/build` label and a controller
   * reference to a kpack Build are required too), and to no other pod. For builder, lifecycle
   * and kpack images that live in the platform's own project.
   */
  public allowBuildRepositories(tenant: ITenant, serviceAccountName: string, repositories: string[]): void {
    this.requireAccountEntry('allowBuildRepositories', tenant, serviceAccountName, repositories, 'kpack-build');
    const byNs = this.buildRepos.get(tenant.tier) ?? new Map();
    this.buildRepos.set(tenant.tier, byNs);
    const existing = byNs.get(tenant.namespaceName);
    if (existing && existing.serviceAccountName !== serviceAccountName) {
      invalid(this, 'allowBuildRepositories.serviceAccountName', `differs from the build service account already set for ${tenant.namespaceName} ("${existing.serviceAccountName}")`,
        serviceAccountName, 'build every image of a tenant under one service account');
    }
    const entry = existing ?? { serviceAccountName, repositories: new Set<string>() };
    repositories.forEach((r) => entry.repositories.add(r));
    byNs.set(tenant.namespaceName, entry);
  }

  /**
   * Security (widening): admits images from `repositories` to the supply chain's Tekton tool pods
   * in `tenant`'s namespace that run as `serviceAccountName` (Tekton's `tekton.dev/taskRun` label
   * and a controller reference to a TaskRun are required too), and to no other pod. For the
   * chain's scanner, policy checker and git writer images.
   */
  public allowToolRepositories(tenant: ITenant, serviceAccountName: string, repositories: string[]): void {
    this.requireAccountEntry('allowToolRepositories', tenant, serviceAccountName, repositories, 'secure-web-tools');
    const byNs = this.toolRepos.get(tenant.tier) ?? new Map();
    this.toolRepos.set(tenant.tier, byNs);
    const entry = byNs.get(tenant.namespaceName) ?? { serviceAccountNames: new Set<string>(), repositories: new Set<string>() };
    entry.serviceAccountNames.add(serviceAccountName);
    repositories.forEach((r) => entry.repositories.add(r));
    byNs.set(tenant.namespaceName, entry);
  }

  /** The repositories admitted to the pods of `tenant`'s namespace only (own and granted), sorted. */
  public tenantRepositories(tenant: ITenant): string[] {
    return [...(this.tenantRepos.get(tenant.tier)?.get(tenant.namespaceName) ?? [])].sort();
  }

  /** Validates the arguments of an entry admitting repositories to one service account's pods of a tenant. */
  private requireAccountEntry(method: string, tenant: ITenant, serviceAccountName: string, repositories: string[], example: string): void {
    this.tenantEntry(tenant, `${method}.tenant`);
    if (typeof serviceAccountName !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(serviceAccountName)) {
      invalid(this, `${method}.serviceAccountName`, 'must be a ServiceAccount name', serviceAccountName, `pass the pods' service account name, e.g. "${example}"`);
    }
    if (!Array.isArray(repositories)) {
      invalid(this, `${method}.repositories`, 'must be a list of repositories', repositories, 'pass e.g. ["harbor.bank.example/platform"]');
    }
    repositories.forEach((r, i) => this.requireRepository(`${method}.repositories[${i}]`, r));
  }

  private tenantEntry(tenant: ITenant, prop: string): Set<string> {
    if (!tenant || typeof tenant.namespaceName !== 'string' || !Object.values(Tier).includes(tenant.tier)) {
      invalid(this, prop, 'must be a tenant', tenant?.node?.path ?? tenant, 'pass the Tenant object');
    }
    this.constraint(BuiltInPolicy.ALLOWED_REPOSITORIES, tenant.tier);
    const byNs = this.tenantRepos.get(tenant.tier) ?? new Map<string, Set<string>>();
    this.tenantRepos.set(tenant.tier, byNs);
    const entry = byNs.get(tenant.namespaceName) ?? new Set<string>();
    byNs.set(tenant.namespaceName, entry);
    return entry;
  }

  private renderTenantRepositories(tier: Tier): { [namespace: string]: string[] } {
    const out: { [namespace: string]: string[] } = {};
    const byNs = this.tenantRepos.get(tier);
    for (const ns of [...(byNs?.keys() ?? [])].sort()) out[ns] = [...byNs!.get(ns)!].sort();
    return out;
  }

  private renderBuildRepositories(tier: Tier): { [namespace: string]: { serviceAccountName: string; repositories: string[] } } {
    const out: { [namespace: string]: { serviceAccountName: string; repositories: string[] } } = {};
    const byNs = this.buildRepos.get(tier);
    for (const ns of [...(byNs?.keys() ?? [])].sort()) {
      const e = byNs!.get(ns)!;
      out[ns] = { serviceAccountName: e.serviceAccountName, repositories: [...e.repositories].sort() };
    }
    return out;
  }

  private renderToolRepositories(tier: Tier): { [namespace: string]: { serviceAccountNames: string[]; repositories: string[] } } {
    const out: { [namespace: string]: { serviceAccountNames: string[]; repositories: string[] } } = {};
    const byNs = this.toolRepos.get(tier);
    for (const ns of [...(byNs?.keys() ?? [])].sort()) {
      const e = byNs!.get(ns)!;
      out[ns] = { serviceAccountNames: [...e.serviceAccountNames].sort(), repositories: [...e.repositories].sort() };
    }
    return out;
  }


  /** The template of a policy. */
  public template(policy: BuiltInPolicy): GatekeeperConstraintTemplate {
    const t = this.templates.get(policy);
    if (!t) invalid(this, 'policy', 'is not a built-in policy', policy, `use one of ${PolicyCatalog.POLICIES.join(', ')}`);
    return t!;
  }

  /** The default constraint of a policy for a tier, if the catalog made one. */
  public tryConstraint(policy: BuiltInPolicy, tier: Tier): GatekeeperConstraint | undefined {
    return this.constraints.get(`${policy}/${tier}`);
  }

  /** The default constraint of a policy for a tier. */
  public constraint(policy: BuiltInPolicy, tier: Tier): GatekeeperConstraint {
    const c = this.tryConstraint(policy, tier);
    if (!c) {
      invalid(this, 'policy', `has no default constraint for tier ${tier}`, policy,
        'check PolicyCatalog.POLICIES and the tiers the policy applies to (some are SENSITIVE-only)');
    }
    return c!;
  }

  /**
   * Security (when weakening): changes the enforcement of a policy in a tier. Lowering a
   * SENSITIVE policy from deny needs an acknowledged `weakening`, recorded in the report.
   */
  public overrideEnforcement(policy: BuiltInPolicy, tier: Tier, enforcement: PolicyEnforcement, weakening?: Weakening): void {
    this.constraint(policy, tier).overrideEnforcement(enforcement, weakening);
  }

  /**
   * Exempts objects from a policy, in one tier or (tier omitted) in every tier, through the
   * constraints' match exclusions. For exemptions from every policy use `config.addExemption()`.
   */
  public addExemption(policy: BuiltInPolicy, exemption: PolicyExemption, tier?: Tier): void {
    const targets = [...this.constraints.entries()]
      .filter(([key]) => key.startsWith(`${policy}/`) && (tier === undefined || key === `${policy}/${tier}`))
      .map(([, c]) => c);
    if (targets.length === 0) {
      invalid(this, 'policy', `has no default constraint${tier ? ` for tier ${tier}` : ''}`, policy, 'exempt from a policy the catalog enforces');
    }
    targets.forEach((c) => c.addExemption(exemption));
  }

  /**
   * Requires every pod of `tier` to run on the tier's node pool: each of `nodeSelector` in the
   * pod's nodeSelector, and a toleration of each taint (`BuiltInPolicy.NODE_PLACEMENT`, a
   * constraint of the SENSITIVE tier). Set by the runtime layer from its node pools.
   */
  public requireNodePlacement(tier: Tier, nodeSelector: { [key: string]: string }, tolerations: PolicyTaintToleration[] = []): void {
    if (!this.tryConstraint(BuiltInPolicy.NODE_PLACEMENT, tier)) {
      invalid(this, 'requireNodePlacement.tier', 'has no node-placement constraint (only SENSITIVE has one)', tier, 'require placement for Tier.SENSITIVE');
    }
    if (!nodeSelector || typeof nodeSelector !== 'object' || Object.keys(nodeSelector).length === 0) {
      invalid(this, 'requireNodePlacement.nodeSelector', 'must name at least one node label', nodeSelector, 'pass the node pool\'s labels, e.g. { "devsecops.cdk8s.io/pool": "sensitive" }');
    }
    this.placements.set(tier, {
      nodeSelector: { ...nodeSelector },
      tolerations: tolerations.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    });
  }

  /** A registry host, or host + repository path; a trailing `/` admits everything below it. */
  private requireRepository(prop: string, r: string): void {
    const slash = typeof r === 'string' ? r.indexOf('/') : -1;
    const host = slash < 0 ? r : r.slice(0, slash);
    const path = slash < 0 ? '' : r.slice(slash + 1).replace(/\/$/, '');
    if (!isRegistryHost(host) || (path !== '' && !isRepositoryPath(path))) {
      invalid(this, prop, 'must be a registry host or repository path without wildcards', r,
        'use "harbor.bank.example" or "harbor.bank.example/payments"');
    }
  }
}
