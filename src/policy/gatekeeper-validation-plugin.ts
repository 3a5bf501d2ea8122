import { evaluatePolicies, InputObject } from './private/engine';
import { chainRenderedObjects } from '../private/rendered-objects';

/** Properties of the cdk8s-cli validation plugin (the `properties` of its cdk8s.yaml entry). */
export interface GatekeeperValidationPluginProps {
  /**
   * Fail the validation on `warn` and `dryrun` violations too.
   * @default false - only `deny` violations fail
   */
  readonly failOnWarn?: boolean;
}

/**
 * The synth-time policy evaluator as a cdk8s-cli validation plugin. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-devsecops
 *     version: <version>
 *     class: GatekeeperValidationPlugin
 * ```
 *
 * Run `cdk8s synth` with `CDK8S_RECORD_CONSTRUCT_METADATA=true` so violations are reported by
 * construct path. It evaluates the ConstraintTemplates and constraints found in the synthesized
 * manifests, exactly as the in-process `PolicyGate` does.
 */
export class GatekeeperValidationPlugin {
  private readonly failOnWarn: boolean;

  constructor(props: GatekeeperValidationPluginProps = {}) {
    this.failOnWarn = props.failOnWarn ?? false;
  }

  /**
   * Runs the evaluation on the manifests of a cdk8s-cli `ValidationContext` and submits the
   * report (typed `any` so the library does not depend on cdk8s-cli at runtime).
   */
  public async validate(context: any): Promise<void> {
    const metadata: Record<string, { path: string }> = context.metadata ?? {};
    const inputs: Array<InputObject & { manifest: string }> = [];
    for (const manifest of context.manifests as string[]) {
      for (const json of context.parseManifest(manifest) as any[]) {
        if (!json || typeof json !== 'object') continue;
        const name = json.metadata?.name ?? '';
        const path = metadata[name]?.path ?? `${json.kind}/${json.metadata?.namespace ? json.metadata.namespace + '/' : ''}${name}`;
        inputs.push({ json, path, manifest }, ...chainRenderedObjects(json, path).map((r) => ({ ...r, manifest })));
      }
    }
    const manifestOf = new Map(inputs.map((i) => [i.path, i.manifest]));
    const report = evaluatePolicies(inputs);
    const byRule = new Map<string, typeof report.violations>();
    for (const v of report.violations) {
      const rule = `${v.constraintKind}/${v.constraintName} (${v.enforcement})`;
      if (!byRule.has(rule)) byRule.set(rule, []);
      byRule.get(rule)!.push(v);
    }
    for (const [rule, violations] of byRule) {
      context.report.addViolation({
        ruleName: rule,
        recommendation: [...new Set(violations.map((v) => v.message))].join('; '),
        fix: 'fix the object, or exempt it with a PolicyExemption and a reason',
        violatingResources: violations.map((v) => ({
          // the construct metadata is keyed by object name: a pod judged from a template is the workload's
          resourceName: v.expandedFrom ? v.expandedFrom.slice(v.expandedFrom.indexOf('/') + 1) : v.objectName,
          locations: [v.expandedFrom ? `${v.expandedFrom} pod template` : `${v.objectKind}/${v.objectName}`],
          manifestPath: manifestOf.get(v.constructPath) ?? '',
        })),
      });
    }
    for (const n of report.notEvaluated) context.logger?.log?.(`not evaluated: ${n.constraintKind}${n.constraintName ? ` ${n.constraintName}` : ''}: ${n.reason}`);
    const s = report.summary;
    const failed = s.deny > 0 || (this.failOnWarn && s.warn + s.dryrun > 0);
    context.report.submit(failed ? 'failure' : 'success', {
      constraints: String(s.constraints),
      objects: String(s.objects),
      deny: String(s.deny),
      warn: String(s.warn),
      dryrun: String(s.dryrun),
      notEvaluated: String(s.notEvaluated),
    });
  }
}
