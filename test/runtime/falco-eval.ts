/**
 * A small evaluator of Falco conditions, for tests only: evaluates a parsed condition against a
 * sample event (a map of field -> value), expanding macros and lists from the pinned upstream
 * ruleset and the platform's file. Operators follow Falco's meaning for the cases the rules use.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FalcoExpr, parseFalcoCondition } from '../../src/runtime/private/falco-condition';

export const UPSTREAM_FILE = path.resolve(__dirname, '..', '..', '..', 'shared', 'crds', 'falco', 'falco_rules.yaml');
export const HAS_UPSTREAM = fs.existsSync(UPSTREAM_FILE);

export type FalcoEvent = { [field: string]: string | number | boolean | undefined };

export class FalcoEvaluator {
  private readonly macros = new Map<string, string>();
  private readonly lists = new Map<string, string[]>();
  private readonly rules = new Map<string, string>();

  /** Loads rules-file items in order (later definitions replace earlier ones, as Falco does). */
  public load(items: any[]): this {
    for (const i of items) {
      if (i.macro !== undefined) this.macros.set(i.macro, String(i.condition));
      if (i.list !== undefined) this.lists.set(i.list, (i.items ?? []).map(String));
      if (i.rule !== undefined && i.condition !== undefined) this.rules.set(i.rule, String(i.condition));
    }
    return this;
  }

  public loadUpstream(): this {
    return this.load(parse(fs.readFileSync(UPSTREAM_FILE, 'utf8')));
  }

  /** Names of the loaded rules that fire on `event`. */
  public firing(event: FalcoEvent): string[] {
    return [...this.rules.entries()].filter(([, c]) => this.evaluate(c, event)).map(([n]) => n);
  }

  public evaluate(condition: string, event: FalcoEvent): boolean {
    return this.eval(parseFalcoCondition(condition), event, 0);
  }

  private values(items: string[], depth = 0): string[] {
    if (depth > 10) throw new Error('list recursion');
    return items.flatMap((v) => (this.lists.has(v) ? this.values(this.lists.get(v)!, depth + 1) : [unquote(v)]));
  }

  private eval(e: FalcoExpr, ev: FalcoEvent, depth: number): boolean {
    if (depth > 50) throw new Error('macro recursion');
    switch (e.kind) {
      case 'and': return e.items.every((x) => this.eval(x, ev, depth));
      case 'or': return e.items.some((x) => this.eval(x, ev, depth));
      case 'not': return !this.eval(e.expr, ev, depth);
      case 'macro': {
        const m = this.macros.get(e.name);
        if (m === undefined) throw new Error(`unknown macro ${e.name}`);
        return this.eval(parseFalcoCondition(m), ev, depth + 1);
      }
      case 'check': {
        const raw = ev[e.field];
        if (e.op === 'exists') return raw !== undefined;
        if (raw === undefined) return false;
        const v = String(raw);
        const one = e.value !== undefined ? (this.lists.has(e.value) ? e.value : unquote(e.value)) : '';
        switch (e.op) {
          case '=': case '==': return v === one;
          case '!=': return v !== one;
          case '<': return Number(v) < Number(one);
          case '<=': return Number(v) <= Number(one);
          case '>': return Number(v) > Number(one);
          case '>=': return Number(v) >= Number(one);
          case 'contains': return v.includes(one);
          case 'icontains': return v.toLowerCase().includes(one.toLowerCase());
          case 'startswith': return v.startsWith(one);
          case 'endswith': return v.endsWith(one);
          case 'in': {
            const vals = this.values(e.values ?? []);
            if (e.field.endsWith('net')) return vals.some((c) => inCidr(v, c));
            return vals.includes(v);
          }
          case 'intersects': return this.values(e.values ?? []).some((x) => v.split(',').includes(x));
          case 'pmatch': return this.values(e.values ?? []).some((p) => v === p || v.startsWith(p.endsWith('/') ? p : `${p}/`));
          default: throw new Error(`operator ${e.op} not supported by the test evaluator`);
        }
      }
    }
  }
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((s, x) => s * 256 + Number(x), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / 2 ** (32 - Number(bits))) === Math.floor(n(net) / 2 ** (32 - Number(bits))) && mask >= 0;
}
