import type { Workload } from '../workload';

/** Property of a Tenant holding its `WorkloadContext`, set by the platform that owns the tenant. */
export const WORKLOAD_CONTEXT = Symbol.for('cdk8s-devsecops.WorkloadContext');

/** What a tenant's platform gives the workloads of that tenant. */
export interface WorkloadContext {
  /** `<registry host>/<project>/` of the tenant's registry project, when the registry is managed. */
  readonly repositoryPrefix?: string;
  /** Hands a new workload to every platform layer (`onWorkload`), once it is constructed. */
  readonly attach: (workload: Workload) => void;
}
