import { IConstruct } from 'constructs';
import { PolicyEvaluationReport } from './policy-report';
import { collectApiObjects } from './private/collect';
import { evaluatePolicies } from './private/engine';

/**
 * Runs every Gatekeeper constraint of a program against every object its match block selects,
 * as Gatekeeper would at admission: CEL (`K8sNativeValidation`) code of any template, not only
 * the catalog's; Gatekeeper's bindings (`object`, `oldObject`, `params`, `request`,
 * `namespaceObject`, `variables.params`, `variables.anyObject`); namespace selectors resolved
 * against the program's Namespace objects; pod templates of workloads judged as the pods they
 * create; the Gatekeeper `Config` exclusions honoured. Templates with only Rego, or with CEL
 * functions the evaluator does not implement, are reported as not evaluated.
 *
 * Each CEL expression is compiled once per process; objects are indexed by kind.
 */
export class PolicyEvaluator {
  /** Evaluates every ApiObject in the construct tree that `scope` belongs to. */
  public static evaluateApp(scope: IConstruct): PolicyEvaluationReport {
    return evaluatePolicies(collectApiObjects(scope));
  }

  /**
   * Evaluates plain manifests (already synthesized). `constructPaths` gives each manifest's
   * construct path by index; missing entries use `<Kind>/<namespace>/<name>`.
   */
  public static evaluateManifests(manifests: any[], constructPaths?: string[]): PolicyEvaluationReport {
    return evaluatePolicies(manifests.map((json, i) => ({
      json,
      path: constructPaths?.[i] ?? `${json?.kind}/${json?.metadata?.namespace ? json.metadata.namespace + '/' : ''}${json?.metadata?.name}`,
    })));
  }

  private constructor() {}
}
