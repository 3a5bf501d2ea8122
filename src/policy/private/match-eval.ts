/**
 * Gatekeeper's match semantics, evaluated on JSON: kinds, scope, namespaces and
 * excludedNamespaces (with prefix/suffix globs), labelSelector, namespaceSelector and name.
 */

/** An object as the evaluator sees it. */
export interface ReviewObject {
  readonly json: any;
  /** Construct path of the object (or of its parent for expanded pods). */
  readonly path: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  /** Effective namespace, undefined for cluster-scoped objects. */
  readonly namespace?: string;
  /** Set for pods expanded from a workload's template: describes the parent. */
  readonly expandedFrom?: { readonly kind: string; readonly name: string; readonly enforcementAction?: string };
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = (apiVersion ?? '').lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion ?? '' } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Gatekeeper namespace glob: exact, `prefix*` or `*suffix`. */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

export function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const values: string[] = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(l[req.key])) return false; break;
      case 'NotIn': if (has && values.includes(l[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // an unknown operator selects nothing, as the API server rejects it
    }
  }
  return true;
}

/** The namespace name used for namespaces/excludedNamespaces, or undefined for other cluster-scoped objects. */
function namespaceOf(obj: ReviewObject): string | undefined {
  if (obj.group === '' && obj.kind === 'Namespace') return obj.name;
  return obj.namespace;
}

export function kindsMatch(kinds: any[] | undefined, obj: ReviewObject): boolean {
  if (!kinds || kinds.length === 0) return true;
  return kinds.some((k) => {
    const kindOk = !k.kinds || k.kinds.length === 0 || k.kinds.includes('*') || k.kinds.includes(obj.kind);
    const groupOk = !k.apiGroups || k.apiGroups.length === 0 || k.apiGroups.includes('*') || k.apiGroups.includes(obj.group);
    return kindOk && groupOk;
  });
}

/** True when the match block selects `obj`; `namespaceLabels` are the labels of its Namespace. */
export function matchSelects(match: any, obj: ReviewObject, namespaceLabels: Record<string, string> | undefined): boolean {
  const m = match ?? {};
  if (!kindsMatch(m.kinds, obj)) return false;
  const scope = m.scope ?? '*';
  if (scope === 'Cluster' && obj.namespace !== undefined) return false;
  if (scope === 'Namespaced' && obj.namespace === undefined) return false;
  const ns = namespaceOf(obj);
  if (ns !== undefined) {
    if ((m.namespaces ?? []).length > 0 && !m.namespaces.some((p: string) => globMatches(p, ns))) return false;
    if ((m.excludedNamespaces ?? []).some((p: string) => globMatches(p, ns))) return false;
  }
  if (m.name !== undefined && !globMatches(m.name, obj.name)) return false;
  if (!selectorMatches(m.labelSelector, obj.json?.metadata?.labels)) return false;
  if (m.namespaceSelector) {
    if (obj.group === '' && obj.kind === 'Namespace') {
      if (!selectorMatches(m.namespaceSelector, obj.json?.metadata?.labels)) return false;
    } else if (obj.namespace !== undefined) {
      if (!selectorMatches(m.namespaceSelector, namespaceLabels)) return false;
    }
  }
  return true;
}
