import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { GatekeeperConstraintTemplate } from './constraint-template';
import { PolicyEnforcement } from './enforcement';
import { PolicyExemption, PolicyExemptionKind } from './exemption';
import { GatekeeperMatch, GatekeeperSelectorOperator } from './match';
import { PolicyGate } from './policy-gate';
import { invalid } from '../private/errors';
import { clearWeakenings, checkWeakening, recordWeakening } from '../tenancy/private/weakenings';
import { Weakening, WeakeningKind } from '../tenancy/weakening';
import { renderMatch } from './private/match-check';
import { checkParameters } from './private/parameters';

/** API group and version of every constraint kind. */
const CONSTRAINTS_API_VERSION = 'constraints.gatekeeper.sh/v1beta1';

/** Annotation listing a constraint's exemptions with their reasons. */
const EXEMPTIONS_ANNOTATION = 'devsecops.cdk8s.io/exemptions';

/** Options of a constraint (everything but its template). */
export interface GatekeeperConstraintOptions {
  /**
   * Name of the constraint object.
   * @default - a name derived from the construct path
   */
  readonly name?: string;
  /**
   * Which objects the constraint judges.
   * @default - every object
   */
  readonly match?: GatekeeperMatch;
  /**
   * What Gatekeeper does with a violation.
   * @default PolicyEnforcement.DENY
   */
  readonly enforcement?: PolicyEnforcement;
  /**
   * Parameters, checked against the template's parameters schema.
   * @default - no parameters
   */
  readonly parameters?: { [key: string]: any };
  /**
   * Exemptions, each with its reason (more with `addExemption()`).
   * @default []
   */
  readonly exemptions?: PolicyExemption[];
}

/** Props of a constraint. */
export interface GatekeeperConstraintProps extends GatekeeperConstraintOptions {
  /** The template whose kind this constraint instantiates. */
  readonly template: GatekeeperConstraintTemplate;
}

/**
 * A Gatekeeper constraint (`constraints.gatekeeper.sh/v1beta1`) of the kind its template
 * defines: parameters checked against the template's schema, a typed match block, an
 * enforcement action and explicit exemptions.
 */
export class GatekeeperConstraint extends Construct {
  /** The template this constraint instantiates. */
  public readonly template: GatekeeperConstraintTemplate;
  /** The L1 constraint object. */
  public readonly resource: ApiObject;

  private currentEnforcement: PolicyEnforcement;
  private currentParameters?: { [key: string]: any };
  private parameterProducer?: () => { [key: string]: any };
  private readonly match: GatekeeperMatch;
  private readonly exemptionList: PolicyExemption[] = [];
  private guardedScope?: string;

  constructor(scope: Construct, id: string, props: GatekeeperConstraintProps) {
    super(scope, id);
    this.template = props.template;
    this.currentEnforcement = PolicyEnforcement.DENY;
    this.overrideEnforcement(props.enforcement ?? PolicyEnforcement.DENY);
    this.match = props.match ?? {};
    renderMatch(this, this.match); // fail early on a bad match block
    if (props.parameters !== undefined) this.replaceParameters(props.parameters);

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: CONSTRAINTS_API_VERSION,
      kind: this.template.kind,
      metadata: props.name ? { name: props.name } : {},
      spec: {
        enforcementAction: Lazy.any({ produce: () => this.currentEnforcement }),
        match: Lazy.any({ produce: () => this.renderedMatch() }),
        parameters: Lazy.any({ produce: () => this.parameters }),
      },
    });
    for (const e of props.exemptions ?? []) this.addExemption(e);
    this.node.addDependency(this.template.resource);
    this.template._registerConstraint(this);
    PolicyGate.of(this);
  }

  /** Name of the constraint object. */
  public get name(): string {
    return this.resource.name;
  }

  /** The constraint's enforcement action. */
  public get enforcement(): PolicyEnforcement {
    return this.currentEnforcement;
  }

  /** A copy of the constraint's parameters, or undefined when it has none. */
  public get parameters(): { [key: string]: any } | undefined {
    if (this.parameterProducer) return this.parameterProducer();
    return this.currentParameters === undefined ? undefined : JSON.parse(JSON.stringify(this.currentParameters));
  }

  /**
   * Takes the parameters from `producer` at synth (for values that grow with every tenant,
   * without rewriting them on each addition). The producer must return fresh objects that
   * follow the template's schema. `replaceParameters()` ends it.
   * @internal
   */
  public _lazyParameters(producer: () => { [key: string]: any }): void {
    this.parameterProducer = producer;
  }

  /**
   * Replaces the constraint's parameters, checked against the template's parameters schema.
   * Lets a value that grows while the program runs (such as the repositories of the registry
   * projects declared so far) reach the constraint at synth.
   */
  public replaceParameters(parameters: { [key: string]: any }): void {
    const problems = checkParameters(this.template.parametersSchema, parameters, 'parameters');
    if (problems.length > 0) {
      invalid(this, problems[0].path, problems[0].problem, problems[0].value,
        `pass parameters that follow the schema of template "${this.template.templateName}"`);
    }
    this.currentParameters = JSON.parse(JSON.stringify(parameters));
    this.parameterProducer = undefined;
  }

  /**
   * Changes the enforcement action. On a constraint that guards a tier whose default is deny
   * (the catalog's SENSITIVE constraints), lowering it to warn or dryrun needs an acknowledged
   * `weakening`, recorded on the constraint and in the policy report.
   */
  public overrideEnforcement(enforcement: PolicyEnforcement, weakening?: Weakening): void {
    if (!Object.values(PolicyEnforcement).includes(enforcement)) {
      invalid(this, 'enforcement', 'must be deny, warn or dryrun', enforcement, 'use PolicyEnforcement.DENY, WARN or DRYRUN');
    }
    checkWeakening(this, 'weakening', weakening);
    if (this.guardedScope && enforcement !== PolicyEnforcement.DENY) {
      if (!weakening) {
        invalid(this, 'enforcement', `lowers a policy of ${this.guardedScope} from deny, so violations would be admitted`, enforcement,
          'keep PolicyEnforcement.DENY, or acknowledge the weakening: overrideEnforcement(policy, tier, enforcement, Weakening.acknowledge("<ticket and reason>")) '
          + '(or `weakening` in policy.enforcementOverrides)');
      }
      clearWeakenings(this.resource, WeakeningKind.ENFORCEMENT_BELOW_DENY);
      recordWeakening(this.resource, WeakeningKind.ENFORCEMENT_BELOW_DENY, `${this.template.kind} "${this.name}" enforcement ${enforcement} in ${this.guardedScope}`, weakening);
    } else if (this.guardedScope) {
      clearWeakenings(this.resource, WeakeningKind.ENFORCEMENT_BELOW_DENY);
    }
    this.currentEnforcement = enforcement;
  }

  /**
   * Marks the constraint as guarding `scope` (e.g. "the SENSITIVE tier"): from now on, lowering
   * its enforcement below deny needs an acknowledged Weakening.
   * @internal
   */
  public _guardDeny(scope: string): void {
    this.guardedScope = scope;
  }

  /** Adds an exemption, applied through this constraint's match exclusions. */
  public addExemption(exemption: PolicyExemption): void {
    exemption._check(this);
    exemption._record(this.resource, `${this.template.kind}/${this.name}`);
    this.exemptionList.push(exemption);
    this.resource.metadata.addAnnotation(EXEMPTIONS_ANNOTATION, JSON.stringify(this.exemptionList.map((e) => e.toJson())));
  }

  /** The exemptions of this constraint. */
  public get exemptions(): PolicyExemption[] {
    return [...this.exemptionList];
  }

  private renderedMatch(): any {
    const excluded = [...(this.match.excludedNamespaces ?? [])];
    const expressions = [...(this.match.labelSelector?.matchExpressions ?? [])];
    for (const e of this.exemptionList) {
      if (e.kind === PolicyExemptionKind.NAMESPACES) {
        for (const ns of e.exemptNamespaces) if (!excluded.includes(ns)) excluded.push(ns);
      } else {
        expressions.push({ key: e.labelKey!, operator: GatekeeperSelectorOperator.NOT_IN, values: [e.labelValue!] });
      }
    }
    const match: GatekeeperMatch = {
      ...this.match,
      excludedNamespaces: excluded.length > 0 ? excluded : undefined,
      labelSelector: this.match.labelSelector || expressions.length > 0
        ? { matchLabels: this.match.labelSelector?.matchLabels, matchExpressions: expressions }
        : undefined,
    };
    return renderMatch(this, match);
  }
}
