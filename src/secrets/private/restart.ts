import { IWorkload } from '../../workload/workload-props';

/**
 * The Deployments a rotation restarts: those of `consumers`, sorted, each once. The one place
 * restart targets are computed; nothing else names a target.
 */
export function restartTargetsOf(consumers: IWorkload[]): string[] {
  return [...new Set(consumers.map((w) => w.deploymentName))].sort();
}
