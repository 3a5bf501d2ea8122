/**
 * A parser for the condition language of Falco rules and macros (the syscall source): enough to
 * check at synth that a condition is well formed and to list the fields, macros and lists it
 * names. Grammar (Falco's): `or` of `and` of `not`, parentheses, macro references, and checks
 * `<field> <op> <value>`, `<field> <listop> (<items>)` or `<field> exists`.
 */

/** One node of a parsed condition. */
export type FalcoExpr =
  | { readonly kind: 'and' | 'or'; readonly items: FalcoExpr[] }
  | { readonly kind: 'not'; readonly expr: FalcoExpr }
  | { readonly kind: 'macro'; readonly name: string }
  | { readonly kind: 'check'; readonly field: string; readonly op: string; readonly value?: string; readonly values?: string[] };

/** Comparison operators taking one value. */
export const BINARY_OPERATORS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex']);
/** Operators taking a parenthesized list of values or list names. */
export const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);
const KEYWORDS = new Set(['and', 'or', 'not', 'exists', ...BINARY_OPERATORS, ...LIST_OPERATORS]);

/** A field: `<class>.<name>` with an optional `[argument]`. */
const FIELD = /^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+(\[[^\]]*\])?$/;
/** A macro or list name. */
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A syntax error in a condition, with the position it was found at. */
export class FalcoSyntaxError extends Error {}

interface Token { readonly text: string; readonly quoted: boolean; readonly pos: number }

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ text: c, quoted: false, pos: i }); i++; continue; }
    if (c === '"' || c === "'") {
      // A backslash escapes the next character (`"sh -c envdir \"/run/etc\""`).
      let end = i + 1;
      let text = '';
      while (end < src.length && src[end] !== c) {
        if (src[end] === '\\' && end + 1 < src.length) end++;
        text += src[end];
        end++;
      }
      if (end >= src.length) throw new FalcoSyntaxError(`unterminated string at ${i}`);
      out.push({ text, quoted: true, pos: i });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>='].includes(two)) { out.push({ text: two, quoted: false, pos: i }); i += 2; continue; }
    if (c === '=' || c === '<' || c === '>') { out.push({ text: c, quoted: false, pos: i }); i++; continue; }
    if (c === '!') throw new FalcoSyntaxError(`unexpected "!" at ${i}`);
    let j = i;
    // A field argument may hold any character but "]": proc.aname[2], k8s.pod.label[app].
    while (j < src.length && !/[\s(),=<>!"']/.test(src[j])) {
      if (src[j] === '[') {
        const end = src.indexOf(']', j);
        if (end < 0) throw new FalcoSyntaxError(`unterminated "[" at ${j}`);
        j = end;
      }
      j++;
    }
    out.push({ text: src.slice(i, j), quoted: false, pos: i });
    i = j;
  }
  return out;
}

/** Parses a condition; throws FalcoSyntaxError on anything Falco would not load. */
export function parseFalcoCondition(src: string): FalcoExpr {
  if (typeof src !== 'string' || src.trim() === '') throw new FalcoSyntaxError('empty condition');
  const tokens = tokenize(src);
  let k = 0;
  const peek = (): Token | undefined => tokens[k];
  const word = (t: Token | undefined, w: string) => t !== undefined && !t.quoted && t.text === w;
  const fail = (what: string): never => {
    const t = peek();
    throw new FalcoSyntaxError(t ? `${what}, found "${t.text}" at ${t.pos}` : `${what}, found the end of the condition`);
  };

  const parseOr = (): FalcoExpr => {
    const items = [parseAnd()];
    while (word(peek(), 'or')) { k++; items.push(parseAnd()); }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };
  const parseAnd = (): FalcoExpr => {
    const items = [parseNot()];
    while (word(peek(), 'and')) { k++; items.push(parseNot()); }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const parseNot = (): FalcoExpr => {
    if (word(peek(), 'not')) { k++; return { kind: 'not', expr: parseNot() }; }
    return parsePrimary();
  };
  const value = (): string => {
    const t = peek();
    // `evt.dir = <` compares with a direction: "<" and ">" are values there.
    if (!t || (!t.quoted && (['(', ')', ','].includes(t.text) || (KEYWORDS.has(t.text) && t.text !== '<' && t.text !== '>')))) fail('expected a value');
    k++;
    return t!.text;
  };
  const parsePrimary = (): FalcoExpr => {
    const t = peek();
    if (!t) return fail('expected a check, a macro or "("');
    if (word(t, '(')) {
      k++;
      const e = parseOr();
      if (!word(peek(), ')')) fail('expected ")"');
      k++;
      return e;
    }
    if (t.quoted || KEYWORDS.has(t.text) || [')', ','].includes(t.text)) fail('expected a check, a macro or "("');
    k++;
    if (FIELD.test(t.text)) {
      const op = peek();
      if (!op || op.quoted) return fail(`expected an operator after field ${t.text}`);
      if (op.text === 'exists') { k++; return { kind: 'check', field: t.text, op: 'exists' }; }
      if (BINARY_OPERATORS.has(op.text)) { k++; return { kind: 'check', field: t.text, op: op.text, value: value() }; }
      if (LIST_OPERATORS.has(op.text)) {
        k++;
        if (!word(peek(), '(')) fail(`expected "(" after ${op.text}`);
        k++;
        const values: string[] = [];
        if (!word(peek(), ')')) {
          values.push(value());
          while (word(peek(), ',')) { k++; values.push(value()); }
        }
        if (!word(peek(), ')')) fail('expected "," or ")" in a value list');
        k++;
        return { kind: 'check', field: t.text, op: op.text, values };
      }
      return fail(`expected an operator after field ${t.text}`);
    }
    if (IDENTIFIER.test(t.text)) return { kind: 'macro', name: t.text };
    k--;
    return fail('expected a field or a macro name');
  };

  const expr = parseOr();
  if (k < tokens.length) fail('expected "and", "or" or the end of the condition');
  return expr;
}

/** What a condition names. */
export interface FalcoReferences {
  readonly fields: string[];
  readonly macros: string[];
  /** Bare identifiers inside value lists: list names, or literal values when no list has the name. */
  readonly listItems: string[];
}

/** The fields (without their argument), macros and value-list identifiers of a parsed condition. */
export function referencesOf(expr: FalcoExpr): FalcoReferences {
  const fields = new Set<string>();
  const macros = new Set<string>();
  const listItems = new Set<string>();
  const walk = (e: FalcoExpr): void => {
    switch (e.kind) {
      case 'and': case 'or': e.items.forEach(walk); break;
      case 'not': walk(e.expr); break;
      case 'macro': macros.add(e.name); break;
      case 'check':
        fields.add(fieldName(e.field));
        for (const v of e.values ?? []) if (IDENTIFIER.test(v)) listItems.add(v);
        break;
    }
  };
  walk(expr);
  return { fields: [...fields].sort(), macros: [...macros].sort(), listItems: [...listItems].sort() };
}

/** A field without its `[argument]`. */
export function fieldName(field: string): string {
  const i = field.indexOf('[');
  return i < 0 ? field : field.slice(0, i);
}

/** The fields an output string prints (`%field`, `%field[arg]`). */
export function outputFields(output: string): string[] {
  return [...new Set([...output.matchAll(/%([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+)(\[[^\]]*\])?/g)].map((m) => m[1]))].sort();
}
