import { FalcoFidelity, FalcoPoolInstance } from '../falco-pool';
import { FalcoRule } from '../falco-rule';
import { RuntimeAgentResources, RuntimeNodePool } from '../node-pool';
import { RuntimeCost, RuntimeReport, RuntimeReportPool } from '../runtime-report';
import { countByPriority, FALCO_PRIORITY_ORDER, falcoPriorityOf } from './falco-rules';
import { UPSTREAM_RULES, UPSTREAM_RULES_TAG } from './falco-upstream';
import { quantityValue } from '../../private/validate';
import { Tier } from '../../tenancy/tier';

export interface RuntimeReportInput {
  readonly pools: Array<{ pool: RuntimeNodePool; fidelity?: FalcoFidelity; falco?: RuntimeAgentResources; tetragon?: RuntimeAgentResources }>;
  readonly platformRules: FalcoRule[];
  readonly tenants: Array<{ namespace: string; tier: Tier }>;
  readonly otherNodeCount: number;
  readonly fullAgents: { falco: RuntimeAgentResources; tetragon: RuntimeAgentResources };
}

const cost = (agents: RuntimeAgentResources[], nodes = 1): RuntimeCost => ({
  cpuMillicores: Math.round(agents.reduce((s, a) => s + quantityValue(a.cpuLimit) * 1000, 0) * nodes),
  memoryMiB: Math.round(agents.reduce((s, a) => s + quantityValue(a.memoryLimit) / 1048576, 0) * nodes),
});

/** The report for the runtime layer's state. */
export function runtimeReport(input: RuntimeReportInput): RuntimeReport {
  const severeEnough = (p: string, min: string) => {
    const rank = FALCO_PRIORITY_ORDER.indexOf(falcoPriorityOf(p)!);
    const minRank = FALCO_PRIORITY_ORDER.indexOf(falcoPriorityOf(min === 'info' ? 'INFORMATIONAL' : min)!);
    return rank <= minRank;
  };
  const pooledTiers = new Set(input.pools.flatMap((p) => p.pool.tiers));
  const pools: RuntimeReportPool[] = input.pools.map(({ pool, fidelity, falco, tetragon }) => {
    const min = fidelity ? FalcoPoolInstance.minimumPriority(fidelity) : undefined;
    const priorities = !min ? [] : [
      ...UPSTREAM_RULES.map((r) => r.priority),
      ...(fidelity === FalcoFidelity.FULL ? input.platformRules.map((r) => r.priority as string) : []),
    ].filter((p) => severeEnough(p, min));
    const agents = [falco, tetragon].filter((a): a is RuntimeAgentResources => a !== undefined);
    return {
      name: pool.name,
      tiers: [...pool.tiers],
      nodeCount: pool.nodeCount,
      fidelity: fidelity ?? 'none',
      agents: [
        ...(falco ? [{ agent: 'falco', cpuLimit: falco.cpuLimit, memoryLimit: falco.memoryLimit }] : []),
        ...(tetragon ? [{ agent: 'tetragon', cpuLimit: tetragon.cpuLimit, memoryLimit: tetragon.memoryLimit }] : []),
      ],
      rulesByPriority: countByPriority(priorities.map((p) => falcoPriorityOf(p)!)),
      rulesLoaded: priorities.length,
      namespaces: input.tenants.filter((t) => pool.tiers.includes(t.tier)).map((t) => t.namespace).sort(),
      costPerNode: cost(agents),
      cost: cost(agents, pool.nodeCount),
    };
  });
  const other = input.tenants.filter((t) => !pooledTiers.has(t.tier)).map((t) => t.namespace).sort();
  const byFidelity: { [f: string]: string[] } = { full: [], reduced: [], none: [] };
  for (const p of pools) byFidelity[p.fidelity].push(...p.namespaces);
  byFidelity.none.push(...other);
  for (const k of Object.keys(byFidelity)) byFidelity[k].sort();
  const totalNodes = input.pools.reduce((s, p) => s + p.pool.nodeCount, 0) + input.otherNodeCount;
  const tiered = pools.reduce((s, p) => ({ cpuMillicores: s.cpuMillicores + p.cost.cpuMillicores, memoryMiB: s.memoryMiB + p.cost.memoryMiB }),
    { cpuMillicores: 0, memoryMiB: 0 });
  const full = cost([input.fullAgents.falco, input.fullAgents.tetragon], totalNodes);
  const pct = (a: number, b: number) => (b === 0 ? 0 : Math.round((1000 * (b - a)) / b) / 10);
  return {
    upstreamRules: `ghcr.io/falcosecurity/rules/falco-rules:${UPSTREAM_RULES_TAG}`,
    pools,
    otherNodes: { nodeCount: input.otherNodeCount, namespaces: other },
    namespacesByFidelity: byFidelity,
    tieredCost: tiered,
    fullAgentsEverywhereCost: full,
    saving: {
      cpuMillicores: full.cpuMillicores - tiered.cpuMillicores,
      memoryMiB: full.memoryMiB - tiered.memoryMiB,
      cpuPercent: pct(tiered.cpuMillicores, full.cpuMillicores),
      memoryPercent: pct(tiered.memoryMiB, full.memoryMiB),
    },
  };
}

/** The report as a Markdown table and the saving. */
export function runtimeReportMarkdown(r: RuntimeReport): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Runtime security: agents per node pool',
    '',
    `Upstream Falco rules: \`${r.upstreamRules}\`. Costs are agent limits (CPU millicores, memory MiB), summed over the pool's nodes.`,
    '',
    '| pool | tiers | nodes | agents (limit per node) | Falco rules (by priority) | namespaces | agent CPU (m) | agent memory (MiB) |',
    '| --- | --- | ---: | --- | --- | --- | ---: | ---: |',
    ...r.pools.map((p) => `| ${p.name} | ${p.tiers.join(', ')} | ${p.nodeCount} | ${p.agents.map((a) => `${a.agent} ${a.cpuLimit}/${a.memoryLimit}`).join(', ') || 'none'} | ${
      p.rulesLoaded === 0 ? 'none' : `${p.rulesLoaded}: ${Object.entries(p.rulesByPriority).map(([k, v]) => `${k} ${v}`).join(', ')}`} | ${cell(p.namespaces.join(', ') || '-')} | ${p.cost.cpuMillicores} | ${p.cost.memoryMiB} |`),
    ...(r.otherNodes.nodeCount > 0 || r.otherNodes.namespaces.length > 0
      ? [`| (no pool) | - | ${r.otherNodes.nodeCount} | none | none | ${cell(r.otherNodes.namespaces.join(', ') || '-')} | 0 | 0 |`] : []),
    '',
    `Tiered: ${r.tieredCost.cpuMillicores} m CPU, ${r.tieredCost.memoryMiB} MiB. Full agents on every node: ${r.fullAgentsEverywhereCost.cpuMillicores} m CPU, ${r.fullAgentsEverywhereCost.memoryMiB} MiB.`,
    `Saving: ${r.saving.cpuMillicores} m CPU (${r.saving.cpuPercent}%), ${r.saving.memoryMiB} MiB memory (${r.saving.memoryPercent}%).`,
    '',
  ];
  return lines.join('\n');
}
