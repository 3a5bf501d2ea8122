/** One mismatch between constraint parameters and the template's schema. */
export interface ParameterProblem {
  readonly path: string;
  readonly problem: string;
  readonly value: unknown;
}

/**
 * Checks `value` against a structural OpenAPI v3 schema (the subset GatekeeperParameterSchema
 * emits: type, properties, additionalProperties, items, enum). Unknown properties are problems, as the API server
 * prunes them and the policy would silently never see them.
 */
export function checkParameters(schema: any, value: unknown, path: string): ParameterProblem[] {
  const out: ParameterProblem[] = [];
  const type = schema?.type;
  const fail = (problem: string) => out.push({ path, problem, value });
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail('must be a string');
      else if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail(`must be one of ${schema.enum.join(', ')}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be a boolean');
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('must be an integer');
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('must be a number');
      break;
    case 'array':
      if (!Array.isArray(value)) fail('must be a list');
      else value.forEach((v, i) => out.push(...checkParameters(schema.items, v, `${path}[${i}]`)));
      break;
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        fail('must be an object');
      } else if (schema.properties) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (!(k in schema.properties)) out.push({ path: `${path}.${k}`, problem: `is not a parameter of this template (known: ${Object.keys(schema.properties).join(', ') || 'none'})`, value: v });
          else out.push(...checkParameters(schema.properties[k], v, `${path}.${k}`));
        }
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push(...checkParameters(schema.additionalProperties, v, `${path}.${k}`));
      }
      break;
    default:
      break;
  }
  return out;
}
