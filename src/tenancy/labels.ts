/**
 * Label keys the library writes, so later layers (policy, runtime, registry) select on them by
 * constant rather than by string.
 */
export class PlatformLabels {
  /** Prefix of every label the library owns. */
  public static readonly PREFIX = 'devsecops.cdk8s.io';
  /** Tier of the tenant a namespace belongs to (`sensitive`, `standard`, `dev`). */
  public static readonly TIER = `${PlatformLabels.PREFIX}/tier`;
  /** Owning team of a tenant. */
  public static readonly OWNER = `${PlatformLabels.PREFIX}/owner`;
  /** Data classification of the tenant's data. */
  public static readonly DATA_CLASSIFICATION = `${PlatformLabels.PREFIX}/data-classification`;
  /** Tenant an object belongs to. */
  public static readonly TENANT = `${PlatformLabels.PREFIX}/tenant`;
  /** Platform component a namespace hosts (for namespaces created by installs). */
  public static readonly COMPONENT = `${PlatformLabels.PREFIX}/component`;
  /** Standard Kubernetes label naming the tool that manages an object. */
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** Value of `app.kubernetes.io/managed-by` on everything the library emits. */
  public static readonly MANAGED_BY_VALUE = 'cdk8s-devsecops';
  /** Label the API server sets on every Namespace to its name (immutable, safe to select on). */
  public static readonly NAMESPACE_NAME = 'kubernetes.io/metadata.name';

  private constructor() {}
}
