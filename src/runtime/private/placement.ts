import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DEFAULT_EXPANSION_RULES } from '../../policy/private/expansion';
import { chainRenderedObjects } from '../../private/rendered-objects';
import { NodeTaintEffect, RuntimeNodePool } from '../node-pool';

/** The pod spec of an object that runs pods, and its JSON pointer. */
export interface PodSpecRef {
  /** The object, or undefined for an object a supply chain will deploy (checked, never patched). */
  readonly object?: ApiObject;
  /** Construct path the object is reported under. */
  readonly path: string;
  readonly json: any;
  readonly spec: any;
  readonly pointer: string;
  /** The pod-spec object does not exist yet (a kpack Image without `spec.build`). */
  readonly create?: boolean;
}

/** Every object below `scope` that runs pods, with its pod spec (construct order, so deterministic). */
export function podSpecsOf(scope: IConstruct): PodSpecRef[] {
  const out: PodSpecRef[] = [];
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    // cdk8s names the core group "core"; the expansion rules name it "".
    const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
    let path: string | undefined;
    if (group === '' && c.kind === 'Pod') path = 'spec';
    else path = DEFAULT_EXPANSION_RULES.find((r) => r.groups.includes(group) && r.kinds.includes(c.kind))?.templatePath.concat('.spec');
    // kpack's Image runs build pods at run time from `spec.build` (nodeSelector, tolerations).
    const kpackImage = group === 'kpack.io' && c.kind === 'Image';
    if (c.kind === 'Workload' && group === 'carto.run') {
      // A built workload: the Deployment its chain deploys, placed through IWorkload; checked only.
      for (const r of chainRenderedObjects(c.toJson(), c.node.path)) {
        const spec = r.json?.spec?.template?.spec;
        if (spec && POD_TEMPLATE_KINDS.has(r.json.kind)) out.push({ path: r.path, json: r.json, spec, pointer: '/spec/template/spec' });
      }
      continue;
    }
    if (kpackImage) path = 'spec.build';
    if (!path) continue;
    const json = c.toJson();
    let spec = path.split('.').reduce((o: any, k) => (o === undefined || o === null ? undefined : o[k]), json);
    const create = kpackImage && spec === undefined;
    if (create) spec = {};
    if (!spec) continue;
    // The generated kpack Image class keeps `spec.build` in its props as `build_` (and maps it
    // to `build` after patches are applied), so that is where a patch must write.
    const pointer = kpackImage ? '/spec/build_' : '/' + path.split('.').join('/');
    out.push({ object: c, path: c.node.path, json, spec, pointer, create });
  }
  return out;
}

/** The toleration pods of `pool` carry. */
export function tolerationOf(pool: RuntimeNodePool): { key: string; operator: string; value: string; effect: string } | undefined {
  return pool.taint ? { key: pool.taint.key, operator: 'Equal', value: pool.taint.value, effect: pool.taint.effect ?? NodeTaintEffect.NO_SCHEDULE } : undefined;
}

/** Whether `spec` tolerates the taint of `pool` (true for a pool without a taint). */
export function tolerates(spec: any, pool: RuntimeNodePool): boolean {
  const t = tolerationOf(pool);
  if (!t) return true;
  return (spec.tolerations ?? []).some((x: any) => x.key === t.key
    && (x.operator === 'Exists' || x.value === t.value)
    && (!x.effect || x.effect === t.effect));
}

/** Whether `spec` selects every node label of `pool`. */
export function selects(spec: any, pool: RuntimeNodePool): boolean {
  const sel = spec.nodeSelector ?? {};
  return Object.entries(pool.nodeLabels).every(([k, v]) => sel[k] === v);
}

const PATCHED = new WeakSet<ApiObject>();
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * Adds the node selector and toleration of `pool` to a pod spec that lacks them, once per object:
 * missing labels only (a conflicting value is left for the placement check to report), and the
 * toleration unless one already matches.
 */
export function place(ref: PodSpecRef, pool: RuntimeNodePool): void {
  if (!ref.object || PATCHED.has(ref.object)) return;
  PATCHED.add(ref.object);
  if (ref.create) {
    const t = tolerationOf(pool);
    const build = { nodeSelector: { ...pool.nodeLabels }, ...(t ? { tolerations: [t] } : {}) };
    ref.object.addJsonPatch(JsonPatch.add(ref.pointer, build));
    Object.assign(ref.spec, build);
    return;
  }
  const sel = { ...(ref.spec.nodeSelector ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(pool.nodeLabels)) {
    if (!(k in sel)) { sel[k] = v; changed = true; }
  }
  if (changed) {
    ref.object.addJsonPatch(JsonPatch.add(`${ref.pointer}/nodeSelector`, sel));
    ref.spec.nodeSelector = sel;
  }
  const t = tolerationOf(pool);
  if (t && !tolerates(ref.spec, pool)) {
    const list = [...(ref.spec.tolerations ?? []), t];
    ref.object.addJsonPatch(JsonPatch.add(`${ref.pointer}/tolerations`, list));
    ref.spec.tolerations = list;
  }
}
