import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PolicyEvaluationReport, PolicyViolation } from './policy-report';
import { invalid } from '../private/errors';
import { writeReport } from '../private/output-layout';
import { oncePerSynth, trackSynth } from '../private/synth-cache';
import { UnmanagedNamespace } from '../tenancy/namespace-placement';
import { collectApiObjects } from './private/collect';
import { evaluatePolicies } from './private/engine';

/** Props of the synth-time policy gate. */
export interface PolicyGateProps {
  /**
   * File the report of warn and dryrun violations, not-evaluated constraints, exemptions and
   * unmanaged namespaces is written to, relative to the reports folder: beside the manifests
   * folder, never in it (`<outdir>-reports`, or the App context `cdk8s-devsecops:reportsDirectory`).
   * @default 'policy-report.json'
   */
  readonly reportFile?: string;
  /**
   * Whether to write the report file.
   * @default true
   */
  readonly writeReport?: boolean;
  /**
   * Fail synth when a constraint cannot be evaluated (Rego-only template, unsupported CEL
   * function, constraint without template).
   * @default false - they are listed in the report and on the console
   */
  readonly failOnNotEvaluated?: boolean;
  /**
   * Print no console summary.
   * @default false
   */
  readonly quiet?: boolean;
}

const GATE_ID = 'PolicyGate';

function describe(v: PolicyViolation): string {
  const where = v.objectNamespace ? `${v.objectNamespace}/${v.objectName}` : v.objectName;
  const from = v.expandedFrom ? ` (pod template of ${v.expandedFrom})` : '';
  return `${v.objectKind} ${where}${from} violates ${v.constraintKind} "${v.constraintName}" (${v.enforcement}): ${v.message}`;
}

/**
 * Evaluates the program's Gatekeeper constraints when the App synthesizes (from a
 * `node.addValidation`, which cdk8s runs before writing any file). A `deny` violation fails
 * synth with the offending object's construct path, the constraint and the message; `warn` and
 * `dryrun` violations are written to a JSON report in the reports folder beside the manifests folder (`<outdir>-reports`) and summarized on the
 * console. Nothing is written when synth fails.
 *
 * One gate per App, at its root: use `PolicyGate.of(scope)`.
 */
export class PolicyGate extends Construct {
  /** The gate of the App `scope` belongs to, created at the root on first use. */
  public static of(scope: IConstruct, props: PolicyGateProps = {}): PolicyGate {
    const root = scope.node.root;
    const existing = root.node.children.find((c) => c instanceof PolicyGate);
    if (existing) return existing as PolicyGate;
    return new PolicyGate(root as Construct, GATE_ID, props);
  }

  /** The report of the last evaluation (after synth). */
  public lastReport?: PolicyEvaluationReport;
  /**
   * Wall time of the last evaluation in milliseconds, for benchmarks (never written to the
   * report, which stays deterministic).
   */
  public lastEvaluationMillis?: number;

  private readonly props: PolicyGateProps;

  constructor(scope: Construct, id: string, props: PolicyGateProps = {}) {
    super(scope, id);
    this.props = props;
    const others = this.node.root.node.findAll().filter((c) => c instanceof PolicyGate && c !== this);
    if (others.length > 0) {
      invalid(this, 'PolicyGate', 'is already defined in this App', others[0].node.path,
        'use PolicyGate.of(scope) to reuse the existing gate');
    }
    // Evaluated once per App.synth(), not once per chart cdk8s writes (see synth-cache).
    trackSynth(this);
    this.node.addValidation({ validate: () => this.run() });
  }

  private run(): string[] {
    return oncePerSynth(this, this, () => this.evaluate(collectApiObjects(this)));
  }

  private evaluate(inputs: ReturnType<typeof collectApiObjects>): string[] {
    const started = process.hrtime.bigint();
    const report: PolicyEvaluationReport = {
      ...evaluatePolicies(inputs),
      unmanagedNamespaces: UnmanagedNamespace.of(this)
        .map((u) => ({ namespace: u.namespace, constructPath: u.node.path, reason: u.reason }))
        .sort((a, b) => (a.namespace + a.constructPath < b.namespace + b.constructPath ? -1 : 1)),
    };
    this.lastEvaluationMillis = Number(process.hrtime.bigint() - started) / 1e6;
    this.lastReport = report;
    const errors = report.violations
      .filter((v) => v.enforcement !== 'warn' && v.enforcement !== 'dryrun')
      .map((v) => `[${v.constructPath}] ${describe(v)}; fix the object, or exempt it with a PolicyExemption and a reason`);
    if (this.props.failOnNotEvaluated) {
      errors.push(...report.notEvaluated.map((n) => `[${n.constructPath}] ${n.constraintKind}${n.constraintName ? ` "${n.constraintName}"` : ''} was not evaluated: ${n.reason}`));
    }
    if (errors.length > 0) return errors;
    // Write only if the whole App validates: cdk8s collects every construct's errors before it
    // throws, so ask the other constructs now rather than leave a report of a failed synth.
    const othersFail = this.node.root.node.findAll().some((c) => c !== this && c.node.validate().length > 0);
    if (othersFail) return [];
    this.publish(report);
    return [];
  }

  private publish(report: PolicyEvaluationReport): void {
    const root = this.node.root;
    const file = this.props.reportFile ?? 'policy-report.json';
    let written: string | undefined;
    if (this.props.writeReport !== false && root instanceof App) written = writeReport(this, file, report);
    if (this.props.quiet) return;
    const s = report.summary;
    if (s.warn + s.dryrun + s.notEvaluated === 0) return;
    const lines = [`policy: ${s.constraints} constraints on ${s.objects} objects: ${s.warn} warn, ${s.dryrun} dryrun, ${s.notEvaluated} not evaluated${written ? ` (report: ${written})` : ''}`];
    for (const v of report.violations) lines.push(`  ${v.enforcement.toUpperCase()} [${v.constructPath}] ${describe(v)}`);
    for (const n of report.notEvaluated) lines.push(`  NOT EVALUATED [${n.constructPath}] ${n.constraintKind}: ${n.reason}`);
    console.warn(lines.join('\n'));
  }
}
