import { invalid } from '../../private/errors';
import { AuditLevel, AuditPolicyRule } from '../audit-policy';

const VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy', '*']);

/** Checks a user rule's shape; throws the house error at `where`. */
export function requireAuditRule(where: string, prop: string, rule: AuditPolicyRule): void {
  if (!rule || !Object.values(AuditLevel).includes(rule.level)) {
    invalid(where, `${prop}.level`, 'must be an AuditLevel', rule?.level, 'use AuditLevel.METADATA, REQUEST, REQUEST_RESPONSE or NONE');
  }
  if (typeof rule.reason !== 'string' || rule.reason.trim().length < 10) {
    invalid(where, `${prop}.reason`, 'must say why the rule exists (at least 10 characters)', rule.reason, 'e.g. "ingress controller reads are high volume and carry no change"');
  }
  (rule.verbs ?? []).forEach((v, i) => {
    if (!VERBS.has(v)) invalid(where, `${prop}.verbs[${i}]`, 'is not an API verb', v, `use one of ${[...VERBS].join(', ')}`);
  });
  (rule.nonResourceUrls ?? []).forEach((u, i) => {
    if (typeof u !== 'string' || !u.startsWith('/') || u.slice(0, -1).includes('*')) {
      invalid(where, `${prop}.nonResourceUrls[${i}]`, 'must be a path, with "*" only at the end', u, 'e.g. "/healthz*"');
    }
  });
  if ((rule.nonResourceUrls ?? []).length > 0 && ((rule.resources ?? []).length > 0 || (rule.namespaces ?? []).length > 0)) {
    invalid(where, prop, 'mixes nonResourceUrls with resources or namespaces: the API server then ignores the URLs', rule.nonResourceUrls,
      'split it into a resource rule and a non-resource rule');
  }
}

/** Whether `spec` (a policy entry, `*` suffix allowed) matches every path `inner` matches. */
function urlCovers(spec: string, inner: string): boolean {
  if (spec === '*' || spec === inner) return true;
  if (!spec.endsWith('*')) return false;
  const prefix = spec.slice(0, -1);
  return inner.startsWith(prefix);
}

/** Whether resource entry `a` (of one group) matches every request resource entry `b` matches. */
function resourceCovers(a: string, b: string): boolean {
  if (a === '*' || a === b) return true;
  if (a.endsWith('/*')) {
    const base = a.slice(0, -2);
    return b === base || b.startsWith(`${base}/`);
  }
  if (a.startsWith('*/')) return b.includes('/') && b.slice(b.indexOf('/')) === a.slice(1);
  return false;
}

function listCovers(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a || a.length === 0) return true;
  if (!b || b.length === 0) return false;
  return b.every((x) => a.includes(x));
}

/**
 * Whether every request `later` matches is matched by `earlier` too, in the API server's matching
 * (k8s.io/apiserver audit policy checker): users, groups, verbs; then resource rules (namespaces
 * or resources set) match only resource requests, non-resource rules only non-resource URLs.
 */
export function auditRuleCovers(earlier: AuditPolicyRule, later: AuditPolicyRule): boolean {
  if (!listCovers(earlier.users, later.users)) return false;
  if (!listCovers(earlier.userGroups, later.userGroups)) return false;
  if (!listCovers(earlier.verbs, later.verbs)) return false;
  const kind = (r: AuditPolicyRule) => ((r.namespaces ?? []).length > 0 || (r.resources ?? []).length > 0) ? 'resource'
    : (r.nonResourceUrls ?? []).length > 0 ? 'url' : 'any';
  const ka = kind(earlier);
  const kb = kind(later);
  if (ka === 'any') return true;
  if (ka !== kb) return false;
  if (ka === 'url') return later.nonResourceUrls!.every((u) => earlier.nonResourceUrls!.some((s) => urlCovers(s, u)));
  if (!listCovers(earlier.namespaces, later.namespaces)) return false;
  const ea = earlier.resources ?? [];
  if (ea.length === 0) return true;
  const eb = later.resources ?? [];
  if (eb.length === 0) return false;
  return eb.every((gb) => {
    const same = ea.filter((ga) => ga.group === gb.group);
    if (same.some((ga) => (ga.resources ?? []).length === 0)) return true;
    if ((gb.resources ?? []).length === 0) return false;
    return gb.resources!.every((rb) => same.some((ga) => ga.resources!.some((ra) => resourceCovers(ra, rb))));
  });
}

/** Problems of a rule list: each later rule an earlier one makes unreachable, naming both. */
export function unreachableAuditRules(rules: AuditPolicyRule[]): string[] {
  const problems: string[] = [];
  rules.forEach((later, j) => {
    const i = rules.slice(0, j).findIndex((earlier) => auditRuleCovers(earlier, later));
    if (i >= 0) {
      problems.push(`audit rule ${j} (${later.level}: ${later.reason}) is unreachable: rule ${i} (${rules[i].level}: ${rules[i].reason}) matches every request it matches, and the first match wins`);
    }
  });
  return problems;
}

/** The Policy object for `rules`. */
export function renderAuditPolicy(rules: AuditPolicyRule[]): any {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    // Nothing is recorded at RequestReceived: ResponseComplete (and ResponseStarted for watches)
    // carry the same request with its outcome.
    omitStages: ['RequestReceived'],
    omitManagedFields: true,
    rules: rules.map((r) => ({
      level: r.level,
      ...(r.users?.length ? { users: [...r.users] } : {}),
      ...(r.userGroups?.length ? { userGroups: [...r.userGroups] } : {}),
      ...(r.verbs?.length ? { verbs: [...r.verbs] } : {}),
      ...(r.resources?.length
        ? { resources: r.resources.map((g) => ({ group: g.group, ...(g.resources?.length ? { resources: [...g.resources] } : {}) })) }
        : {}),
      ...(r.namespaces?.length ? { namespaces: [...r.namespaces] } : {}),
      ...(r.nonResourceUrls?.length ? { nonResourceURLs: [...r.nonResourceUrls] } : {}),
    })),
  };
}

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_VERBS = ['get', 'list', 'watch'];

/** What the platform's audit rules are generated from. */
export interface PlatformAuditInput {
  /** Namespaces of SENSITIVE tenants (exec, attach and port-forward recorded with bodies). */
  readonly sensitiveNamespaces: string[];
  /** Namespaces of every tenant (writes recorded with request bodies). */
  readonly tenantNamespaces: string[];
  /** Rules of the program, placed before the tenant-writes rule. */
  readonly additionalRules: AuditPolicyRule[];
}

/**
 * The platform's audit rules, in order: no read-only system noise; Secrets, ConfigMaps and token
 * requests at Metadata only (before any rule that would record their bodies); RBAC changes and
 * exec/attach/port-forward into SENSITIVE namespaces with request and response; the program's
 * rules; writes in tenant namespaces with their request; everything else at Metadata.
 */
export function platformAuditRules(input: PlatformAuditInput): AuditPolicyRule[] {
  const rules: AuditPolicyRule[] = [
    {
      level: AuditLevel.NONE,
      reason: 'kube-proxy watches Services and Endpoints continuously',
      users: ['system:kube-proxy'],
      verbs: ['watch'],
      resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }],
    },
    {
      level: AuditLevel.NONE,
      reason: 'kubelets read their own Node objects on every heartbeat',
      userGroups: ['system:nodes'],
      verbs: ['get'],
      resources: [{ group: '', resources: ['nodes', 'nodes/status'] }],
    },
    {
      level: AuditLevel.NONE,
      reason: 'control-plane components read leases and endpoints for leader election all the time',
      users: ['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
      verbs: READ_VERBS,
      resources: [{ group: '', resources: ['endpoints'] }, { group: 'coordination.k8s.io', resources: ['leases'] }],
    },
    {
      level: AuditLevel.NONE,
      reason: 'health, readiness and version probes are high volume and read-only',
      nonResourceUrls: ['/healthz*', '/livez*', '/readyz*', '/version'],
    },
    {
      level: AuditLevel.NONE,
      reason: 'reads of Events are high volume and carry no change',
      verbs: READ_VERBS,
      resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }],
    },
    {
      level: AuditLevel.METADATA,
      reason: 'Secrets, ConfigMaps and service account tokens: who touched them, never their content',
      resources: [
        { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
        { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
      ],
    },
    {
      level: AuditLevel.REQUEST_RESPONSE,
      reason: 'RBAC changes: the full grant and the stored result',
      verbs: WRITE_VERBS,
      resources: [{ group: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] }],
    },
  ];
  if (input.sensitiveNamespaces.length > 0) {
    rules.push({
      level: AuditLevel.REQUEST_RESPONSE,
      reason: 'exec, attach and port-forward into SENSITIVE namespaces: the command and the session',
      namespaces: [...input.sensitiveNamespaces],
      resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward'] }],
    });
  }
  rules.push(...input.additionalRules);
  if (input.tenantNamespaces.length > 0) {
    rules.push({
      level: AuditLevel.REQUEST,
      reason: 'writes in tenant namespaces: what was asked for',
      verbs: WRITE_VERBS,
      namespaces: [...input.tenantNamespaces],
    });
  }
  rules.push({ level: AuditLevel.METADATA, reason: 'everything else: who did what, when' });
  return rules;
}
