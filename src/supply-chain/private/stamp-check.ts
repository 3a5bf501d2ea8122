import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Cartographer's `$(...)$` expressions in a template, as the paths they read. */
function expressions(value: unknown, out: Set<string>): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\$\(([^()$]+?)\)\$/g)) out.add(m[1].trim());
  } else if (Array.isArray(value)) {
    for (const v of value) expressions(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) expressions(v, out);
  }
  return out;
}

/** The value at a dotted path (`spec.source.git.url`), or undefined. */
function at(obj: any, path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/**
 * What Cartographer could not stamp for a workload: a template expression reading a workload field
 * the Workload does not set (`$(workload.spec.x)$`), or a parameter the template does not declare
 * (`$(params.x)$`, which only resolves through the template's own `spec.params`). Cartographer
 * stops the workload's chain at that stage ("tag must not point to nil value"); the library says
 * so at synth. Expressions of the inputs a stage receives at run time (`sources`, `images`,
 * `config`) and of a run template (`runnable`) are not judged here.
 */
export function checkStamping(template: ApiObject, workload: ApiObject): string[] {
  const json = template.toJson();
  const declared = new Set<string>((json.spec?.params ?? []).map((p: any) => p?.name));
  const workloadJson = workload.toJson();
  const errors: string[] = [];
  for (const expr of [...expressions(json.spec?.template ?? json.spec?.ytt ?? {}, new Set())].sort()) {
    const [root, ...rest] = expr.split('.');
    if (root === 'params') {
      const name = rest[0]?.replace(/\[.*$/, '');
      if (!declared.has(name)) {
        errors.push(`[${template.node.path}] template "${json.metadata.name}" reads $(${expr})$, but declares no parameter "${name}"; `
          + 'declare it in the template\'s spec.params with a default');
      }
    } else if (root === 'workload' && !rest.some((k) => k.includes('['))) {
      if (at(workloadJson, rest) === undefined) {
        errors.push(`[${template.node.path}] template "${json.metadata.name}" reads $(${expr})$, which [${workload.node.path}] workload "${workloadJson.metadata.name}" does not set; `
          + 'Cartographer would stop its chain at this stage: set the field on the workload, or read it through a parameter with a default');
      }
    }
  }
  return errors;
}

/** The templates a chain construct writes (every ApiObject under it whose kind ends in Template, run templates aside). */
export function chainTemplates(chain: IConstruct): ApiObject[] {
  return chain.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && /^Cluster(Source|Image|Config)?Template$/.test(c.kind));
}
