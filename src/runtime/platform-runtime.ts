import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformRuntimeProps } from './runtime-props';
import { RuntimeSecurity } from './runtime-security';
import type { PlatformPolicy } from '../policy/platform-policy';
import { invalid } from '../private/errors';
import { PlatformLayer } from '../private/platform-layer';
import type { ITenant } from '../tenancy/tenant-props';
import { Tier } from '../tenancy/tier';
import type { IWorkload } from '../workload/workload-props';

/**
 * The runtime layer of the platform (`DevSecOpsPlatformProps.runtime`): installs
 * `RuntimeSecurity` into the components chart, after the policy layer whose catalog gets the
 * SENSITIVE pool's placement; hands it every tenant and workload; its checks are the runtime's
 * whole-App checks (placement, coverage, rule scopes, audit rule order).
 */
export class PlatformRuntime implements PlatformLayer {
  /**
   * The namespaces of the Falco instances `props` declares (`falco-<pool>` for every pool hosting
   * SENSITIVE or STANDARD), known before the layer installs: the platform reserves them and
   * exempts them from tenant policy, like the other component namespaces.
   */
  public static falcoNamespaces(props?: PlatformRuntimeProps): string[] {
    return (props?.nodePools ?? [])
      .filter((p) => Array.isArray(p?.tiers) && (p.tiers.includes(Tier.SENSITIVE) || p.tiers.includes(Tier.STANDARD)))
      .map((p) => `falco-${p.name}`);
  }

  private securityValue?: RuntimeSecurity;

  constructor(private readonly platform: Construct, private readonly policy: PlatformPolicy, private readonly props?: PlatformRuntimeProps) {}

  /** The runtime construct (after `install`), when `runtime` is given. */
  public get security(): RuntimeSecurity | undefined {
    return this.securityValue;
  }

  public install(components: Chart): void {
    if (!this.props) return;
    this.securityValue = new RuntimeSecurity(this.platform, 'runtime', { ...this.props, components, policies: this.policy.catalog });
  }

  public checkTenantName(where: string, name: string): void {
    if (PlatformRuntime.falcoNamespaces(this.props).includes(name)) {
      invalid(where, 'name', 'is the namespace of a node pool\'s Falco', name, 'choose another tenant name');
    }
  }

  public onTenant(tenant: ITenant): void {
    this.securityValue?.onTenant(tenant);
  }

  public onWorkload(workload: IWorkload): void {
    this.securityValue?.onWorkload(workload);
  }

  public checks(): string[] {
    return this.securityValue?.checks() ?? [];
  }
}
