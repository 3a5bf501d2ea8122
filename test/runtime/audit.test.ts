import { AuditLevel, AuditPolicyRule } from '../../src';
import { auditRuleCovers, platformAuditRules, renderAuditPolicy, unreachableAuditRules } from '../../src/runtime/private/audit-rules';

/** A request as the API server's audit policy checker sees it. */
interface Req {
  user?: string;
  groups?: string[];
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  path?: string;
}

/** k8s.io/apiserver audit policy matching, written for the test from the documented semantics. */
function matches(r: any, q: Req): boolean {
  if (r.users && !r.users.includes(q.user)) return false;
  if (r.userGroups && !(q.groups ?? []).some((g) => r.userGroups.includes(g))) return false;
  if (r.verbs && !r.verbs.includes(q.verb)) return false;
  if (r.namespaces || r.resources) {
    if (q.path) return false;
    if (r.namespaces && !r.namespaces.includes(q.namespace ?? '')) return false;
    if (!r.resources) return true;
    const combined = q.subresource ? `${q.resource}/${q.subresource}` : q.resource;
    return r.resources.some((g: any) => g.group === (q.group ?? '') && (!g.resources || g.resources.some((x: string) =>
      x === combined || x === '*' || (x.endsWith('/*') && q.resource === x.slice(0, -2)) || (x.startsWith('*/') && q.subresource === x.slice(2)))));
  }
  if (r.nonResourceURLs) {
    if (!q.path) return false;
    return r.nonResourceURLs.some((u: string) => u === '*' || u === q.path || (u.endsWith('*') && q.path!.startsWith(u.slice(0, -1))));
  }
  return true;
}

const policy = renderAuditPolicy(platformAuditRules({ sensitiveNamespaces: ['payments'], tenantNamespaces: ['core-banking', 'dev-sandbox', 'payments'], additionalRules: [] }));
const levelOf = (q: Req) => policy.rules.find((r: any) => matches(r, q))?.level;

describe('the platform audit policy', () => {
  test('is an audit.k8s.io/v1 Policy with only the fields of that version, and no RequestReceived stage', () => {
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    expect(policy.kind).toBe('Policy');
    expect(policy.omitStages).toEqual(['RequestReceived']);
    expect(Object.keys(policy).sort()).toEqual(['apiVersion', 'kind', 'omitManagedFields', 'omitStages', 'rules']);
    const ruleKeys = new Set(['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields']);
    for (const r of policy.rules) {
      for (const k of Object.keys(r)) expect(ruleKeys.has(k)).toBe(true);
      expect(['None', 'Metadata', 'Request', 'RequestResponse']).toContain(r.level);
      for (const g of r.resources ?? []) for (const k of Object.keys(g)) expect(['group', 'resources', 'resourceNames']).toContain(k);
    }
  });

  test.each<[string, Req, string]>([
    ['secret read', { user: 'alice', verb: 'get', resource: 'secrets', namespace: 'payments' }, 'Metadata'],
    ['secret write in a tenant namespace (never its body)', { user: 'alice', verb: 'create', resource: 'secrets', namespace: 'payments' }, 'Metadata'],
    ['configmap update', { user: 'alice', verb: 'update', resource: 'configmaps', namespace: 'core-banking' }, 'Metadata'],
    ['token request', { user: 'kubelet', verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'payments' }, 'Metadata'],
    ['rolebinding change', { user: 'alice', verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: 'core-banking' }, 'RequestResponse'],
    ['clusterrole change', { user: 'alice', verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '' }, 'RequestResponse'],
    ['exec into payments', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'payments' }, 'RequestResponse'],
    ['attach in payments', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'attach', namespace: 'payments' }, 'RequestResponse'],
    ['port-forward into payments', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'portforward', namespace: 'payments' }, 'RequestResponse'],
    ['exec into core-banking (a tenant write)', { user: 'alice', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'core-banking' }, 'Request'],
    ['deployment patch in a tenant namespace', { user: 'flux', verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'dev-sandbox' }, 'Request'],
    ['pod list in a tenant namespace', { user: 'alice', verb: 'list', resource: 'pods', namespace: 'payments' }, 'Metadata'],
    ['kube-proxy watching endpoints', { user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints', namespace: 'payments' }, 'None'],
    ['kubelet reading its node', { user: 'system:node:n1', groups: ['system:nodes'], verb: 'get', resource: 'nodes', namespace: '' }, 'None'],
    ['health probe', { user: 'system:anonymous', verb: 'get', path: '/readyz' }, 'None'],
    ['a write outside tenants', { user: 'alice', verb: 'create', group: 'apps', resource: 'deployments', namespace: 'kube-system' }, 'Metadata'],
  ])('%s is recorded at %s', (_what, q, level) => {
    expect(levelOf(q)).toBe(level);
  });

  test('no rule of the platform policy is unreachable', () => {
    expect(unreachableAuditRules(platformAuditRules({ sensitiveNamespaces: ['payments'], tenantNamespaces: ['payments'], additionalRules: [] }))).toEqual([]);
  });
});

describe('unreachable rules', () => {
  const rule = (r: Partial<AuditPolicyRule>): AuditPolicyRule => ({ level: AuditLevel.METADATA, reason: 'test rule here', ...r });

  test.each<[string, AuditPolicyRule, AuditPolicyRule, boolean]>([
    ['a catch-all covers anything', rule({}), rule({ verbs: ['get'], resources: [{ group: '' }] }), true],
    ['every verb covers some verbs', rule({ resources: [{ group: '', resources: ['pods'] }] }), rule({ verbs: ['get'], resources: [{ group: '', resources: ['pods'] }] }), true],
    ['some verbs do not cover every verb', rule({ verbs: ['get'] }), rule({}), false],
    ['pods does not cover pods/exec', rule({ resources: [{ group: '', resources: ['pods'] }] }), rule({ resources: [{ group: '', resources: ['pods/exec'] }] }), false],
    ['pods/* covers pods/exec', rule({ resources: [{ group: '', resources: ['pods/*'] }] }), rule({ resources: [{ group: '', resources: ['pods/exec'] }] }), true],
    ['*/exec covers pods/exec', rule({ resources: [{ group: '', resources: ['*/exec'] }] }), rule({ resources: [{ group: '', resources: ['pods/exec'] }] }), true],
    ['a whole group covers its resources', rule({ resources: [{ group: 'apps' }] }), rule({ resources: [{ group: 'apps', resources: ['deployments'] }] }), true],
    ['another group does not', rule({ resources: [{ group: '' }] }), rule({ resources: [{ group: 'apps', resources: ['deployments'] }] }), false],
    ['namespaces cover a subset', rule({ namespaces: ['a', 'b'] }), rule({ namespaces: ['a'], resources: [{ group: '' }] }), true],
    ['a resource rule never covers a URL rule', rule({ resources: [{ group: '' }] }), rule({ nonResourceUrls: ['/healthz'] }), false],
    ['/healthz* covers /healthz/etcd', rule({ nonResourceUrls: ['/healthz*'] }), rule({ nonResourceUrls: ['/healthz/etcd'] }), true],
    ['users cover a subset', rule({ users: ['a', 'b'] }), rule({ users: ['a'] }), true],
    ['a user list never covers every user', rule({ users: ['a'] }), rule({}), false],
  ])('%s', (_what, earlier, later, covers) => {
    expect(auditRuleCovers(earlier, later)).toBe(covers);
  });

  test('names both rules', () => {
    const problems = unreachableAuditRules([
      rule({ level: AuditLevel.NONE, reason: 'reads of pods are noise', verbs: ['get', 'list'], resources: [{ group: '' }] }),
      rule({ level: AuditLevel.REQUEST_RESPONSE, reason: 'secret reads in payments', verbs: ['get'], namespaces: ['payments'], resources: [{ group: '', resources: ['secrets'] }] }),
    ]);
    expect(problems).toEqual(['audit rule 1 (RequestResponse: secret reads in payments) is unreachable: rule 0 (None: reads of pods are noise) matches every request it matches, and the first match wins']);
  });
});
