/**
 * Cartographer's template substitution, implemented for the tests from its semantics
 * (pkg/templates/interpolator.go, pkg/eval/jsonpath.go at v0.8): a string that is exactly one
 * `$(path)$` tag becomes the value at `path`; tags inside a longer string are replaced by the
 * value's text (strings as they are, anything else as Go's encoding/json writes it: sorted keys,
 * `<`, `>`, `&` escaped); a `$(` without a closing `)$` is left as it is. A path that matches
 * nothing, or more than one value, is an error (Cartographer refuses to stamp).
 *
 * Paths are the subset of Kubernetes JSONPath the chain uses: dotted fields (with `\.` escaping a
 * dot in a key), `[n]` indices and `[?(@.field=="value")]` filters.
 */

/** Go encoding/json of a value: map keys sorted, HTML characters escaped. */
export function goJson(value: unknown): string {
  const sort = (v: any): any => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
    return v;
  };
  return JSON.stringify(sort(value))
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

type Segment = { field: string } | { index: number } | { filter: { field: string; value: string } };

function parsePath(path: string): Segment[] {
  let p = path.startsWith('{') ? path.slice(1, -1) : path;
  if (p.startsWith('.')) p = p.slice(1);
  const segments: Segment[] = [];
  let i = 0;
  let field = '';
  const flush = () => { if (field !== '') segments.push({ field }); field = ''; };
  while (i < p.length) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) { field += p[i + 1]; i += 2; continue; }
    if (c === '.') { flush(); i++; continue; }
    if (c === '[') {
      flush();
      const end = p.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in ${path}`);
      const inner = p.slice(i + 1, end);
      const filter = /^\?\(@\.([\w-]+)=="([^"]*)"\)$/.exec(inner);
      if (filter) segments.push({ filter: { field: filter[1], value: filter[2] } });
      else if (/^\d+$/.test(inner)) segments.push({ index: Number(inner) });
      else throw new Error(`unsupported JSONPath element [${inner}] in ${path}`);
      i = end + 1;
      continue;
    }
    field += c;
    i++;
  }
  flush();
  return segments;
}

/** The values at `path` in `obj`. */
export function evaluate(path: string, obj: unknown): unknown[] {
  let current: unknown[] = [obj];
  for (const s of parsePath(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('field' in s) {
        if (v && typeof v === 'object' && !Array.isArray(v) && s.field in (v as any)) next.push((v as any)[s.field]);
      } else if ('index' in s) {
        if (Array.isArray(v) && s.index < v.length) next.push(v[s.index]);
      } else if (Array.isArray(v)) {
        next.push(...v.filter((e) => e && typeof e === 'object' && (e as any)[s.filter.field] === s.filter.value));
      }
    }
    current = next;
  }
  return current;
}

/** The one value at `path`, as Cartographer's evaluator requires. */
export function evaluateOne(path: string, obj: unknown): unknown {
  const found = evaluate(path, obj);
  if (found.length === 0) throw new Error(`jsonpath returned empty list: ${path}`);
  if (found.length > 1) throw new Error(`too many results for the query: ${path}`);
  return found[0];
}

function interpolate(s: string, context: unknown): unknown {
  if (s.startsWith('$(') && s.endsWith(')$') && s.split('$(').length === 2) {
    return evaluateOne(s.slice(2, -2), context);
  }
  let out = '';
  let rest = s;
  for (;;) {
    const start = rest.indexOf('$(');
    if (start < 0) break;
    out += rest.slice(0, start);
    rest = rest.slice(start + 2);
    const end = rest.indexOf(')$');
    if (end < 0) { out += '$('; break; }
    const value = evaluateOne(rest.slice(0, end), context);
    if (value === null || value === undefined) throw new Error(`tag must not point to nil value: ${rest.slice(0, end)}`);
    out += typeof value === 'string' ? value : goJson(value);
    rest = rest.slice(end + 2);
  }
  return out + rest;
}

/** Stamps a template: every string leaf interpolated against `context`. */
export function stamp(template: unknown, context: unknown): any {
  if (typeof template === 'string') return interpolate(template, context);
  if (Array.isArray(template)) return template.map((t) => stamp(t, context));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, stamp(v, context)]));
  }
  return template;
}

/**
 * What Cartographer does to a stamped object besides substitution: the owner's namespace and
 * the labels it merges in (stamper.go).
 */
export function place(obj: any, namespace: string, labels: { [key: string]: string }): any {
  if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== namespace) throw new Error('cannot set namespace in resource template');
  return { ...obj, metadata: { ...obj.metadata, namespace, labels: { ...obj.metadata.labels, ...labels } } };
}

/** Cartographer's `generateName`, made concrete so the object can be validated as a file. */
export function named(obj: any, suffix: string): any {
  if (!obj.metadata.generateName) return obj;
  const { generateName, ...meta } = obj.metadata;
  return { ...obj, metadata: { ...meta, name: `${generateName}${suffix}` } };
}
