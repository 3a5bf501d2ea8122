/** CPU (millicores) and memory (MiB). */
export interface RuntimeCost {
  /** CPU in millicores. */
  readonly cpuMillicores: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
}

/** One agent on a pool, per node. */
export interface RuntimeReportAgent {
  /** `falco` or `tetragon`. */
  readonly agent: string;
  /** CPU limit per node. */
  readonly cpuLimit: string;
  /** Memory limit per node. */
  readonly memoryLimit: string;
}

/** One node pool in the runtime report. */
export interface RuntimeReportPool {
  /** Pool name. */
  readonly name: string;
  /** Tiers whose pods run there. */
  readonly tiers: string[];
  /** Nodes. */
  readonly nodeCount: number;
  /** Falco fidelity: `full`, `reduced` or `none`. */
  readonly fidelity: string;
  /** Agents per node. */
  readonly agents: RuntimeReportAgent[];
  /** Falco rules loaded, by priority (most severe first). */
  readonly rulesByPriority: { [priority: string]: number };
  /** Falco rules loaded. */
  readonly rulesLoaded: number;
  /** Tenant namespaces whose pods run there. */
  readonly namespaces: string[];
  /** Agent limits per node. */
  readonly costPerNode: RuntimeCost;
  /** Agent limits summed over the pool's nodes. */
  readonly cost: RuntimeCost;
}

/** Nodes in no pool. */
export interface RuntimeReportOtherNodes {
  /** Nodes in no pool (no agent). */
  readonly nodeCount: number;
  /** Tenant namespaces of the tiers without a pool. */
  readonly namespaces: string[];
}

/** What the tiering saves against running the full agents everywhere. */
export interface RuntimeSaving extends RuntimeCost {
  /** CPU saved, percent of the full-agents cost. */
  readonly cpuPercent: number;
  /** Memory saved, percent of the full-agents cost. */
  readonly memoryPercent: number;
}

/** The runtime report. */
export interface RuntimeReport {
  /** Upstream ruleset loaded. */
  readonly upstreamRules: string;
  /** Pools, SENSITIVE first. */
  readonly pools: RuntimeReportPool[];
  /** Nodes in no pool (no agent), and the tenant namespaces running there. */
  readonly otherNodes: RuntimeReportOtherNodes;
  /** Namespaces per fidelity. */
  readonly namespacesByFidelity: { [fidelity: string]: string[] };
  /** Agent limits of the tiered model, summed over every node. */
  readonly tieredCost: RuntimeCost;
  /** Agent limits if every node ran the SENSITIVE pool's agents. */
  readonly fullAgentsEverywhereCost: RuntimeCost;
  /** What the tiering saves against running the full agents everywhere. */
  readonly saving: RuntimeSaving;
}
