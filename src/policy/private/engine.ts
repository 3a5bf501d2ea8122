/**
 * The synth-time policy engine: runs every Gatekeeper constraint's K8sNativeValidation (CEL)
 * program against every object its match block selects, with Gatekeeper's CEL bindings.
 */
import {
  PolicyEvaluationReport, PolicyExemptionRecord, PolicyImagePullGrantRecord, PolicyNotEvaluated, PolicyViolation, PolicyWeakeningRecord,
} from '../policy-report';
import { IMAGE_PULL_GRANTS_ANNOTATION } from './annotations';
import { CelCompileError, CelProgram, compileCel, fromCel, toCelValue as toCel } from './cel';
import { DEFAULT_EXPANSION_RULES, ExpansionRule, expand, ruleFromExpansionTemplate } from './expansion';
import { globMatches, kindsMatch, matchSelects, ReviewObject, splitApiVersion } from './match-eval';
import { ScopeResolver } from './scope';
import { Weakening } from '../../tenancy/weakening';

/** An object of the program with the construct path it came from. */
export interface InputObject {
  readonly json: any;
  readonly path: string;
}

const CEL_ENGINE = 'K8sNativeValidation';
const EXEMPTIONS_ANNOTATION = 'devsecops.cdk8s.io/exemptions';
/** On an object other than a constraint or Config: which object its exemptions apply to (the Gatekeeper install's webhook). */
export const EXEMPTIONS_TARGET_ANNOTATION = 'devsecops.cdk8s.io/exemptions-applied-to';
/** Gatekeeper's own variables, prepended to every template's. */
const PARAMS_EXPR = 'has(params.spec) && has(params.spec.parameters) ? params.spec.parameters : null';
const ANY_OBJECT_EXPR = 'object == null ? oldObject : object';

interface CompiledValidation { expression: string; program: CelProgram; message?: string; messageProgram?: CelProgram }
interface CompiledTemplate {
  readonly kind: string;
  readonly path: string;
  readonly variables: Array<{ name: string; program: CelProgram }>;
  readonly matchConditions: Array<{ name: string; program: CelProgram }>;
  readonly validations: CompiledValidation[];
  readonly notEvaluated?: string;
}

/** Programs compiled once per expression for the life of the process. */
const PROGRAMS = new Map<string, CelProgram>();
function program(expression: string, where: string): CelProgram {
  let p = PROGRAMS.get(expression);
  if (!p) { p = compileCel(expression, where); PROGRAMS.set(expression, p); }
  return p;
}

/** How many distinct CEL expressions have been compiled (for tests of compile-once). */
export function compiledProgramCount(): number {
  return PROGRAMS.size;
}

function compileTemplate(json: any, path: string): CompiledTemplate {
  const kind: string = json?.spec?.crd?.spec?.names?.kind ?? '';
  const name: string = json?.metadata?.name ?? kind.toLowerCase();
  const empty = { kind, path, variables: [], matchConditions: [], validations: [] };
  const targets: any[] = json?.spec?.targets ?? [];
  const code = targets.flatMap((t) => t?.code ?? []);
  const cel = code.find((c: any) => c?.engine === CEL_ENGINE);
  if (!cel) {
    const engines = [...code.map((c: any) => c?.engine), ...targets.filter((t) => t?.rego).map(() => 'Rego')];
    return { ...empty, notEvaluated: `template "${name}" has no ${CEL_ENGINE} (CEL) code (engines: ${[...new Set(engines)].join(', ') || 'none'}); the synth-time evaluator runs CEL only` };
  }
  const src = cel.source ?? {};
  try {
    const variables = [
      { name: 'params', program: program(PARAMS_EXPR, 'gatekeeper variable params') },
      { name: 'anyObject', program: program(ANY_OBJECT_EXPR, 'gatekeeper variable anyObject') },
      ...(src.variables ?? []).map((v: any, i: number) => ({ name: v.name, program: program(v.expression, `template "${name}" variables[${i}] (${v.name})`) })),
    ];
    const matchConditions = (src.matchConditions ?? []).map((c: any, i: number) => ({ name: c.name, program: program(c.expression, `template "${name}" matchConditions[${i}]`) }));
    const validations = (src.validations ?? []).map((v: any, i: number) => ({
      expression: v.expression,
      program: program(v.expression, `template "${name}" validations[${i}]`),
      message: v.message,
      messageProgram: v.messageExpression ? program(v.messageExpression, `template "${name}" validations[${i}].messageExpression`) : undefined,
    }));
    return { kind, path, variables, matchConditions, validations };
  } catch (e) {
    if (e instanceof CelCompileError) return { ...empty, notEvaluated: e.message };
    throw e;
  }
}

function normalizeAction(action: unknown): string {
  return typeof action === 'string' && action.length > 0 ? action.toLowerCase() : 'deny';
}

/** Evaluates the program's constraints against its objects. */
export function evaluatePolicies(inputs: InputObject[]): PolicyEvaluationReport {
  const scopes = new ScopeResolver();
  inputs.forEach((i) => scopes.learn(i.json));

  const review: ReviewObject[] = [];
  const namespaces = new Map<string, any>();
  const templates = new Map<string, InputObject>();
  const constraints: InputObject[] = [];
  const configExclusions: string[] = [];
  const rules: ExpansionRule[] = [];
  const exemptions: PolicyExemptionRecord[] = [];
  const weakenings: PolicyWeakeningRecord[] = [];
  const grants: PolicyImagePullGrantRecord[] = [];

  for (const input of inputs) {
    const json = input.json;
    if (!json || typeof json !== 'object' || !json.kind) continue;
    const { group, version } = splitApiVersion(json.apiVersion);
    const kind: string = json.kind;
    const clusterScoped = scopes.isClusterScoped(group, kind);
    const namespace = clusterScoped ? undefined : (json.metadata?.namespace ?? 'default');
    const obj: ReviewObject = { json, path: input.path, group, version, kind, name: json.metadata?.name ?? '', namespace };
    review.push(obj);
    const annotations = json.metadata?.annotations;
    if (annotations?.[Weakening.ANNOTATION]) weakenings.push(...weakeningRecords(annotations[Weakening.ANNOTATION], obj));
    if (annotations?.[IMAGE_PULL_GRANTS_ANNOTATION]) grants.push(...grantRecords(annotations[IMAGE_PULL_GRANTS_ANNOTATION], obj));
    if (group === '' && kind === 'Namespace') namespaces.set(obj.name, json);
    if (group === 'templates.gatekeeper.sh' && kind === 'ConstraintTemplate') {
      const ck = json.spec?.crd?.spec?.names?.kind;
      if (ck) templates.set(ck, input);
    }
    if (group === 'constraints.gatekeeper.sh') constraints.push(input);
    if (group === 'config.gatekeeper.sh' && kind === 'Config') {
      for (const m of json.spec?.match ?? []) {
        const procs: string[] = m.processes ?? [];
        if (procs.some((p) => p === '*' || p === 'webhook' || p === 'audit')) configExclusions.push(...(m.excludedNamespaces ?? []));
      }
      exemptions.push(...exemptionRecords(json, `Config/${obj.name}`, input.path));
    }
    const target = json.metadata?.annotations?.[EXEMPTIONS_TARGET_ANNOTATION];
    if (typeof target === 'string') exemptions.push(...exemptionRecords(json, target, input.path));
    if (group === 'expansion.gatekeeper.sh' && kind === 'ExpansionTemplate') {
      const r = ruleFromExpansionTemplate(json);
      if (r) rules.push(r);
    }
  }
  rules.sort((a, b) => a.name.localeCompare(b.name));
  const allRules = [...rules, ...DEFAULT_EXPANSION_RULES];
  for (const obj of [...review]) review.push(...expand(obj, allRules));

  // Index by group/kind so each constraint only looks at the kinds it matches.
  const byKind = new Map<string, ReviewObject[]>();
  for (const obj of review) {
    const key = `${obj.group}/${obj.kind}`;
    if (!byKind.has(key)) byKind.set(key, []);
    byKind.get(key)!.push(obj);
  }
  const undeclared = new Set<string>();
  const celObjects = new Map<ReviewObject, unknown>();
  const celOf = (o: ReviewObject) => {
    if (!celObjects.has(o)) celObjects.set(o, toCel(o.json));
    return celObjects.get(o);
  };
  const celNamespaces = new Map<string, unknown>();

  const compiled = new Map<string, CompiledTemplate>();
  const violations: PolicyViolation[] = [];
  const notEvaluated: PolicyNotEvaluated[] = [];
  let evaluations = 0;

  for (const [ck, t] of [...templates.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const c = compileTemplate(t.json, t.path);
    compiled.set(ck, c);
    if (c.notEvaluated) notEvaluated.push({ constraintKind: ck, constructPath: t.path, reason: c.notEvaluated });
  }

  for (const constraint of constraints) {
    const cj = constraint.json;
    const cname: string = cj.metadata?.name ?? '';
    exemptions.push(...exemptionRecords(cj, `${cj.kind}/${cname}`, constraint.path));
    const template = compiled.get(cj.kind);
    if (!template) {
      notEvaluated.push({ constraintKind: cj.kind, constraintName: cname, constructPath: constraint.path, reason: `no ConstraintTemplate in the program defines kind ${cj.kind}` });
      continue;
    }
    if (template.notEvaluated) continue;
    const match = cj.spec?.match ?? {};
    const action = normalizeAction(cj.spec?.enforcementAction);
    const params = toCel(cj);
    const keys = [...byKind.keys()].filter((key) => {
      const [group, kind] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      return kindsMatch(match.kinds, { group, kind } as ReviewObject);
    }).sort();
    for (const key of keys) {
      for (const obj of byKind.get(key)!) {
        const nsName = obj.group === '' && obj.kind === 'Namespace' ? obj.name : obj.namespace;
        if (nsName !== undefined && configExclusions.some((p) => globMatches(p, nsName))) continue;
        const nsJson = obj.namespace !== undefined ? namespaces.get(obj.namespace) : undefined;
        if (obj.namespace !== undefined && !nsJson) undeclared.add(obj.namespace);
        if (!matchSelects(match, obj, nsJson?.metadata?.labels)) continue;
        evaluations++;
        if (nsJson && !celNamespaces.has(obj.namespace!)) celNamespaces.set(obj.namespace!, toCel(nsJson));
        const messages = runTemplate(template, celOf(obj), params, obj, nsJson ? celNamespaces.get(obj.namespace!) : null);
        for (const message of messages) {
          violations.push({
            enforcement: obj.expandedFrom?.enforcementAction ? normalizeAction(obj.expandedFrom.enforcementAction) : action,
            constraintKind: cj.kind,
            constraintName: cname,
            constructPath: obj.path,
            objectApiVersion: obj.json.apiVersion,
            objectKind: obj.kind,
            objectName: obj.name,
            ...(obj.namespace !== undefined ? { objectNamespace: obj.namespace } : {}),
            ...(obj.expandedFrom ? { expandedFrom: `${obj.expandedFrom.kind}/${obj.expandedFrom.name}` } : {}),
            message,
          });
        }
      }
    }
  }

  const key = (v: PolicyViolation) => `${v.constraintKind}\0${v.constraintName}\0${v.constructPath}\0${v.objectKind}\0${v.objectName}\0${v.message}`;
  violations.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const count = (e: string) => violations.filter((v) => v.enforcement === e).length;
  return {
    summary: {
      templates: templates.size,
      constraints: constraints.length,
      objects: review.length,
      evaluations,
      deny: violations.filter((v) => v.enforcement !== 'warn' && v.enforcement !== 'dryrun').length,
      warn: count('warn'),
      dryrun: count('dryrun'),
      notEvaluated: notEvaluated.length,
    },
    violations,
    notEvaluated,
    exemptions,
    acknowledgedWeakenings: weakenings,
    imagePullGrants: grants,
    undeclaredNamespaces: [...undeclared].sort(),
  };
}

function parseList(raw: string): any[] | undefined {
  try {
    const v = JSON.parse(raw);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function weakeningRecords(raw: string, obj: ReviewObject): PolicyWeakeningRecord[] {
  const where = {
    objectKind: obj.kind,
    objectName: obj.name,
    ...(obj.namespace !== undefined ? { objectNamespace: obj.namespace } : {}),
    constructPath: obj.path,
  };
  const list = parseList(raw);
  if (!list) return [{ weakening: 'unreadable', detail: `unreadable ${Weakening.ANNOTATION} annotation`, reason: '', ...where }];
  return list.map((e) => ({ weakening: String(e?.weakening ?? ''), detail: String(e?.detail ?? ''), reason: String(e?.reason ?? ''), ...where }));
}

function grantRecords(raw: string, obj: ReviewObject): PolicyImagePullGrantRecord[] {
  const list = parseList(raw) ?? [];
  return list.map((e) => ({
    namespace: String(e?.namespace ?? ''),
    repository: String(e?.repository ?? ''),
    reason: String(e?.reason ?? ''),
    appliedTo: `${obj.kind}/${obj.name}`,
    constructPath: obj.path,
  }));
}

function exemptionRecords(json: any, appliedTo: string, path: string): PolicyExemptionRecord[] {
  const raw = json?.metadata?.annotations?.[EXEMPTIONS_ANNOTATION];
  if (!raw) return [];
  try {
    return (JSON.parse(raw) as any[]).map((e) => ({
      appliedTo,
      constructPath: path,
      ...(e.namespaces ? { namespaces: e.namespaces } : {}),
      ...(e.label ? { label: e.label } : {}),
      reason: String(e.reason ?? ''),
    }));
  } catch {
    return [{ appliedTo, constructPath: path, reason: `unreadable ${EXEMPTIONS_ANNOTATION} annotation` }];
  }
}

/** Runs one template on one object; returns the violation messages. */
function runTemplate(t: CompiledTemplate, object: unknown, params: unknown, obj: ReviewObject, namespaceObject: unknown): string[] {
  const request = toCel({
    operation: 'CREATE',
    kind: { group: obj.group, version: obj.version, kind: obj.kind },
    name: obj.name,
    ...(obj.namespace !== undefined ? { namespace: obj.namespace } : {}),
    userInfo: { username: 'cdk8s-synth', groups: [] },
    dryRun: false,
  });
  const variables: Record<string, unknown> = {};
  const bindings: Record<string, unknown> = { object, oldObject: null, params, request, namespaceObject: namespaceObject ?? null, variables };
  const variableErrors: string[] = [];
  for (const v of t.variables) {
    try {
      variables[v.name] = v.program(bindings);
    } catch (e) {
      variableErrors.push(`variable ${v.name}: ${(e as Error).message}`);
    }
  }
  const errorText = (e: unknown) => [(e as Error).message, ...variableErrors].join('; ');
  for (const c of t.matchConditions) {
    try {
      if (c.program(bindings) === false) return [];
    } catch (e) {
      return [`CEL error in matchCondition "${c.name}": ${errorText(e)}`];
    }
  }
  const out: string[] = [];
  t.validations.forEach((v, i) => {
    let result: unknown;
    try {
      result = v.program(bindings);
    } catch (e) {
      out.push(`CEL error in validations[${i}]: ${errorText(e)}`);
      return;
    }
    if (result === true) return;
    if (result !== false) {
      out.push(`validations[${i}] returned ${typeof result}, not a bool`);
      return;
    }
    let message = v.message ?? `failed expression: ${v.expression.trim()}`;
    if (v.messageProgram) {
      try {
        const m = fromCel(v.messageProgram(bindings));
        if (typeof m === 'string' && m.length > 0) message = m;
      } catch { /* the fixed message stands, as in the API server */ }
    }
    out.push(message);
  });
  return out;
}
