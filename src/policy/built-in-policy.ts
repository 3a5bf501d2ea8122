/**
 * The policies of the built-in catalog. The value is the policy's directory name and the
 * prefix of its constraints' names (`<policy>-<tier>`).
 */
export enum BuiltInPolicy {
  /** Images only from the allowed registries and repositories (path-segment boundaries respected). */
  ALLOWED_REPOSITORIES = 'allowed-repositories',
  /** No `:latest` and no untagged images; digest-pinned images in SENSITIVE. */
  IMAGE_TAGS = 'image-tags',
  /** No privileged containers. */
  PRIVILEGED_CONTAINERS = 'privileged-containers',
  /** No host network, PID or IPC namespace. */
  HOST_NAMESPACES = 'host-namespaces',
  /** No hostPath volumes. */
  HOST_PATH = 'host-path',
  /** `allowPrivilegeEscalation: false` on every container. */
  PRIVILEGE_ESCALATION = 'privilege-escalation',
  /** Capabilities drop ALL; additions only from an allow-list. */
  CAPABILITIES = 'capabilities',
  /** Containers run as non-root, never as UID 0. */
  RUN_AS_NON_ROOT = 'run-as-non-root',
  /** Seccomp profile RuntimeDefault or Localhost. */
  SECCOMP = 'seccomp',
  /** Read-only root filesystem (SENSITIVE). */
  READ_ONLY_ROOT_FILESYSTEM = 'read-only-root-filesystem',
  /** CPU and memory requests and limits on every container. */
  CONTAINER_RESOURCES = 'container-resources',
  /** Owner and data-classification labels on workloads and Namespaces. */
  REQUIRED_LABELS = 'required-labels',
  /** No NodePort or LoadBalancer Services (SENSITIVE). */
  SERVICE_TYPES = 'service-types',
  /** No secret-like keys or values (private keys, tokens) in ConfigMaps. */
  CONFIGMAP_SECRETS = 'configmap-secrets',
  /** Service account token automount off on Pods and ServiceAccounts unless exempted. */
  SERVICE_ACCOUNT_TOKEN = 'service-account-token',
  /** Ingresses TLS-only, every host covered by TLS (SENSITIVE). */
  INGRESS_TLS = 'ingress-tls',
  /** Pods select their tier's node pool and tolerate its taint (SENSITIVE, when the runtime layer names a pool). */
  NODE_PLACEMENT = 'node-placement',
}
