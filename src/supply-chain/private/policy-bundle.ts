/**
 * The policy bundle policy-check hands gator: the platform's ConstraintTemplates,
 * ExpansionTemplates and Constraints, plus the Namespace the workload runs in (gator needs it to
 * match the tier constraints' namespaceSelector). Rendered at synth from the same objects the
 * platform installs, so the chain and admission judge with the same policies.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BUNDLE_FILES } from './templates';
import { apiGroupOf } from '../../private/api-scope';

/** The API groups of the objects a bundle carries, by bundle file. */
const GROUP_FILES: { [group: string]: (typeof BUNDLE_FILES)[number] } = {
  'templates.gatekeeper.sh': 'templates.yaml',
  'expansion.gatekeeper.sh': 'expansions.yaml',
  'constraints.gatekeeper.sh': 'constraints.yaml',
};

/** A policy object, by its identity and its manifest. */
export interface PolicyObject {
  readonly key: string;
  readonly path: string;
  readonly json: any;
}

/** The policy objects (templates, expansions, constraints) under `scope`, sorted by identity. */
export function policyObjects(scope: IConstruct): PolicyObject[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && GROUP_FILES[apiGroupOf(c.apiVersion)] !== undefined)
    .map((o) => ({ key: `${apiGroupOf(o.apiVersion)}/${o.kind}/${o.name}`, path: o.node.path, json: o.toJson() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One YAML stream of JSON documents (gator splits on `---` lines). */
function stream(objects: any[]): string {
  return objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
}

/** The policy files of a bundle (every file but the namespace), in BUNDLE_FILES order. */
export function policyFiles(objects: PolicyObject[]): string[] {
  const data: { [file: string]: string } = {};
  for (const file of BUNDLE_FILES) data[file] = '';
  for (const o of objects) data[GROUP_FILES[o.key.split('/')[0]]] += stream([o.json]);
  return BUNDLE_FILES.filter((f) => f !== 'namespace.yaml').map((f) => data[f]);
}

/** The ConfigMap data of a bundle: the policy files (from `policyFiles`) and the namespace. */
export function bundleData(files: string[], namespace: any): { [file: string]: string } {
  const names = BUNDLE_FILES.filter((f) => f !== 'namespace.yaml');
  const data: { [file: string]: string } = {};
  names.forEach((f, i) => { data[f] = files[i]; });
  data['namespace.yaml'] = stream([namespace]);
  return data;
}
