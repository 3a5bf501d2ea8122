import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { UpstreamCharts } from '../install/upstream-charts';
import { PolicyExemption } from '../policy/exemption';
import { GatekeeperInstall } from '../policy/gatekeeper-install';
import { PolicyCatalog, PolicyEnforcementOverride } from '../policy/policy-catalog';
import { invalid } from '../private/errors';
import { isRegistryHost } from '../private/validate';
import { ClusterDns } from '../tenancy/cluster-dns';
import { Tenant, TenantOptions } from '../tenancy/tenant';

/**
 * The platform's container registry.
 */
export interface PlatformRegistryProps {
  /** Registry host (and optional port) every image of the platform comes from, e.g. `harbor.bank.example`. */
  readonly host: string;
}

/**
 * Admission policy of the platform.
 */
export interface PlatformPolicyProps {
  /**
   * Security: policy enforcements that differ from the tier defaults (SENSITIVE and STANDARD
   * deny, DEV warns).
   * @default - none
   */
  readonly enforcementOverrides?: PolicyEnforcementOverride[];

  /**
   * Security: Linux capabilities containers may add back after dropping ALL.
   * @default - none
   */
  readonly allowedCapabilities?: string[];

  /**
   * Gatekeeper controller replicas.
   * @default 3
   */
  readonly gatekeeperReplicas?: number;

  /**
   * Security: let API requests through when the Gatekeeper webhook is unreachable.
   * @default false - the webhook fails closed
   */
  readonly failOpen?: boolean;

  /**
   * Security: evaluate every constraint against every object of the App at synth, failing synth
   * on a deny violation. Turning it off moves the first failure to admission time.
   * @default true
   */
  readonly evaluateOnSynth?: boolean;
}

/**
 * Properties of a `DevSecOpsPlatform`.
 */
export interface DevSecOpsPlatformProps {
  /** The registry every image comes from; the allowed-registries policy admits only it. */
  readonly registry: PlatformRegistryProps;

  /**
   * Admission policy settings. Gatekeeper, the built-in catalog with per-tier constraints and
   * the synth-time evaluation are always installed.
   * @default - the catalog's tier defaults
   */
  readonly policy?: PlatformPolicyProps;

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
 * const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });
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

  /** Chart of the platform's own components (Gatekeeper and its policies). */
  public readonly components: Chart;
  /** The Gatekeeper install. */
  public readonly gatekeeper: GatekeeperInstall;
  /** The admission policy catalog: templates, per-tier constraints, exemptions. */
  public readonly policies: PolicyCatalog;
  /** The registry host. */
  public readonly registryHost: string;

  private readonly clusterDns: ClusterDns;
  private readonly reserved: Set<string>;
  private readonly tenantsByName = new Map<string, Tenant>();

  constructor(scope: Construct, id: string, props: DevSecOpsPlatformProps) {
    super(scope, id);
    const host = props.registry?.host;
    if (!isRegistryHost(host)) {
      invalid(this, 'registry.host', 'must be a registry host name with an optional port', host,
        'pass the host only, for example "harbor.bank.example" (no scheme, no path)');
    }
    this.registryHost = host;
    this.clusterDns = props.clusterDns ?? ClusterDns.kubeDns();
    this.reserved = new Set([...DevSecOpsPlatform.COMPONENT_NAMESPACES, ...(props.reservedNamespaces ?? [])]);

    this.components = new Chart(this, 'components');
    const policy = props.policy ?? {};
    this.policies = new PolicyCatalog(this.components, 'policies', {
      allowedRepositories: [host],
      allowedCapabilities: policy.allowedCapabilities,
      enforcementOverrides: policy.enforcementOverrides,
      evaluateOnSynth: policy.evaluateOnSynth,
      systemExemptions: [
        PolicyExemption.namespaces(['kube-system', 'kube-public', 'kube-node-lease'],
          'Kubernetes system namespaces run control-plane add-ons outside tenant policy'),
        PolicyExemption.namespaces(DevSecOpsPlatform.COMPONENT_NAMESPACES,
          'platform components run upstream charts at the Pod Security level their namespace declares; tenant tier policies do not apply to them'),
      ],
    });
    this.gatekeeper = new GatekeeperInstall(this.components, 'gatekeeper', {
      config: this.policies.config,
      replicas: policy.gatekeeperReplicas,
      failOpen: policy.failOpen,
    });
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
