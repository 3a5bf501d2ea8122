/**
 * Resource quota of a tenant namespace. Every field left out takes the tier's default.
 */
export interface TenantQuota {
  /** Sum of CPU requests. */
  readonly requestsCpu?: string;
  /** Sum of CPU limits. */
  readonly limitsCpu?: string;
  /** Sum of memory requests. */
  readonly requestsMemory?: string;
  /** Sum of memory limits. */
  readonly limitsMemory?: string;
  /** Sum of storage requested by PersistentVolumeClaims. */
  readonly requestsStorage?: string;
  /** Number of pods. */
  readonly pods?: number;
  /** Number of PersistentVolumeClaims. */
  readonly persistentVolumeClaims?: number;
  /** Number of Services. */
  readonly services?: number;
  /**
   * Number of LoadBalancer Services.
   * Security: a LoadBalancer exposes the tenant outside the cluster's network policy.
   */
  readonly loadBalancers?: number;
  /**
   * Number of NodePort Services.
   * Security: a NodePort opens a port on every node.
   */
  readonly nodePorts?: number;
}

/**
 * Per-container defaults and bounds (a LimitRange). Every field left out takes the tier's default.
 */
export interface ContainerResourceDefaults {
  /** CPU request given to a container that declares none. */
  readonly defaultRequestCpu?: string;
  /** Memory request given to a container that declares none. */
  readonly defaultRequestMemory?: string;
  /** CPU limit given to a container that declares none. */
  readonly defaultLimitCpu?: string;
  /** Memory limit given to a container that declares none. */
  readonly defaultLimitMemory?: string;
  /** Largest CPU limit one container may have. */
  readonly maxCpu?: string;
  /** Largest memory limit one container may have. */
  readonly maxMemory?: string;
}
