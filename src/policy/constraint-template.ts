import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GatekeeperConstraint, GatekeeperConstraintOptions } from './constraint';
import { GatekeeperParameterSchema } from './parameter-schema';
import { ConstraintTemplate } from '../imports/gatekeeper-templates.gatekeeper.sh';
import { invalid } from '../private/errors';
import { celSyntaxError } from './private/cel';

/** A named CEL expression evaluated before the validations (`variables.<name>`). */
export interface GatekeeperCelVariable {
  /** Name, used as `variables.<name>`. */
  readonly name: string;
  /** CEL expression. */
  readonly expression: string;
}

/** A CEL validation: the object passes when `expression` is true. */
export interface GatekeeperCelValidation {
  /** CEL expression that must evaluate to true for the object to pass. */
  readonly expression: string;
  /**
   * Fixed message reported on failure.
   * @default - `failed expression: <expression>`
   */
  readonly message?: string;
  /**
   * CEL expression evaluating to the message reported on failure (wins over `message`).
   * @default - `message`
   */
  readonly messageExpression?: string;
}

/** A CEL condition that must be true for the template to judge the object at all. */
export interface GatekeeperCelMatchCondition {
  /** Name of the condition. */
  readonly name: string;
  /** CEL expression; the object is skipped when it is false. */
  readonly expression: string;
}

/**
 * Props of a ConstraintTemplate. Templates are CEL-first (`K8sNativeValidation`); Rego is an
 * optional second engine for teams that bring their own.
 */
export interface GatekeeperConstraintTemplateProps {
  /**
   * Kind of the constraints this template defines (CamelCase, for example `K8sNoPrivileged`).
   * The template's name is its lowercase form, as Gatekeeper requires.
   */
  readonly kind: string;
  /**
   * Human description, written to the `description` annotation.
   * @default - none
   */
  readonly description?: string;
  /**
   * Schema of the constraints' `spec.parameters`, property by property.
   * @default - no parameters
   */
  readonly parameters?: { [name: string]: GatekeeperParameterSchema };
  /**
   * CEL variables, in evaluation order.
   * @default []
   */
  readonly variables?: GatekeeperCelVariable[];
  /**
   * CEL validations. At least one of `validations` and `rego` is required.
   * @default []
   */
  readonly validations?: GatekeeperCelValidation[];
  /**
   * CEL match conditions.
   * @default []
   */
  readonly matchConditions?: GatekeeperCelMatchCondition[];
  /**
   * Rego source, emitted as a second engine. The synth-time evaluator does not run Rego: a
   * template with only Rego is reported as not evaluated.
   * @default - no Rego
   */
  readonly rego?: string;
  /**
   * Rego libraries for `rego`.
   * @default []
   */
  readonly regoLibs?: string[];
}

/** The Gatekeeper admission target every template addresses. */
const ADMISSION_TARGET = 'admission.k8s.gatekeeper.sh';

/**
 * A Gatekeeper ConstraintTemplate (`templates.gatekeeper.sh/v1`). Create its constraints with
 * `addConstraint()`, which takes the kind from the template.
 */
export class GatekeeperConstraintTemplate extends Construct {
  /** Engine name of Gatekeeper's CEL engine. */
  public static readonly CEL_ENGINE = 'K8sNativeValidation';
  /** Engine name of Gatekeeper's Rego engine. */
  public static readonly REGO_ENGINE = 'Rego';

  /** Kind of the constraints this template defines. */
  public readonly kind: string;
  /** Name of the template (lowercase kind). */
  public readonly templateName: string;
  /** The parameters schema (`openAPIV3Schema`) as JSON. */
  public readonly parametersSchema: any;
  /** The L1 ConstraintTemplate object. */
  public readonly resource: ApiObject;

  private readonly constraints: GatekeeperConstraint[] = [];

  constructor(scope: Construct, id: string, props: GatekeeperConstraintTemplateProps) {
    super(scope, id);
    if (typeof props.kind !== 'string' || !/^[A-Z][A-Za-z0-9]{0,62}$/.test(props.kind)) {
      invalid(this, 'kind', 'must be a CamelCase kind of letters and digits, at most 63 characters', props.kind,
        'use a kind such as "K8sNoPrivilegedContainers"');
    }
    const validations = props.validations ?? [];
    const variables = props.variables ?? [];
    const matchConditions = props.matchConditions ?? [];
    if (validations.length === 0 && !props.rego) {
      invalid(this, 'validations', 'must not be empty when no Rego is given', validations,
        'add at least one CEL validation (preferred) or bring Rego in `rego`');
    }
    const seen = new Set<string>();
    variables.forEach((v, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name) || seen.has(v.name) || v.name === 'params' || v.name === 'anyObject') {
        invalid(this, `variables[${i}].name`, 'must be a unique CEL identifier other than the reserved "params" and "anyObject"', v.name,
          'rename the variable, for example "containers"');
      }
      seen.add(v.name);
      this.checkCel(`variables[${i}].expression`, v.expression);
    });
    validations.forEach((v, i) => {
      this.checkCel(`validations[${i}].expression`, v.expression);
      if (v.messageExpression) this.checkCel(`validations[${i}].messageExpression`, v.messageExpression);
      if (v.message !== undefined && /[\r\n]/.test(v.message)) {
        invalid(this, `validations[${i}].message`, 'must be one line', v.message, 'remove the line breaks');
      }
    });
    matchConditions.forEach((c, i) => this.checkCel(`matchConditions[${i}].expression`, c.expression));

    this.kind = props.kind;
    this.templateName = props.kind.toLowerCase();
    const properties: Record<string, unknown> = {};
    for (const key of Object.keys(props.parameters ?? {}).sort()) properties[key] = props.parameters![key].toJson();
    this.parametersSchema = { type: 'object', properties };

    const source: Record<string, unknown> = {};
    if (variables.length > 0) source.variables = variables.map((v) => ({ name: v.name, expression: v.expression }));
    if (matchConditions.length > 0) source.matchConditions = matchConditions.map((c) => ({ name: c.name, expression: c.expression }));
    if (validations.length > 0) {
      source.validations = validations.map((v) => ({
        expression: v.expression,
        ...(v.message !== undefined ? { message: v.message } : {}),
        ...(v.messageExpression !== undefined ? { messageExpression: v.messageExpression } : {}),
      }));
    }
    const code: any[] = [];
    if (validations.length > 0) code.push({ engine: GatekeeperConstraintTemplate.CEL_ENGINE, source });
    if (props.rego) {
      const libs = props.regoLibs ? { libs: [...props.regoLibs] } : {};
      code.push({ engine: GatekeeperConstraintTemplate.REGO_ENGINE, source: { rego: props.rego, ...libs } });
    }

    this.resource = new ConstraintTemplate(this, 'Resource', {
      metadata: {
        name: this.templateName,
        ...(props.description ? { annotations: { description: props.description } } : {}),
      },
      spec: {
        crd: { spec: { names: { kind: this.kind }, validation: { openApiv3Schema: this.parametersSchema } } },
        targets: [{ target: ADMISSION_TARGET, code }],
      },
    });
  }

  /** Creates a constraint of this template's kind. */
  public addConstraint(id: string, options: GatekeeperConstraintOptions = {}): GatekeeperConstraint {
    return new GatekeeperConstraint(this, id, { ...options, template: this });
  }

  /**
   * Records a constraint of this template (called by GatekeeperConstraint).
   * @internal
   */
  public _registerConstraint(constraint: GatekeeperConstraint): void {
    this.constraints.push(constraint);
  }

  /** The constraints of this template's kind created in this program. */
  public get allConstraints(): GatekeeperConstraint[] {
    return [...this.constraints];
  }

  private checkCel(prop: string, expression: string): void {
    const err = typeof expression === 'string' ? celSyntaxError(expression) : 'not a string';
    if (err) invalid(this, prop, `is not a valid CEL expression (${err})`, expression, 'fix the CEL syntax');
  }
}
