import { invalid } from '../private/errors';

/**
 * Internal helpers for Helm values: validation and a deterministic deep merge.
 * Not exported from the package.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a copy of `value` as plain JSON with object keys sorted, so equal inputs always render
 * byte-identical YAML. Throws the house error for anything Helm values cannot hold
 * (functions, class instances, non-finite numbers, `undefined` inside arrays).
 */
export function normalizeValues(where: string, prop: string, value: unknown, path = ''): Json {
  const at = path || '<root>';
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      invalid(where, prop, `holds a non-finite number at ${at}`, String(value), 'use a finite number or a string');
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (item === undefined) {
        invalid(where, prop, `holds undefined at ${path}[${i}]`, value, 'remove the element or use null');
      }
      return normalizeValues(where, prop, item, `${path}[${i}]`);
    });
  }
  if (isPlainObject(value)) {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const child = value[key];
      if (child === undefined) continue;
      out[key] = normalizeValues(where, prop, child, path ? `${path}.${key}` : key);
    }
    return out;
  }
  return invalid(where, prop, `holds a value that is not JSON data at ${at}`, typeof value,
    'pass plain objects, arrays, strings, numbers, booleans or null');
}

/**
 * Deep merge of normalized values: objects merge key by key, everything else (arrays included)
 * is replaced by the value from `overlay`. Keys stay sorted.
 */
export function mergeValues(base: Json, overlay: Json): Json {
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const out: { [key: string]: Json } = {};
    const keys = Array.from(new Set([...Object.keys(base), ...Object.keys(overlay)])).sort();
    for (const key of keys) {
      const b = (base as { [key: string]: Json })[key];
      const o = (overlay as { [key: string]: Json })[key];
      out[key] = o === undefined ? b : b === undefined ? o : mergeValues(b, o);
    }
    return out;
  }
  return overlay;
}
