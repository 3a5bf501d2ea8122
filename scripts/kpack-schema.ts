/**
 * kpack's CRDs carry no schema (x-kubernetes-preserve-unknown-fields); its typed API is the Swagger
 * 2.0 file kpack publishes. This module turns one kind of that swagger into the structural
 * openAPIV3Schema a CRD would carry. `import-crds.ts` uses it to generate the typed classes, and
 * the build layer's tests validate every emitted kpack object against the same schema.
 */

type Json = any;

/** The structural openAPIV3Schema of `<group>/<version>` `kind`, from the swagger document. */
export function kpackStructuralSchema(swagger: Json, definitionPrefix: string, kind: string, version: string): Json {
  const defs: Record<string, Json> = swagger.definitions;
  const top = defs[`${definitionPrefix}${version}.${kind}`];
  if (!top?.properties?.spec) throw new Error(`kpack swagger has no ${version}.${kind} with a spec`);
  const specSchema = convert(defs, top.properties.spec, [kind]);
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: specSchema,
      status: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
    required: ['spec'],
  };
}

function swaggerToSchema(defs: Record<string, Json>, ref: string, stack: string[]): Json {
  const name = ref.replace('#/definitions/', '');
  if (stack.includes(name)) {
    throw new Error(`recursive swagger definition ${[...stack, name].join(' -> ')}`);
  }
  const def = defs[name];
  if (!def) throw new Error(`swagger definition not found: ${name}`);
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
    return {
      'description': def.description,
      'anyOf': [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
  }
  if (name === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time') {
    return { type: 'string', format: 'date-time' };
  }
  return convert(defs, def, [...stack, name]);
}

function convert(defs: Record<string, Json>, node: Json, stack: string[]): Json {
  if (node.$ref) {
    const resolved = swaggerToSchema(defs, node.$ref, stack);
    return node.description ? { ...resolved, description: node.description } : resolved;
  }
  const out: Json = {};
  if (node.description) out.description = node.description;
  if (node.type) out.type = node.type;
  if (node.format) out.format = node.format;
  if (node.enum) out.enum = node.enum;
  if (node.properties) {
    out.type = 'object';
    out.properties = {};
    for (const [k, v] of Object.entries<Json>(node.properties)) out.properties[k] = convert(defs, v, stack);
    if (node.required?.length) out.required = [...node.required];
  }
  if (node.additionalProperties) {
    out.type = 'object';
    out.additionalProperties = node.additionalProperties === true ? true : convert(defs, node.additionalProperties, stack);
  }
  if (node.items) out.items = convert(defs, node.items, stack);
  if (out.type === 'object' && !out.properties && !out.additionalProperties) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}
