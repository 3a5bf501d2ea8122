import { Construct } from 'constructs';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid } from '../private/errors';
import { ClusterDns } from '../tenancy/cluster-dns';
import { Tenant, TenantOptions } from '../tenancy/tenant';

/**
 * Properties of a `DevSecOpsPlatform`.
 */
export interface DevSecOpsPlatformProps {
  /**
   * Where cluster DNS answers, for every tenant's DNS-only egress.
   * @default ClusterDns.kubeDns()
   */
  readonly clusterDns?: ClusterDns;

  /**
   * Further namespaces no tenant may take (beyond Kubernetes' own and the platform's components).
   * @default - none
   */
  readonly reservedNamespaces?: string[];
}

/**
 * The whole secure platform from one props object. Every layer hangs off it; tenants come first.
 *
 * ```ts
 * const platform = new DevSecOpsPlatform(app, 'bank', {});
 * const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
 * ```
 */
export class DevSecOpsPlatform extends Construct {
  /**
   * Namespaces of the platform's own components; no tenant may take them. Derived from the
   * install table (`UpstreamCharts`) plus the GitOps engine and the components installed from
   * release manifests rather than Helm charts.
   */
  public static readonly COMPONENT_NAMESPACES: string[] = [...new Set([
    ...UpstreamCharts.all().map((c) => c.defaultNamespace),
    'flux-system',
    'kpack',
    'cartographer-system',
    'tekton-pipelines',
  ])].sort();

  private readonly clusterDns: ClusterDns;
  private readonly reserved: Set<string>;
  private readonly tenantsByName = new Map<string, Tenant>();

  constructor(scope: Construct, id: string, props: DevSecOpsPlatformProps = {}) {
    super(scope, id);
    this.clusterDns = props.clusterDns ?? ClusterDns.kubeDns();
    this.reserved = new Set([...DevSecOpsPlatform.COMPONENT_NAMESPACES, ...(props.reservedNamespaces ?? [])]);
  }

  /** The tenants, in the order they were added. */
  public get tenants(): Tenant[] {
    return [...this.tenantsByName.values()];
  }

  /**
   * Adds a tenant namespace. The name must be unique, a DNS label, and neither a Kubernetes
   * system namespace nor one of the platform's component namespaces.
   */
  public addTenant(name: string, options: TenantOptions): Tenant {
    const where = `${this.node.path}/${name}`;
    if (this.tenantsByName.has(name)) {
      invalid(where, 'name', 'is already a tenant of this platform', name, 'give every tenant a distinct name');
    }
    if (this.reserved.has(name)) {
      invalid(where, 'name', 'is a namespace reserved for a platform component', name, `choose another name; reserved: ${[...this.reserved].sort().join(', ')}`);
    }
    const tenant = new Tenant(this, name, { clusterDns: this.clusterDns, ...options, name });
    this.tenantsByName.set(name, tenant);
    return tenant;
  }

  /** The tenant named `name`, or an error naming the tenants that exist. */
  public tenant(name: string): Tenant {
    const t = this.tenantsByName.get(name);
    if (!t) {
      invalid(this, 'tenant', 'is not a tenant of this platform', name, `use one of: ${[...this.tenantsByName.keys()].join(', ') || '(none yet: call addTenant first)'}`);
    }
    return t;
  }
}
