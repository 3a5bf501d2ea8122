/** Node pools of the runtime tiers: where each tier's pods run and which agents run there. */
import { Tier } from '../tenancy/tier';

/** Effect of a node pool's taint. */
export enum NodeTaintEffect {
  /** Pods without the toleration are not scheduled on the pool. */
  NO_SCHEDULE = 'NoSchedule',
  /** Pods without the toleration are also evicted from the pool. */
  NO_EXECUTE = 'NoExecute',
  /** The scheduler avoids the pool for pods without the toleration, but may still use it. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
}

/** The taint every node of a pool carries (set on the node group by the cluster's provisioning). */
export interface NodePoolTaint {
  /** Taint key, e.g. `devsecops.cdk8s.io/tier`. */
  readonly key: string;
  /** Taint value, e.g. `sensitive`. */
  readonly value: string;
  /**
   * Effect. A SENSITIVE pool's taint must keep other pods off it: `NoSchedule` or `NoExecute`.
   * @default NodeTaintEffect.NO_SCHEDULE
   */
  readonly effect?: NodeTaintEffect;
}

/** CPU and memory of a runtime agent container (per node). */
export interface RuntimeAgentResources {
  /** CPU request (Kubernetes quantity). */
  readonly cpuRequest: string;
  /** CPU limit: the most the agent takes from each node. */
  readonly cpuLimit: string;
  /** Memory request. */
  readonly memoryRequest: string;
  /** Memory limit. */
  readonly memoryLimit: string;
}

/**
 * A node pool: nodes that carry `nodeLabels` (and `taint`), on which the pods of `tiers` run.
 * Falco's and Tetragon's probes are per node, so the agents a pool runs follow the most
 * sensitive tier it hosts: SENSITIVE gets Falco with the full ruleset and Tetragon, STANDARD
 * Falco with the reduced set, DEV no syscall capture.
 */
export interface RuntimeNodePool {
  /** Pool name (a DNS label); the pool's Falco namespace is `falco-<name>`. */
  readonly name: string;
  /**
   * Tiers whose pods run here. A SENSITIVE pool hosts only SENSITIVE (its agents and rules
   * would otherwise see other tiers); STANDARD and DEV may share a pool (it then runs
   * STANDARD's agents). Each tier has at most one pool.
   */
  readonly tiers: Tier[];
  /** Labels every node of the pool carries; pods of the pool's tiers select on all of them. */
  readonly nodeLabels: { [key: string]: string };
  /**
   * The pool's taint; pods of the pool's tiers tolerate it. Required for a SENSITIVE pool.
   * @default - no taint: pods of other tiers may be scheduled on the pool
   */
  readonly taint?: NodePoolTaint;
  /** Number of nodes, for the runtime report's cost figures. */
  readonly nodeCount: number;
}
