/** Where a `KpackImage` keeps its build cache. */
export enum KpackBuildCacheKind {
  /** A PersistentVolumeClaim in the image's namespace. */
  VOLUME = 'volume',
  /** A cache image in the registry, inside the image's project. */
  REGISTRY = 'registry',
}

/**
 * The build cache of a `KpackImage`. Layers restored from the cache speed up rebuilds; they come
 * from earlier builds of the same image only.
 */
export class KpackBuildCache {
  /**
   * A PersistentVolumeClaim of `size` (a Kubernetes quantity such as `2Gi`). kpack refuses a
   * volume cache when the cluster has no default StorageClass.
   */
  public static volume(size: string, storageClassName?: string): KpackBuildCache {
    return new KpackBuildCache(KpackBuildCacheKind.VOLUME, size, storageClassName, undefined);
  }

  /**
   * A cache image in the image's registry project, in repository `repository` (for example
   * `ledger-cache`). It is pushed with the build service account's credentials.
   */
  public static registry(repository: string): KpackBuildCache {
    return new KpackBuildCache(KpackBuildCacheKind.REGISTRY, undefined, undefined, repository);
  }

  /** Kind of cache. */
  public readonly kind: KpackBuildCacheKind;
  /** Volume size, for a volume cache. */
  public readonly size?: string;
  /** StorageClass, for a volume cache that names one. */
  public readonly storageClassName?: string;
  /** Repository inside the project, for a registry cache. */
  public readonly repository?: string;

  private constructor(kind: KpackBuildCacheKind, size?: string, storageClassName?: string, repository?: string) {
    this.kind = kind;
    this.size = size;
    this.storageClassName = storageClassName;
    this.repository = repository;
  }
}
