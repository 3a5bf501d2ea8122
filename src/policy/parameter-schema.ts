/**
 * Options common to every parameter schema.
 */
export interface GatekeeperParameterOptions {
  /**
   * Description shown by `kubectl explain` on the constraint kind.
   * @default - no description
   */
  readonly description?: string;
}

/**
 * A structural OpenAPI v3 schema for one constraint parameter, as ConstraintTemplate v1
 * requires (every level has a `type`). Build it with the static factories; the template emits
 * it under `spec.crd.spec.validation.openAPIV3Schema`, and every constraint's `parameters` are
 * checked against it when the constraint is created.
 */
export class GatekeeperParameterSchema {
  /** A string. */
  public static stringType(options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'string' }, options);
  }

  /** A string restricted to `values`. */
  public static stringEnum(values: string[], options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'string', enum: [...values] }, options);
  }

  /** A boolean. */
  public static booleanType(options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'boolean' }, options);
  }

  /** An integer. */
  public static integerType(options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'integer' }, options);
  }

  /** A number (integer or decimal). */
  public static numberType(options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'number' }, options);
  }

  /** A list whose items all follow `items`. */
  public static arrayOf(items: GatekeeperParameterSchema, options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'array', items: items.toJson() }, options);
  }

  /** An object with the given properties (no other property is accepted). */
  public static objectOf(
    properties: { [name: string]: GatekeeperParameterSchema },
    options: GatekeeperParameterOptions = {},
  ): GatekeeperParameterSchema {
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(properties).sort()) props[key] = properties[key].toJson();
    return new GatekeeperParameterSchema({ type: 'object', properties: props }, options);
  }

  /**
   * An object whose keys are free (namespace names, for example) and whose values all follow
   * `values` (`additionalProperties`).
   */
  public static mapOf(values: GatekeeperParameterSchema, options: GatekeeperParameterOptions = {}): GatekeeperParameterSchema {
    return new GatekeeperParameterSchema({ type: 'object', additionalProperties: values.toJson() }, options);
  }

  private readonly schema: Record<string, unknown>;

  private constructor(schema: Record<string, unknown>, options: GatekeeperParameterOptions) {
    this.schema = options.description ? { description: options.description, ...schema } : schema;
  }

  /** The OpenAPI v3 schema as JSON. */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.schema));
  }
}
