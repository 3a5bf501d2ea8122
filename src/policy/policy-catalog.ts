import { Construct } from 'constructs';
import { BuiltInPolicy } from './built-in-policy';
import { invalid } from '../private/errors';
import { isRegistryHost, isRepositoryPath } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';
import { Tier } from '../tenancy/tier';
import { CatalogContext, PolicyDefinition } from './catalog/definition';
import { IMAGE_POLICIES } from './catalog/image-policies';
import { OBJECT_POLICIES } from './catalog/object-policies';
import { POD_POLICIES } from './catalog/pod-policies';
import { GatekeeperConstraint } from './constraint';
import { GatekeeperConstraintTemplate } from './constraint-template';
import { PolicyEnforcement } from './enforcement';
import { PolicyExemption, PolicyExemptionKind } from './exemption';
import { GatekeeperSystemConfig } from './gatekeeper-system-config';
import { PolicyGate } from './policy-gate';
import { GatekeeperWorkloadExpansion } from './workload-expansion';

const DEFINITIONS: PolicyDefinition[] = [...POD_POLICIES, ...IMAGE_POLICIES, ...OBJECT_POLICIES];

/** An enforcement that differs from the tier's default. */
export interface PolicyEnforcementOverride {
  /** The policy. */
  readonly policy: BuiltInPolicy;
  /** The tier whose constraint changes. */
  readonly tier: Tier;
  /** The enforcement to use. */
  readonly enforcement: PolicyEnforcement;
}

/** Props of the built-in policy catalog. */
export interface PolicyCatalogProps {
  /**
   * Registries or repositories images may come from (`harbor.bank.example/payments`); matched at
   * path boundaries.
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
  private readonly templates = new Map<BuiltInPolicy, GatekeeperConstraintTemplate>();
  private readonly constraints = new Map<string, GatekeeperConstraint>();

  constructor(scope: Construct, id: string, props: PolicyCatalogProps) {
    super(scope, id);
    const repos = props.allowedRepositories;
    if (!Array.isArray(repos) || repos.length === 0) {
      invalid(this, 'allowedRepositories', 'must list at least one registry or repository', repos,
        'pass the registry of the platform, for example ["harbor.bank.example/payments"]');
    }
    repos.forEach((r, i) => this.requireRepository(`allowedRepositories[${i}]`, r));
    const tiers = props.tiers ?? [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV];
    this.repositories = new Set(repos);
    const ctx: CatalogContext = {
      allowedRepositories: this.allowedRepositories,
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
    for (const o of props.enforcementOverrides ?? []) this.overrideEnforcement(o.policy, o.tier, o.enforcement);
    if (props.evaluateOnSynth !== false) PolicyGate.of(this);
  }

  /** The registries and repositories images may come from, sorted. */
  public get allowedRepositories(): string[] {
    return [...this.repositories].sort();
  }

  /**
   * Security (widening): admits images from one more registry or repository in every tier's
   * allowed-repositories constraint. The platform calls it for each registry project it declares.
   */
  public addAllowedRepository(repository: string): void {
    this.requireRepository('addAllowedRepository', repository);
    this.repositories.add(repository);
    for (const tier of Object.values(Tier)) {
      this.tryConstraint(BuiltInPolicy.ALLOWED_REPOSITORIES, tier)?.replaceParameters({ repositories: this.allowedRepositories });
    }
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

  /** Security (when weakening): changes the enforcement of a policy in a tier. */
  public overrideEnforcement(policy: BuiltInPolicy, tier: Tier, enforcement: PolicyEnforcement): void {
    this.constraint(policy, tier).overrideEnforcement(enforcement);
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
