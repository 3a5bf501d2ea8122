import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { Weakening, WeakeningKind } from '../weakening';

/** One acknowledged weakening as written in `Weakening.ANNOTATION`. */
export interface WeakeningEntry {
  readonly weakening: WeakeningKind;
  readonly detail: string;
  readonly reason: string;
}

/** Checks an optional acknowledgement given for `prop`: absent, or a `Weakening` with a reason. */
export function checkWeakening(scope: IConstruct | string, prop: string, weakening: Weakening | undefined): void {
  if (weakening === undefined) return;
  if (!(weakening instanceof Weakening)) {
    invalid(scope, prop, 'must be a Weakening', weakening, 'use Weakening.acknowledge("<reason>")');
  }
  weakening._check(scope, prop);
}

const RECORDS = new WeakMap<ApiObject, WeakeningEntry[]>();

/**
 * Records an acknowledged weakening on the object that carries it (annotation
 * `Weakening.ANNOTATION`, sorted, one entry per distinct weakening), where the policy report
 * reads it from the synthesized output.
 */
export function recordWeakening(obj: ApiObject, kind: WeakeningKind, detail: string, weakening: Weakening): void {
  const list = RECORDS.get(obj) ?? [];
  if (!list.some((e) => e.weakening === kind && e.detail === detail && e.reason === weakening.reason)) {
    list.push({ weakening: kind, detail, reason: weakening.reason });
    list.sort((a, b) => `${a.weakening}\0${a.detail}\0${a.reason}`.localeCompare(`${b.weakening}\0${b.detail}\0${b.reason}`));
  }
  RECORDS.set(obj, list);
  obj.metadata.addAnnotation(Weakening.ANNOTATION, JSON.stringify(list));
}

/** Removes the records of one kind from an object (when the weakening is undone). */
export function clearWeakenings(obj: ApiObject, kind: WeakeningKind): void {
  const list = (RECORDS.get(obj) ?? []).filter((e) => e.weakening !== kind);
  RECORDS.set(obj, list);
  if (list.length > 0) obj.metadata.addAnnotation(Weakening.ANNOTATION, JSON.stringify(list));
  else delete (obj.metadata as any).annotations?.[Weakening.ANNOTATION];
}
