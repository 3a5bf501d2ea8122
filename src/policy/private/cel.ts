/**
 * The CEL environment of the synth-time evaluator: @bufbuild/cel's standard library and strings
 * extension, plus the Kubernetes CEL library functions the evaluator implements itself. Every
 * other function is refused at compile time with its name, never silently evaluated.
 */
import {
  CelScalar, celEnv, celMethod, celFunc, isCelError, isCelList, isCelMap, listType, parse, plan,
  type CelEnv, type CelFunc, type CelInput, type CelList, type CelValue,
  strings,
} from '../../private/vendor/cel';

/** A compiled CEL program: call it with bindings, get a JS value or throw with the CEL error. */
export type CelProgram = (bindings: Record<string, unknown>) => unknown;

/** Thrown when an expression cannot be compiled (syntax error, unsupported function). */
export class CelCompileError extends Error {
  constructor(message: string, public readonly unsupportedFunction?: string) {
    super(message);
    this.name = 'CelCompileError';
  }
}

function jsRegex(pattern: string): RegExp {
  // RE2 inline flags at the start (`(?i)`, `(?s)`, `(?m)`) become JS flags; the rest of RE2's
  // syntax that the Kubernetes library accepts is common to JS regular expressions.
  let flags = '';
  let body = pattern;
  const m = /^\(\?([ims]+)\)/.exec(body);
  if (m) { flags = [...new Set(m[1].split(''))].join(''); body = body.slice(m[0].length); }
  return new RegExp(body, flags);
}

function toNumberList(list: CelList): Array<bigint | number> {
  return [...list].map((v) => v as bigint | number);
}

const DYN_LIST = listType(CelScalar.DYN);

/** Kubernetes CEL library functions implemented here (regex and list libraries). */
const KUBERNETES_FUNCS: CelFunc[] = [
  // Kubernetes regex library: first match, or ''; all matches (optionally at most n).
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (this: string, p: string) {
    const r = jsRegex(p).exec(this);
    return r ? r[0] : '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], DYN_LIST, function (this: string, p: string) {
    const re = jsRegex(p);
    return [...this.matchAll(new RegExp(re.source, re.flags + 'g'))].map((x) => x[0]);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], DYN_LIST, function (this: string, p: string, n: bigint) {
    const re = jsRegex(p);
    const all = [...this.matchAll(new RegExp(re.source, re.flags + 'g'))].map((x) => x[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  }),
  // Kubernetes list library.
  celMethod('isSorted', DYN_LIST, [], CelScalar.BOOL, function (this: CelList) {
    const a = [...this] as any[];
    return a.every((v, i) => i === 0 || !(v < a[i - 1]));
  }),
  celMethod('sum', DYN_LIST, [], CelScalar.DYN, function (this: CelList) {
    const a = toNumberList(this);
    if (a.length === 0) return 0n;
    return a.reduce((x: any, y: any) => x + y) as CelInput;
  }),
  celMethod('min', DYN_LIST, [], CelScalar.DYN, function (this: CelList) {
    const a = toNumberList(this);
    if (a.length === 0) throw new Error('min called on an empty list');
    return a.reduce((x, y) => (y < x ? y : x)) as CelInput;
  }),
  celMethod('max', DYN_LIST, [], CelScalar.DYN, function (this: CelList) {
    const a = toNumberList(this);
    if (a.length === 0) throw new Error('max called on an empty list');
    return a.reduce((x, y) => (y > x ? y : x)) as CelInput;
  }),
  celMethod('indexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (this: CelList, v: CelValue) {
    return BigInt([...this].findIndex((x) => celEquals(x, v)));
  }),
  celMethod('lastIndexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (this: CelList, v: CelValue) {
    const a = [...this];
    for (let i = a.length - 1; i >= 0; i--) if (celEquals(a[i], v)) return BigInt(i);
    return -1n;
  }),
];

function celEquals(a: CelValue, b: CelValue): boolean {
  const r = run2('a == b', { a, b });
  return r === true;
}

let ENV: CelEnv | undefined;
function env(): CelEnv {
  if (!ENV) ENV = celEnv({ funcs: [...strings, ...KUBERNETES_FUNCS] });
  return ENV;
}

function run2(expr: string, bindings: Record<string, unknown>): unknown {
  return plan(env(), parse(expr))(bindings as any);
}

/** Function names implemented on top of @bufbuild/cel for the Kubernetes CEL libraries. */
export const KUBERNETES_FUNCTION_NAMES = [...new Set(KUBERNETES_FUNCS.map((f) => f.name))].sort();

/** Operators and macros the parser emits as calls; always supported by the planner. */
function isOperator(name: string): boolean {
  return name.startsWith('_') || name.startsWith('@') || name === 'has';
}

function collectFunctions(node: any, out: Set<string>): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) { node.forEach((n) => collectFunctions(n, out)); return; }
  if (node.$typeName === 'cel.expr.Expr.Call' && typeof node.function === 'string') out.add(node.function);
  for (const [k, v] of Object.entries(node)) if (k !== '$typeName' && typeof v === 'object') collectFunctions(v, out);
}

/** True when `name` is a function the evaluator can call. */
export function isSupportedFunction(name: string): boolean {
  return isOperator(name) || env().funcs.find(name) !== undefined;
}

/**
 * Parses and plans `expression` once. Throws CelCompileError on a syntax error or on a call to a
 * function the evaluator does not implement (naming the function).
 */
export function compileCel(expression: string, where: string): CelProgram {
  let parsed;
  try {
    parsed = parse(expression);
  } catch (e) {
    throw new CelCompileError(`${where}: CEL syntax error: ${(e as Error).message}`);
  }
  const fns = new Set<string>();
  collectFunctions(parsed.expr, fns);
  for (const fn of [...fns].sort()) {
    if (!isSupportedFunction(fn)) {
      throw new CelCompileError(
        `${where}: CEL function '${fn}' is not supported by the synth-time evaluator (supported beyond the standard library: strings extension, matches, ${KUBERNETES_FUNCTION_NAMES.join(', ')})`, fn);
    }
  }
  const program = plan(env(), parsed);
  return (bindings) => {
    const r = program(bindings as any);
    if (isCelError(r)) throw new Error(r.message);
    return r;
  };
}

/** Parses only (for construct-time checks of user expressions). Returns the error text or undefined. */
export function celSyntaxError(expression: string): string | undefined {
  try {
    parse(expression);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Converts JSON into CEL input the way the API server types it: integral numbers become `int`
 * (bigint), other numbers `double`.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
    return out;
  }
  return value;
}

/**
 * Like `toCel`, but objects become JS `Map`s, which @bufbuild/cel wraps as CEL maps in constant
 * time; a plain object is copied into a new Map on every access, which made a field lookup in a
 * large parameter map (one entry per tenant) cost as much as the map's size. For binding values,
 * converted once per object.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out.set(k, toCelValue(v));
    return out;
  }
  return value;
}

/** Converts a CEL result back into plain JSON-like JS (for messages). */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (isCelList(value)) return [...value].map(fromCel);
  if (isCelMap(value)) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), fromCel(v)]));
  return value;
}

// celFunc is re-exported for tests that register extra functions.
export { celFunc };
