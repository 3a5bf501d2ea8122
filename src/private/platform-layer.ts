import type { Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { Tenant } from '../tenancy/tenant';
import type { Workload } from '../workload/workload';

/**
 * What the whole-App checks of a layer are given: the App's constructs (found once per synth)
 * and the platform's tenants. Each layer judges its own data plus these; none reads the facade.
 */
export interface PlatformCheckInput {
  /** The platform construct, named as one side of a disagreement. */
  readonly platform: IConstruct;
  /** Every construct of the App, in tree order. */
  readonly all: IConstruct[];
  /** The platform's tenants, in the order they were added. */
  readonly tenants: Tenant[];
}

/**
 * How a layer attaches to the platform (DESIGN.md, "How layers attach to the platform"). The
 * facade builds each layer from its props (the constructor validates them and creates nothing),
 * then calls, in layer order: `install` once, `checkTenantName` and `onTenant` for every tenant,
 * `onWorkload` for every workload, and `checks` once per synth.
 */
export interface PlatformLayer {
  /** Creates the layer's platform-wide objects in the components chart. */
  install?(components: Chart): void;
  /** Refuses a tenant name the layer cannot serve (throws the house error at `where`). */
  checkTenantName?(where: string, name: string): void;
  /** Adds what the layer gives every tenant. */
  onTenant?(tenant: Tenant): void;
  /** Adds what the layer gives every workload. */
  onWorkload?(workload: Workload): void;
  /** Whole-App checks; each message names both sides by construct path. */
  checks?(input: PlatformCheckInput): string[];
}
