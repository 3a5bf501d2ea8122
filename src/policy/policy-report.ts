/** One object that a constraint's policy rejects. */
export interface PolicyViolation {
  /** Enforcement action of the constraint (`deny`, `warn`, `dryrun`). */
  readonly enforcement: string;
  /** Kind of the constraint. */
  readonly constraintKind: string;
  /** Name of the constraint. */
  readonly constraintName: string;
  /** Construct path of the offending object (of the workload, for a pod from its template). */
  readonly constructPath: string;
  /** apiVersion of the judged object. */
  readonly objectApiVersion: string;
  /** Kind of the judged object (`Pod` for a workload's pod template). */
  readonly objectKind: string;
  /** Name of the judged object. */
  readonly objectName: string;
  /** Namespace of the judged object, if namespaced. */
  readonly objectNamespace?: string;
  /** For a pod judged from a workload's template: `<Kind>/<name>` of the workload. */
  readonly expandedFrom?: string;
  /** The policy's message. */
  readonly message: string;
}

/** A constraint, or a template, that the synth-time evaluator could not run. */
export interface PolicyNotEvaluated {
  /** Constraint kind. */
  readonly constraintKind: string;
  /** Constraint name (absent when the whole template is concerned). */
  readonly constraintName?: string;
  /** Construct path of the constraint or template. */
  readonly constructPath: string;
  /** Why it was not evaluated. */
  readonly reason: string;
}

/** An exemption in force, as read from the synthesized constraints and Gatekeeper Config. */
export interface PolicyExemptionRecord {
  /** `<ConstraintKind>/<name>` of the constraint, or `Config/<name>` for exemptions from every policy. */
  readonly appliedTo: string;
  /** Construct path of the constraint or Config. */
  readonly constructPath: string;
  /** Exempt namespaces, if any. */
  readonly namespaces?: string[];
  /** Exempting label (`key=value`), if any. */
  readonly label?: string;
  /** The recorded reason. */
  readonly reason: string;
}

/** A namespace outside the program's control that objects of the program target, by declaration. */
export interface PolicyUnmanagedNamespaceRecord {
  /** The namespace. */
  readonly namespace: string;
  /** Construct path of the `UnmanagedNamespace` declaring it. */
  readonly constructPath: string;
  /** The recorded reason. */
  readonly reason: string;
}

/** A weakening of a tier's default, acknowledged with a reason, as read from the synthesized objects. */
export interface PolicyWeakeningRecord {
  /** What is weakened (a `WeakeningKind` value). */
  readonly weakening: string;
  /** What exactly, e.g. `egress to cidr 0.0.0.0/0 on 443/TCP`. */
  readonly detail: string;
  /** The acknowledged reason. */
  readonly reason: string;
  /** Kind of the object that carries it. */
  readonly objectKind: string;
  /** Name of the object that carries it. */
  readonly objectName: string;
  /** Namespace of the object, if namespaced. */
  readonly objectNamespace?: string;
  /** Construct path of the object. */
  readonly constructPath: string;
}

/** A tenant's grant to pull images of another registry project, as read from the allowed-repositories constraints. */
export interface PolicyImagePullGrantRecord {
  /** Namespace (tenant) whose pods may pull. */
  readonly namespace: string;
  /** Repository prefix (`<host>/<project>`) granted. */
  readonly repository: string;
  /** The recorded reason. */
  readonly reason: string;
  /** `<ConstraintKind>/<name>` of the constraint admitting it. */
  readonly appliedTo: string;
  /** Construct path of the constraint. */
  readonly constructPath: string;
}

/** Counts of one evaluation. */
export interface PolicyEvaluationSummary {
  /** ConstraintTemplates found. */
  readonly templates: number;
  /** Constraints found. */
  readonly constraints: number;
  /** Objects reviewed, pods expanded from workload templates included. */
  readonly objects: number;
  /** (constraint, object) pairs evaluated. */
  readonly evaluations: number;
  /** Violations of `deny` constraints. */
  readonly deny: number;
  /** Violations of `warn` constraints. */
  readonly warn: number;
  /** Violations of `dryrun` constraints. */
  readonly dryrun: number;
  /** Constraints or templates not evaluated. */
  readonly notEvaluated: number;
}

/** The machine-readable result of evaluating a program's constraints against its objects. */
export interface PolicyEvaluationReport {
  /** Counts. */
  readonly summary: PolicyEvaluationSummary;
  /** Every violation, sorted by constraint, path and message. */
  readonly violations: PolicyViolation[];
  /** Constraints and templates that were not evaluated, with the reason. */
  readonly notEvaluated: PolicyNotEvaluated[];
  /** Exemptions in force. */
  readonly exemptions: PolicyExemptionRecord[];
  /** Every acknowledged weakening of a tier default carried by an object of the program. */
  readonly acknowledgedWeakenings: PolicyWeakeningRecord[];
  /** Every grant letting a tenant pull another project's images. */
  readonly imagePullGrants: PolicyImagePullGrantRecord[];
  /**
   * Namespaces that objects are placed in but that the program does not declare: constraints
   * with a namespaceSelector saw no labels for them.
   */
  readonly undeclaredNamespaces: string[];
  /**
   * Namespaces the program does not manage that its objects may target (`UnmanagedNamespace`),
   * with the reason. Absent when manifests are evaluated outside a program (validation plugin).
   */
  readonly unmanagedNamespaces?: PolicyUnmanagedNamespaceRecord[];
}
