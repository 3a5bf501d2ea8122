import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AuditPolicyRule } from './audit-policy';
import { FalcoOutput } from './falco-output';
import { FalcoFidelity, FalcoPoolInstance } from './falco-pool';
import { NodeTaintEffect, RuntimeAgentResources, RuntimeNodePool } from './node-pool';
import { platformAuditRules, renderAuditPolicy, requireAuditRule, unreachableAuditRules } from './private/audit-rules';
import { parseFalcoCondition } from './private/falco-condition';
import { checkRulesFile, FalcoRulesFile, platformRules, renderRulesFile } from './private/falco-rules';
import { place, podSpecsOf, selects, tolerates, tolerationOf } from './private/placement';
import { runtimeReport, runtimeReportMarkdown } from './private/report';
import { PlatformRuntimeProps } from './runtime-props';
import { RuntimeReport } from './runtime-report';
import { TenantTracingPolicy, TetragonEnforcement } from './tetragon-policy';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { UpstreamCharts } from '../install/upstream-charts';
import { PolicyCatalog } from '../policy/policy-catalog';
import { invalid, invalidMessage } from '../private/errors';
import { reportsDirectory, writeReport } from '../private/output-layout';
import { afterSynthWrite } from '../private/synth-cache';
import { isDnsLabel, quantityValue, requireCidr, requireCount, requireQuantity } from '../private/validate';
import { PodSecurityLevel } from '../tenancy/pod-security';
import { ITenant } from '../tenancy/tenant-props';
import { Tier } from '../tenancy/tier';
import { IWorkload } from '../workload/workload-props';

/** Props of `RuntimeSecurity`. */
export interface RuntimeSecurityProps extends PlatformRuntimeProps {
  /** Chart the platform's components go to (installs, Falco instances). */
  readonly components: Chart;
  /**
   * The policy catalog: its SENSITIVE node-placement constraint gets the SENSITIVE pool.
   * @default - no admission policy for placement
   */
  readonly policies?: PolicyCatalog;
}

const DEFAULTS = {
  falcoSensitive: { cpuRequest: '100m', cpuLimit: '1000m', memoryRequest: '512Mi', memoryLimit: '1024Mi' },
  falcoStandard: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
  tetragon: { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
};
const TIER_RANK: { [t: string]: number } = { [Tier.SENSITIVE]: 0, [Tier.STANDARD]: 1, [Tier.DEV]: 2 };

/**
 * The runtime layer of the platform. Tiers become node pools: every workload of a tenant, and
 * every pod-running object of its chart, gets the node selector and toleration of its tier's
 * pool. Falco runs per pool through the falco-operator (full upstream rules plus the platform's
 * rules scoped to SENSITIVE namespaces on the SENSITIVE pool, upstream WARNING-and-above on the
 * STANDARD pool, nothing on DEV); Tetragon runs on the SENSITIVE pool with a
 * `TracingPolicyNamespaced` per SENSITIVE tenant. The API-server audit policy and the runtime
 * report (`runtime-report.json` and `.md`) are written beside the reports after synth.
 *
 * `DevSecOpsPlatform` builds it from `props.runtime` (through its runtime layer,
 * `src/runtime/platform-runtime.ts`) and hands it every tenant (`onTenant`) and workload
 * (`onWorkload`); `checks()` is its whole-App check, run once per synth. Reach it as
 * `platform.runtime`.
 */
export class RuntimeSecurity extends Construct {

  /** The node pools. */
  public readonly nodePools: RuntimeNodePool[];
  /** The falco-operator install, when a pool runs Falco. */
  public readonly falcoOperator?: FluxHelmInstall;
  /** Falco per pool that runs it. */
  public readonly falcoInstances: FalcoPoolInstance[] = [];
  /** The Tetragon install, on the SENSITIVE pool. */
  public readonly tetragon?: FluxHelmInstall;
  /** File name of the audit policy (beside the reports). */
  public readonly auditPolicyFileName: string;

  private readonly props: RuntimeSecurityProps;
  private readonly tenantList: ITenant[] = [];
  private readonly workloadsByTenant = new Map<string, IWorkload[]>();
  private readonly enforcement = new Map<string, TetragonEnforcement>();
  private readonly defaultEnforcement: TetragonEnforcement;
  private readonly auditRules: AuditPolicyRule[];
  private readonly falcoResources: { [fidelity: string]: RuntimeAgentResources };
  private readonly tetragonResources: RuntimeAgentResources;
  private readonly output: FalcoOutput;
  private readonly egress: string[];
  private readonly secretPaths: string[];

  constructor(scope: Construct, id: string, props: RuntimeSecurityProps) {
    super(scope, id);
    this.props = props;
    this.nodePools = this.validatePools(props.nodePools);
    requireCount(this, 'otherNodeCount', props.otherNodeCount ?? 0, 0, 'count the nodes in no pool, or leave it unset for 0');
    const falco = props.falco ?? {};
    this.falcoResources = {
      [FalcoFidelity.FULL]: this.resources('falco.sensitiveResources', falco.sensitiveResources ?? DEFAULTS.falcoSensitive),
      [FalcoFidelity.REDUCED]: this.resources('falco.standardResources', falco.standardResources ?? DEFAULTS.falcoStandard),
    };
    this.tetragonResources = this.resources('tetragon.resources', props.tetragon?.resources ?? DEFAULTS.tetragon);
    this.output = falco.output ?? FalcoOutput.stdoutJson();
    if (!(this.output instanceof FalcoOutput)) {
      invalid(this, 'falco.output', 'must be a FalcoOutput', this.output, 'use FalcoOutput.stdoutJson(), .webhook(url) or .falcosidekick(url)');
    }
    this.egress = (falco.expectedEgressNetworks ?? []).map((c, i) => requireCidr(this, `falco.expectedEgressNetworks[${i}]`, c));
    this.secretPaths = ['/var/run/secrets', ...(falco.secretMountPaths ?? []).map((p, i) => {
      if (typeof p !== 'string' || !/^\/[A-Za-z0-9._/-]+$/.test(p) || p.includes('//')) {
        invalid(this, `falco.secretMountPaths[${i}]`, 'must be an absolute directory path', p, 'e.g. "/etc/secrets"');
      }
      return p.replace(/\/+$/, '');
    })].filter((p, i, a) => a.indexOf(p) === i);
    // The program's own rules are checked now (their validity does not depend on the tenants).
    const own = checkRulesFile(this.extraRules(['example']));
    if (own.length > 0) {
      invalid(this, 'falco.additionalRules', `has a rule Falco would not load: ${own[0]}`, own.length > 1 ? own : own[0],
        'use fields of Falco\'s syscall source and macros and lists of the pinned upstream ruleset or of additionalMacros/additionalLists');
    }
    this.defaultEnforcement = props.tetragon?.enforcement ?? TetragonEnforcement.KILL_SHELLS;
    if (!Object.values(TetragonEnforcement).includes(this.defaultEnforcement)) {
      invalid(this, 'tetragon.enforcement', 'must be a TetragonEnforcement', this.defaultEnforcement, 'use TetragonEnforcement.KILL_SHELLS or RECORD_ONLY');
    }
    const audit = props.audit ?? {};
    this.auditPolicyFileName = audit.fileName ?? 'kube-apiserver-audit-policy.json';
    if (!/^[a-z0-9][a-z0-9._-]*\.json$/.test(this.auditPolicyFileName)) {
      invalid(this, 'audit.fileName', 'must be a plain .json file name (kube-apiserver reads JSON; a .yaml beside manifests is read as an API object)',
        this.auditPolicyFileName, 'e.g. "kube-apiserver-audit-policy.json"');
    }
    this.auditRules = (audit.additionalRules ?? []).map((r, i) => {
      requireAuditRule(this.node.path, `audit.additionalRules[${i}]`, r);
      return r;
    });

    const version = falco.version ?? '0.44.1';
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
      invalid(this, 'falco.version', 'must be an exact Falco release (major.minor.patch)', version, 'e.g. "0.44.1"');
    }
    const falcoPools = this.nodePools.filter((p) => this.fidelityOf(p) !== undefined);
    if (falcoPools.length > 0) {
      this.falcoOperator = new FluxHelmInstall(props.components, 'falco-operator', {
        chart: UpstreamCharts.FALCO_OPERATOR,
        // The operator's own pod passes restricted; the Falco DaemonSets run in the pools' namespaces.
        podSecurity: PodSecurityLevel.RESTRICTED,
      });
    }
    for (const pool of falcoPools) {
      const fidelity = this.fidelityOf(pool)!;
      this.falcoInstances.push(new FalcoPoolInstance(props.components, `falco-${pool.name}`, {
        pool,
        fidelity,
        resources: this.falcoResources[fidelity],
        output: this.output,
        version,
        _platformRules: fidelity === FalcoFidelity.FULL ? () => renderRulesFile(this.rulesFile()) : undefined,
      }));
    }
    const sensitivePool = this.poolOf(Tier.SENSITIVE);
    if (sensitivePool && props.tetragon?.enabled !== false) {
      const r = this.tetragonResources;
      this.tetragon = new FluxHelmInstall(props.components, 'tetragon', {
        chart: UpstreamCharts.TETRAGON,
        values: {
          nodeSelector: { ...sensitivePool.nodeLabels },
          tolerations: [tolerationOf(sensitivePool)],
          tetragon: {
            enablePolicyFilter: true,
            resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { cpu: r.cpuLimit, memory: r.memoryLimit } },
          },
        },
      });
    }
    if (sensitivePool && props.policies) {
      const t = tolerationOf(sensitivePool);
      const tolerations = t ? [{ key: t.key, value: t.value, effect: t.effect }] : [];
      props.policies.requireNodePlacement(Tier.SENSITIVE, { ...sensitivePool.nodeLabels }, tolerations);
    }
    afterSynthWrite(this, this, () => this.writeFiles());
  }

  /** The pool of `tier`, if it has one. */
  public poolOf(tier: Tier): RuntimeNodePool | undefined {
    return this.nodePools.find((p) => p.tiers.includes(tier));
  }

  /** Namespaces of the pools' Falco instances (no tenant may take them). */
  public get componentNamespaces(): string[] {
    return this.falcoInstances.map((f) => f.namespace);
  }

  /** Adds a tenant: its Tetragon policy when it is SENSITIVE, and its pods to the placement pass. */
  public onTenant(tenant: ITenant): void {
    if (this.componentNamespaces.includes(tenant.namespaceName)) {
      invalid(tenant, 'name', 'is the namespace of a node pool\'s Falco', tenant.namespaceName, 'choose another tenant name');
    }
    this.tenantList.push(tenant);
    this.workloadsByTenant.set(tenant.namespaceName, []);
    if (tenant.tier === Tier.SENSITIVE && this.tetragon) {
      new TenantTracingPolicy(tenant, 'RuntimeTracingPolicy', {
        tenant,
        _enforcement: () => this.tetragonEnforcementOf(tenant),
        _workloads: () => this.workloadsByTenant.get(tenant.namespaceName) ?? [],
      });
    }
  }

  /** Adds a workload: the node selector and toleration of its tier's pool. */
  public onWorkload(workload: IWorkload): void {
    const list = this.workloadsByTenant.get(workload.tenant.namespaceName);
    if (!list) {
      invalid(workload, 'tenant', 'is not a tenant the runtime layer knows', workload.tenant.namespaceName, 'add the tenant through the platform first');
    }
    list.push(workload);
    const pool = this.poolOf(workload.tenant.tier);
    if (!pool) return;
    for (const [k, v] of Object.entries(pool.nodeLabels).sort(([a], [b]) => a.localeCompare(b))) workload.addNodeSelector(k, v);
    const t = tolerationOf(pool);
    if (t) workload.addToleration({ key: t.key, value: t.value, effect: t.effect });
  }

  /**
   * Security (when `RECORD_ONLY`): the Tetragon enforcement of one SENSITIVE tenant, instead of
   * the platform's. Refused for other tiers: Tetragon runs only on the SENSITIVE pool.
   */
  public setTetragonEnforcement(tenant: ITenant, enforcement: TetragonEnforcement): void {
    if (tenant?.tier !== Tier.SENSITIVE) {
      invalid(tenant ?? this, 'tetragonEnforcement', `is only for SENSITIVE tenants: Tetragon runs on the SENSITIVE pool only, and this tenant is ${tenant?.tier}`,
        enforcement, 'move the tenant to Tier.SENSITIVE, or leave enforcement to the SENSITIVE tier');
    }
    if (!Object.values(TetragonEnforcement).includes(enforcement)) {
      invalid(tenant, 'tetragonEnforcement', 'must be a TetragonEnforcement', enforcement, 'use TetragonEnforcement.KILL_SHELLS or RECORD_ONLY');
    }
    this.enforcement.set(tenant.namespaceName, enforcement);
  }

  /** Tetragon enforcement of a SENSITIVE tenant. */
  public tetragonEnforcementOf(tenant: ITenant): TetragonEnforcement {
    return this.enforcement.get(tenant.namespaceName) ?? this.defaultEnforcement;
  }

  /**
   * The whole-App checks, naming both sides; call once per synth. First places every pod-running
   * object of every tenant's chart on its tier's pool, then checks: every SENSITIVE tenant is
   * covered by Falco and Tetragon; no DEV namespace is in a SENSITIVE-pool rule's scope; every pod
   * runs where its tier's pool is; the Falco rules load; no audit rule is unreachable.
   */
  public checks(): string[] {
    const errors: string[] = [];
    const sensitivePool = this.poolOf(Tier.SENSITIVE);
    for (const t of this.tenantList.filter((x) => x.tier === Tier.SENSITIVE)) {
      if (!sensitivePool) {
        errors.push(invalidMessage(t, 'tier', 'is SENSITIVE but no node pool hosts SENSITIVE: Falco and Tetragon cover no node it runs on', t.tier,
          'add a node pool with tiers [Tier.SENSITIVE] to runtime.nodePools'));
      } else if (!this.tetragon) {
        errors.push(invalidMessage(t, 'tier', `is SENSITIVE but Tetragon is not installed on pool "${sensitivePool.name}"`, t.tier, 'leave runtime.tetragon.enabled unset (true)'));
      } else if (!(t.node.tryFindChild('RuntimeTracingPolicy') instanceof TenantTracingPolicy)) {
        errors.push(invalidMessage(t, 'tier', `is SENSITIVE but has no Tetragon TracingPolicyNamespaced (${this.node.path} adds it to every SENSITIVE tenant)`, t.tier,
          'do not remove the tenant\'s RuntimeTracingPolicy'));
      }
    }
    const file = this.rulesFile();
    for (const p of checkRulesFile(file)) errors.push(invalidMessage(this, 'falco rules', p, '<generated rules>', 'fix the rule, or the macro or list it names'));
    const dev = new Set(this.tenantList.filter((t) => t.tier === Tier.DEV).map((t) => t.namespaceName));
    for (const r of file.rules) {
      for (const ns of namespacesNamed(r.condition, file)) {
        if (dev.has(ns)) {
          errors.push(invalidMessage(this, `falco rule "${r.name}"`, `scopes DEV namespace "${ns}" into a high-fidelity rule of the SENSITIVE pool`, ns,
            'DEV tenants get no syscall capture: scope the rule to SENSITIVE namespaces'));
        }
      }
    }
    errors.push(...this.placePods());
    for (const p of unreachableAuditRules(this.renderAuditRules())) {
      errors.push(invalidMessage(this, 'audit.additionalRules', p, '<audit policy>', 'move the more specific rule first, or narrow the earlier one'));
    }
    return errors;
  }

  /** The runtime report (pools, agents, rules, namespaces, cost). */
  public report(): RuntimeReport {
    return runtimeReport({
      pools: this.nodePools.map((pool) => ({
        pool,
        fidelity: this.fidelityOf(pool),
        falco: this.fidelityOf(pool) ? this.falcoResources[this.fidelityOf(pool)!] : undefined,
        tetragon: pool === this.poolOf(Tier.SENSITIVE) && this.tetragon ? this.tetragonResources : undefined,
      })),
      platformRules: this.rulesFile().rules,
      tenants: this.tenantList.map((t) => ({ namespace: t.namespaceName, tier: t.tier })),
      otherNodeCount: this.props.otherNodeCount ?? 0,
      fullAgents: { falco: this.falcoResources[FalcoFidelity.FULL], tetragon: this.tetragonResources },
    });
  }

  /** The audit policy (`audit.k8s.io/v1` Policy) as JSON. */
  public auditPolicy(): any {
    return renderAuditPolicy(this.renderAuditRules());
  }

  private renderAuditRules(): AuditPolicyRule[] {
    const ns = (tier?: Tier) => this.tenantList.filter((t) => tier === undefined || t.tier === tier).map((t) => t.namespaceName).sort();
    return platformAuditRules({ sensitiveNamespaces: ns(Tier.SENSITIVE), tenantNamespaces: ns(), additionalRules: this.auditRules });
  }

  private rulesFile(): FalcoRulesFile {
    return this.extraRules(this.tenantList.filter((t) => t.tier === Tier.SENSITIVE).map((t) => t.namespaceName).sort());
  }

  private extraRules(sensitiveNamespaces: string[]): FalcoRulesFile {
    const base = platformRules({ sensitiveNamespaces, expectedEgressNetworks: this.egress, secretMountPaths: this.secretPaths });
    const f = this.props.falco ?? {};
    return {
      lists: [...base.lists, ...(f.additionalLists ?? [])],
      macros: [...base.macros, ...(f.additionalMacros ?? [])],
      rules: [...base.rules, ...(f.additionalRules ?? [])],
    };
  }

  private fidelityOf(pool: RuntimeNodePool): FalcoFidelity | undefined {
    if (pool.tiers.includes(Tier.SENSITIVE)) return FalcoFidelity.FULL;
    if (pool.tiers.includes(Tier.STANDARD)) return FalcoFidelity.REDUCED;
    return undefined;
  }

  /** Places the pods of every tenant's chart on its tier's pool and reports those that are elsewhere. */
  private placePods(): string[] {
    const errors: string[] = [];
    for (const tenant of this.tenantList) {
      const pool = this.poolOf(tenant.tier);
      for (const ref of podSpecsOf(tenant)) {
        if (pool) place(ref, pool);
        const name = `${ref.json.kind} ${ref.json.metadata?.name}`;
        if (pool && !(selects(ref.spec, pool) && tolerates(ref.spec, pool))) {
          errors.push(invalidMessage(ref.path, 'placement', `${name} of ${tenant.tier} tenant "${tenant.namespaceName}" does not run on pool "${pool.name}"`,
            { nodeSelector: ref.spec.nodeSelector ?? {}, tolerations: ref.spec.tolerations ?? [] },
            `select ${JSON.stringify(pool.nodeLabels)}${pool.taint ? ` and tolerate ${pool.taint.key}=${pool.taint.value}` : ''}, or remove the conflicting nodeSelector`));
        }
        for (const other of this.nodePools.filter((p) => p !== pool && selects(ref.spec, p))) {
          errors.push(invalidMessage(ref.path, 'placement', `${name} of ${tenant.tier} tenant "${tenant.namespaceName}" selects pool "${other.name}" of tiers ${other.tiers.join(', ')}`,
            ref.spec.nodeSelector, pool ? `run it on pool "${pool.name}"` : 'remove the pool\'s labels from its nodeSelector'));
        }
      }
    }
    return errors;
  }

  private writeFiles(): void {
    const report = this.report();
    writeReport(this, 'runtime-report.json', report);
    const dir = reportsDirectory(this);
    fs.writeFileSync(path.join(dir, 'runtime-report.md'), runtimeReportMarkdown(report));
    // JSON, which kube-apiserver reads like YAML: manifest validators and GitOps tools that
    // take every .yaml of a folder as an API object do not mistake it for one.
    writeReport(this, this.auditPolicyFileName, this.auditPolicy());
  }

  private validatePools(pools: RuntimeNodePool[]): RuntimeNodePool[] {
    if (!Array.isArray(pools) || pools.length === 0) {
      invalid(this, 'nodePools', 'must list at least one node pool', pools, 'e.g. [{ name: "sensitive", tiers: [Tier.SENSITIVE], nodeLabels: {...}, taint: {...}, nodeCount: 3 }]');
    }
    const seenTier = new Map<Tier, string>();
    const names = new Set<string>();
    pools.forEach((p, i) => {
      const prop = `nodePools[${i}]`;
      if (!isDnsLabel(p?.name ?? '') || p.name.length > 57) invalid(this, `${prop}.name`, 'must be a DNS label of at most 57 characters (the pool\'s Falco namespace is falco-<name>)', p?.name, 'e.g. "sensitive"');
      if (names.has(p.name)) invalid(this, `${prop}.name`, 'is the name of another pool', p.name, 'give every pool a distinct name');
      names.add(p.name);
      if (!Array.isArray(p.tiers) || p.tiers.length === 0 || p.tiers.some((t) => !Object.values(Tier).includes(t))) {
        invalid(this, `${prop}.tiers`, 'must list the tiers whose pods run on the pool', p.tiers, 'e.g. [Tier.STANDARD, Tier.DEV]');
      }
      for (const t of p.tiers) {
        if (seenTier.has(t)) invalid(this, `${prop}.tiers`, `puts tier ${t} on a second pool (it is on pool "${seenTier.get(t)}")`, p.tiers, 'give each tier at most one pool');
        seenTier.set(t, p.name);
      }
      if (p.tiers.includes(Tier.SENSITIVE) && p.tiers.length > 1) {
        invalid(this, `${prop}.tiers`, 'mixes SENSITIVE with other tiers: the pool\'s full-fidelity agents and rules would watch their pods too, and SENSITIVE pods would share nodes with them', p.tiers,
          'give SENSITIVE its own pool');
      }
      const labels = Object.entries(p.nodeLabels ?? {});
      if (labels.length === 0) invalid(this, `${prop}.nodeLabels`, 'must name at least one node label', p.nodeLabels, 'e.g. { "devsecops.cdk8s.io/pool": "sensitive" }');
      for (const [k, v] of labels) {
        if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k) || typeof v !== 'string' || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v) || v.length > 63) {
          invalid(this, `${prop}.nodeLabels`, 'must be Kubernetes label keys and values', { [k]: v }, 'e.g. { "devsecops.cdk8s.io/pool": "sensitive" }');
        }
      }
      if (p.tiers.includes(Tier.SENSITIVE)) {
        if (!p.taint) {
          invalid(this, `${prop}.taint`, 'is required for a SENSITIVE pool: without a taint other tiers\' pods are scheduled beside payments', p.taint,
            'taint the pool\'s nodes and declare it, e.g. { key: "devsecops.cdk8s.io/tier", value: "sensitive" }');
        }
        if (p.taint.effect === NodeTaintEffect.PREFER_NO_SCHEDULE) {
          invalid(this, `${prop}.taint.effect`, 'must keep other pods off a SENSITIVE pool', p.taint.effect, 'use NodeTaintEffect.NO_SCHEDULE or NO_EXECUTE');
        }
      }
      if (p.taint) {
        if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(p.taint.key ?? '') || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(p.taint.value ?? '')) {
          invalid(this, `${prop}.taint`, 'must have a label-like key and value', p.taint, 'e.g. { key: "devsecops.cdk8s.io/tier", value: "sensitive" }');
        }
        if (p.taint.effect !== undefined && !Object.values(NodeTaintEffect).includes(p.taint.effect)) {
          invalid(this, `${prop}.taint.effect`, 'must be a NodeTaintEffect', p.taint.effect, 'use NodeTaintEffect.NO_SCHEDULE');
        }
      }
      requireCount(this, `${prop}.nodeCount`, p.nodeCount, 0, 'give the number of nodes of the pool');
    });
    return [...pools].sort((a, b) => Math.min(...a.tiers.map((t) => TIER_RANK[t])) - Math.min(...b.tiers.map((t) => TIER_RANK[t])));
  }

  private resources(prop: string, r: RuntimeAgentResources): RuntimeAgentResources {
    for (const k of ['cpuRequest', 'cpuLimit', 'memoryRequest', 'memoryLimit'] as const) requireQuantity(this, `${prop}.${k}`, r?.[k]);
    if (quantityValue(r.cpuRequest) > quantityValue(r.cpuLimit) || quantityValue(r.memoryRequest) > quantityValue(r.memoryLimit)) {
      invalid(this, prop, 'has a request above its limit', r, 'keep every request at or below its limit');
    }
    return r;
  }
}

/** Namespace names a condition compares `k8s.ns.name` with, lists expanded. */
function namespacesNamed(condition: string, file: FalcoRulesFile): string[] {
  const out: string[] = [];
  const lists = new Map(file.lists.map((l) => [l.name, l.items]));
  const macros = new Map(file.macros.map((m) => [m.name, m.condition]));
  const seen = new Set<string>();
  const walk = (src: string, negated: boolean) => {
    let expr;
    try { expr = parseFalcoCondition(src); } catch { return; }
    // A comparison under "not" excludes the namespace from the scope: only positive ones count.
    const visit = (e: any, neg: boolean): void => {
      if (e.kind === 'and' || e.kind === 'or') {
        e.items.forEach((x: any) => visit(x, neg));
      } else if (e.kind === 'not') {
        visit(e.expr, !neg);
      } else if (e.kind === 'macro' && macros.has(e.name) && !seen.has(`${neg}:${e.name}`)) {
        seen.add(`${neg}:${e.name}`);
        walk(macros.get(e.name)!, neg);
      } else if (e.kind === 'check' && e.field === 'k8s.ns.name' && !neg && ['=', '==', 'in'].includes(e.op)) {
        for (const v of e.values ?? (e.value !== undefined ? [e.value] : [])) out.push(...(lists.get(v) ?? [v]));
      }
    };
    visit(expr, negated);
  };
  walk(condition, false);
  return out;
}
