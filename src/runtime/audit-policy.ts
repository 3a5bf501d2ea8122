/**
 * The Kubernetes API server's audit policy (`audit.k8s.io/v1` Policy): a file the control plane
 * reads (`kube-apiserver --audit-policy-file`), not an object the cluster serves.
 */

/** How much of a request the API server records. */
export enum AuditLevel {
  /** Nothing. */
  NONE = 'None',
  /** Who, what, when: user, verb, resource, namespace, response code; no bodies. */
  METADATA = 'Metadata',
  /** Metadata and the request body. */
  REQUEST = 'Request',
  /** Metadata, the request body and the response body. */
  REQUEST_RESPONSE = 'RequestResponse',
}

/** Resources of one API group an audit rule matches. */
export interface AuditResourceGroup {
  /** API group (`""` for the core group). */
  readonly group: string;
  /**
   * Resources (`secrets`, `pods/exec`, `*`, `pods/*`, `* /status` without the space).
   * @default - every resource of the group
   */
  readonly resources?: string[];
}

/**
 * One rule of the audit policy. The API server applies the first rule that matches a request;
 * an empty selector matches everything.
 */
export interface AuditPolicyRule {
  /** Level the matched requests are recorded at. */
  readonly level: AuditLevel;
  /** Why the rule exists (rendered as a comment in the file and in tests' messages). */
  readonly reason: string;
  /**
   * Users the rule matches.
   * @default - every user
   */
  readonly users?: string[];
  /**
   * Groups the rule matches (a request matches when one of its user's groups is listed).
   * @default - every group
   */
  readonly userGroups?: string[];
  /**
   * Verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`).
   * @default - every verb
   */
  readonly verbs?: string[];
  /**
   * Resources by API group.
   * @default - every resource
   */
  readonly resources?: AuditResourceGroup[];
  /**
   * Namespaces (`""` matches cluster-scoped resources).
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * Non-resource URL paths (`/healthz*`).
   * @default - every non-resource URL
   */
  readonly nonResourceUrls?: string[];
}
