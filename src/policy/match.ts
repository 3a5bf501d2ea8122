/**
 * Kinds a constraint applies to, by API group (`""` is the core group) and kind.
 */
export interface GatekeeperMatchKind {
  /**
   * API groups, `""` for the core group, `"*"` for any group.
   */
  readonly apiGroups: string[];
  /**
   * Kinds, for example `Pod`; `"*"` for any kind.
   */
  readonly kinds: string[];
}

/**
 * Operator of a label selector requirement.
 */
export enum GatekeeperSelectorOperator {
  /** The label value is one of `values`. */
  IN = 'In',
  /** The label is absent or its value is none of `values`. */
  NOT_IN = 'NotIn',
  /** The label is present. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One requirement of a label selector.
 */
export interface GatekeeperSelectorRequirement {
  /** Label key. */
  readonly key: string;
  /** How the label is compared with `values`. */
  readonly operator: GatekeeperSelectorOperator;
  /**
   * Values for `In` and `NotIn`; must be empty for `Exists` and `DoesNotExist`.
   * @default []
   */
  readonly values?: string[];
}

/**
 * A Kubernetes label selector (all requirements must hold).
 */
export interface GatekeeperLabelSelector {
  /**
   * Labels that must be present with exactly these values.
   * @default {}
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Further requirements.
   * @default []
   */
  readonly matchExpressions?: GatekeeperSelectorRequirement[];
}

/**
 * Which objects a constraint applies to, by their scope.
 */
export enum GatekeeperMatchScope {
  /** Cluster-scoped and namespaced objects. */
  ALL = '*',
  /** Only cluster-scoped objects. */
  CLUSTER = 'Cluster',
  /** Only namespaced objects. */
  NAMESPACED = 'Namespaced',
}

/**
 * The `spec.match` block of a Gatekeeper constraint. Every criterion that is set must hold;
 * a criterion left unset matches everything, so an empty match applies the constraint to every
 * object.
 */
export interface GatekeeperMatch {
  /**
   * Kinds the constraint applies to.
   * @default - every kind
   */
  readonly kinds?: GatekeeperMatchKind[];
  /**
   * Namespaces the constraint is limited to. An entry may end or start with `*` for a prefix
   * (`team-*`) or suffix (`*-prod`) glob. Cluster-scoped objects other than Namespaces are not
   * limited by this list.
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * Security: namespaces the constraint does not apply to (prefix or suffix globs allowed).
   * Prefer `PolicyExemption.namespaces(...)`, which records the reason.
   * @default - none
   */
  readonly excludedNamespaces?: string[];
  /**
   * Labels the object itself must carry.
   * @default - any labels
   */
  readonly labelSelector?: GatekeeperLabelSelector;
  /**
   * Labels the object's Namespace must carry (a Namespace object is judged by its own labels;
   * other cluster-scoped objects always match).
   * @default - any namespace
   */
  readonly namespaceSelector?: GatekeeperLabelSelector;
  /**
   * Scope of the objects the constraint applies to.
   * @default GatekeeperMatchScope.ALL
   */
  readonly scope?: GatekeeperMatchScope;
  /**
   * Name of the object, with an optional `*` prefix or suffix glob.
   * @default - any name
   */
  readonly name?: string;
}
