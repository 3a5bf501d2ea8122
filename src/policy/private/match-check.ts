import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { isDnsLabel } from '../../private/validate';
import { GatekeeperLabelSelector, GatekeeperMatch, GatekeeperSelectorOperator } from '../match';

/**
 * Checks a namespace name or Gatekeeper glob: a DNS label, optionally with one `*` at the start
 * (suffix glob) or at the end (prefix glob), as Gatekeeper accepts them.
 */
export function checkNamespacePattern(scope: IConstruct, prop: string, value: string): void {
  const core = typeof value === 'string' ? value.replace(/^\*/, '').replace(/\*$/, '') : value;
  const globs = typeof value === 'string' ? (value.match(/\*/g) ?? []).length : 0;
  const ok = typeof value === 'string' && globs <= 1 && core.length > 0 && /^[a-z0-9-]+$/.test(core)
    && (globs === 1 || isDnsLabel(value));
  if (!ok) {
    invalid(scope, prop, 'must be a namespace name or a prefix/suffix glob', value,
      'use a name such as "payments", a prefix glob "team-*" or a suffix glob "*-system"');
  }
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkSelector(scope: IConstruct, prop: string, sel: GatekeeperLabelSelector): void {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (!LABEL_KEY.test(k)) invalid(scope, `${prop}.matchLabels`, 'has an invalid label key', k, 'use a key such as "app.kubernetes.io/name"');
    if (typeof v !== 'string' || v.length > 63) invalid(scope, `${prop}.matchLabels["${k}"]`, 'must be a label value (at most 63 characters)', v, 'use a short label value');
  }
  (sel.matchExpressions ?? []).forEach((req, i) => {
    const p = `${prop}.matchExpressions[${i}]`;
    if (!LABEL_KEY.test(req.key)) invalid(scope, `${p}.key`, 'must be a valid label key', req.key, 'use a key such as "app.kubernetes.io/name"');
    const values = req.values ?? [];
    const needsValues = req.operator === GatekeeperSelectorOperator.IN || req.operator === GatekeeperSelectorOperator.NOT_IN;
    if (!Object.values(GatekeeperSelectorOperator).includes(req.operator)) {
      invalid(scope, `${p}.operator`, 'must be In, NotIn, Exists or DoesNotExist', req.operator, 'use GatekeeperSelectorOperator');
    }
    if (needsValues && values.length === 0) invalid(scope, `${p}.values`, `must not be empty for ${req.operator}`, values, 'list the label values to compare with');
    if (!needsValues && values.length > 0) invalid(scope, `${p}.values`, `must be empty for ${req.operator}`, values, 'remove the values');
  });
}

function selectorJson(sel: GatekeeperLabelSelector): any {
  const out: any = {};
  const labels = sel.matchLabels ?? {};
  if (Object.keys(labels).length > 0) {
    out.matchLabels = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]]));
  }
  if ((sel.matchExpressions ?? []).length > 0) {
    out.matchExpressions = sel.matchExpressions!.map((r) => ({
      key: r.key, operator: r.operator, ...(r.values && r.values.length > 0 ? { values: [...r.values] } : {}),
    }));
  }
  return out;
}

/** Validates a match block and renders it as the constraint's `spec.match`. */
export function renderMatch(scope: IConstruct, match: GatekeeperMatch): any {
  const out: any = {};
  if (match.kinds) {
    if (match.kinds.length === 0) invalid(scope, 'match.kinds', 'must not be an empty list', match.kinds, 'omit kinds to match every kind, or list at least one');
    match.kinds.forEach((k, i) => {
      if (!k.kinds || k.kinds.length === 0) invalid(scope, `match.kinds[${i}].kinds`, 'must list at least one kind', k.kinds, 'use ["Pod"] or ["*"]');
      if (!k.apiGroups || k.apiGroups.length === 0) invalid(scope, `match.kinds[${i}].apiGroups`, 'must list at least one API group', k.apiGroups, 'use [""] for the core group or ["*"]');
    });
    out.kinds = match.kinds.map((k) => ({ apiGroups: [...k.apiGroups], kinds: [...k.kinds] }));
  }
  if (match.scope) out.scope = match.scope;
  (match.namespaces ?? []).forEach((ns, i) => checkNamespacePattern(scope, `match.namespaces[${i}]`, ns));
  (match.excludedNamespaces ?? []).forEach((ns, i) => checkNamespacePattern(scope, `match.excludedNamespaces[${i}]`, ns));
  if (match.namespaces && match.namespaces.length > 0) out.namespaces = [...match.namespaces];
  if (match.excludedNamespaces && match.excludedNamespaces.length > 0) out.excludedNamespaces = [...match.excludedNamespaces];
  if (match.labelSelector) {
    checkSelector(scope, 'match.labelSelector', match.labelSelector);
    out.labelSelector = selectorJson(match.labelSelector);
  }
  if (match.namespaceSelector) {
    checkSelector(scope, 'match.namespaceSelector', match.namespaceSelector);
    out.namespaceSelector = selectorJson(match.namespaceSelector);
  }
  if (match.name !== undefined) {
    const core = match.name.replace(/^\*/, '').replace(/\*$/, '');
    if (core.length === 0 || core.includes('*')) invalid(scope, 'match.name', 'must be a name with at most a prefix or suffix glob', match.name, 'use a name such as "ledger" or "ledger-*"');
    out.name = match.name;
  }
  return out;
}
