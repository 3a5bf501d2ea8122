import { ReviewObject } from './match-eval';

/** One rule: objects of these group/kinds create pods from the template at `templatePath`. */
export interface ExpansionRule {
  readonly name: string;
  readonly groups: string[];
  readonly kinds: string[];
  readonly templatePath: string;
  readonly generated: { readonly group: string; readonly version: string; readonly kind: string };
  readonly enforcementAction?: string;
}

/**
 * The workload kinds whose pod templates become pods. The evaluator always applies these: in a
 * cluster the pods are admitted when the controller creates them, so their violations are real
 * whether or not Gatekeeper's expansion reports them early.
 */
export const DEFAULT_EXPANSION_RULES: ExpansionRule[] = [
  { name: 'workload-pods', groups: ['apps'], kinds: ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], templatePath: 'spec.template', generated: { group: '', version: 'v1', kind: 'Pod' } },
  { name: 'replicationcontroller-pods', groups: [''], kinds: ['ReplicationController'], templatePath: 'spec.template', generated: { group: '', version: 'v1', kind: 'Pod' } },
  { name: 'job-pods', groups: ['batch'], kinds: ['Job'], templatePath: 'spec.template', generated: { group: '', version: 'v1', kind: 'Pod' } },
  { name: 'cronjob-pods', groups: ['batch'], kinds: ['CronJob'], templatePath: 'spec.jobTemplate.spec.template', generated: { group: '', version: 'v1', kind: 'Pod' } },
];

/** Kinds that run pods: Pod itself and every kind of the default rules. */
export const POD_RUNNING_KINDS: ReadonlySet<string> = new Set(['Pod', ...DEFAULT_EXPANSION_RULES.flatMap((r) => r.kinds)]);

/**
 * The pod spec an object runs: a Pod's own, or the pod template's of a kind the default rules
 * expand; undefined for anything else.
 */
export function podSpecOf(json: any): any {
  const apiVersion: string = json?.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (group === '' && json?.kind === 'Pod') return json.spec;
  const rule = DEFAULT_EXPANSION_RULES.find((r) => r.groups.includes(group) && r.kinds.includes(json?.kind));
  return rule ? get(json, rule.templatePath)?.spec : undefined;
}

/** Reads an ExpansionTemplate object (any served version) into a rule. */
export function ruleFromExpansionTemplate(json: any): ExpansionRule | undefined {
  const spec = json?.spec;
  if (!spec?.templateSource || !spec?.generatedGVK?.kind) return undefined;
  const applyTo: any[] = spec.applyTo ?? [];
  return {
    name: json?.metadata?.name ?? '',
    groups: applyTo.flatMap((a) => a.groups ?? []),
    kinds: applyTo.flatMap((a) => a.kinds ?? []),
    templatePath: spec.templateSource,
    generated: { group: spec.generatedGVK.group ?? '', version: spec.generatedGVK.version ?? '', kind: spec.generatedGVK.kind },
    enforcementAction: spec.enforcementAction,
  };
}

function get(obj: any, path: string): any {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/**
 * Expands `parent` into the objects its template creates, using the first rule that applies
 * (rules from the program's ExpansionTemplates come first, so their enforcementAction wins).
 */
export function expand(parent: ReviewObject, rules: ExpansionRule[]): ReviewObject[] {
  const rule = rules.find((r) => r.groups.includes(parent.group) && r.kinds.includes(parent.kind));
  if (!rule) return [];
  const template = get(parent.json, rule.templatePath);
  if (!template || typeof template !== 'object') return [];
  const gen = rule.generated;
  const name = `${parent.name}-${gen.kind.toLowerCase()}`;
  const metadata = { ...(template.metadata ?? {}), name, ...(parent.namespace !== undefined ? { namespace: parent.namespace } : {}) };
  const json = {
    apiVersion: gen.group ? `${gen.group}/${gen.version}` : gen.version,
    kind: gen.kind,
    ...template,
    metadata,
  };
  return [{
    json,
    path: parent.path,
    group: gen.group,
    version: gen.version,
    kind: gen.kind,
    name,
    namespace: parent.namespace,
    expandedFrom: { kind: parent.kind, name: parent.name, enforcementAction: rule.enforcementAction },
  }];
}
