import { TracingPolicyNamespacedSpecPodSelectorMatchExpressionsOperator as PodOp } from '../../imports/tetragon-cilium.io';
import { IWorkload } from '../../workload/workload-props';

/**
 * A label selector over the workloads' selector labels: `In` over each key every workload has
 * (a key only some have would let the others escape). Empty (every pod) without workloads.
 */
export function podSelectorOf(workloads: IWorkload[]): any {
  if (workloads.length === 0) return {};
  const keys = Object.keys(workloads[0].selectorLabels).filter((k) => workloads.every((w) => w.selectorLabels[k] !== undefined)).sort();
  if (keys.length === 0) return {};
  return {
    matchExpressions: keys.map((key) => ({
      key,
      operator: PodOp.IN,
      values: [...new Set(workloads.map((w) => w.selectorLabels[key]))].sort(),
    })),
  };
}
