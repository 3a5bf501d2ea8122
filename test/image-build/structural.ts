import * as fs from 'fs';
import * as path from 'path';
import { kpackStructuralSchema } from '../../scripts/kpack-schema';

/** kpack's swagger in ../shared, when this checkout sits beside it. */
export const KPACK_SWAGGER = path.resolve(__dirname, '..', '..', '..', 'shared', 'crds', 'kpack', 'kpack-swagger.json');

/** The structural schema of a kpack kind, built exactly as `npm run import` builds it. */
export function kpackSchema(kind: string): any {
  const swagger = JSON.parse(fs.readFileSync(KPACK_SWAGGER, 'utf8'));
  return kpackStructuralSchema(swagger, 'kpack.build.', kind, 'v1alpha2');
}

/**
 * Validates `value` against a structural schema the way the API server treats a CRD with
 * `kubectl apply --validate=strict`: unknown fields (where the schema lists properties and does not
 * preserve unknown fields) are errors, as are wrong types, missing required fields and values
 * outside an enum. Returns the errors as `path: message`.
 */
export function validateStructural(value: any, schema: any, at = ''): string[] {
  const errors: string[] = [];
  const where = at || '<root>';
  if (value === undefined || value === null) return errors;
  if (schema['x-kubernetes-int-or-string'] || schema.anyOf) {
    if (typeof value !== 'string' && !Number.isInteger(value)) errors.push(`${where}: must be an integer or a string`);
    return errors;
  }
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${where}: must be an object`];
      for (const r of schema.required ?? []) if (value[r] === undefined) errors.push(`${where}: missing required field ${r}`);
      for (const [k, v] of Object.entries(value)) {
        // the API server validates metadata as ObjectMeta itself (kube-validate checks it)
        if (at === '' && k === 'metadata') continue;
        const prop = schema.properties?.[k];
        if (prop) errors.push(...validateStructural(v, prop, `${at}.${k}`));
        else if (schema.additionalProperties && schema.additionalProperties !== true) errors.push(...validateStructural(v, schema.additionalProperties, `${at}.${k}`));
        else if (!schema.additionalProperties && !schema['x-kubernetes-preserve-unknown-fields']) errors.push(`${at}.${k}: unknown field`);
      }
      return errors;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${where}: must be an array`];
      value.forEach((v, i) => errors.push(...validateStructural(v, schema.items ?? {}, `${at}[${i}]`)));
      return errors;
    case 'string':
      if (typeof value !== 'string') errors.push(`${where}: must be a string`);
      break;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${where}: must be an integer`);
      break;
    case 'number':
      if (typeof value !== 'number') errors.push(`${where}: must be a number`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${where}: must be a boolean`);
      break;
    default:
      break;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${where}: must be one of ${schema.enum.join(', ')}`);
  return errors;
}
