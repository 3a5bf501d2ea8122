import { PolicyEvaluator } from '../../src/policy';
import { compileCel, fromCel, toCel } from '../../src/policy/private/cel';
import { compiledProgramCount } from '../../src/policy/private/engine';

/** A CEL template as plain JSON, as a user might bring it (not built with our constructs). */
function template(kind: string, source: any): any {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: kind.toLowerCase() },
    spec: { crd: { spec: { names: { kind } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source }] }] },
  };
}
function constraint(kind: string, name: string, spec: any = {}): any {
  return { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind, metadata: { name }, spec };
}
const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const cm = (name: string, namespace?: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}), labels }, data: { a: '1' },
});
const DENY_ALL = template('K8sDenyAll', { validations: [{ expression: 'false', messageExpression: "'denied ' + object.metadata.name" }] });
const names = (r: any) => r.violations.map((v: any) => v.objectName).sort();

describe('match block semantics', () => {
  test('namespaceSelector is resolved against the program\'s Namespace objects', () => {
    const r = PolicyEvaluator.evaluateManifests([
      DENY_ALL, constraint('K8sDenyAll', 'c', { match: { kinds: [{ apiGroups: [''], kinds: ['ConfigMap'] }], namespaceSelector: { matchLabels: { tier: 'sensitive' } } } }),
      ns('pay', { tier: 'sensitive' }), ns('dev', { tier: 'dev' }), cm('in-pay', 'pay'), cm('in-dev', 'dev'), cm('in-unknown', 'ghost'),
    ]);
    expect(names(r)).toEqual(['in-pay']);
    expect(r.undeclaredNamespaces).toEqual(['ghost']);
  });

  test('namespaces and excludedNamespaces with prefix and suffix globs; Namespaces match by their own name', () => {
    const r = PolicyEvaluator.evaluateManifests([
      DENY_ALL, constraint('K8sDenyAll', 'c', { match: { namespaces: ['team-*'], excludedNamespaces: ['*-sandbox'] } }),
      ns('team-a'), ns('team-sandbox'), cm('x', 'team-a'), cm('y', 'team-sandbox'), cm('z', 'other'),
    ]);
    expect(r.violations.filter((v) => ['ConfigMap', 'Namespace'].includes(v.objectKind)).map((v) => v.objectName).sort()).toEqual(['team-a', 'x']);
    // cluster-scoped objects other than Namespaces are not limited by namespaces, as in Gatekeeper
    expect(r.violations.filter((v) => v.objectKind === 'K8sDenyAll')).toHaveLength(1);
  });

  test('labelSelector, scope and kinds; a namespaced object without namespace lands in default', () => {
    const objs = [ns('default'), cm('labelled', undefined, { app: 'a' }), cm('plain', 'default')];
    const r1 = PolicyEvaluator.evaluateManifests([DENY_ALL, constraint('K8sDenyAll', 'c', { match: { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] } } }), ...objs]);
    expect(names(r1)).toEqual(['labelled']);
    expect(r1.violations[0].objectNamespace).toBe('default');
    const r2 = PolicyEvaluator.evaluateManifests([DENY_ALL, constraint('K8sDenyAll', 'c', { match: { scope: 'Cluster', kinds: [{ apiGroups: ['*'], kinds: ['*'] }] } }), ...objs]);
    expect(r2.violations.map((v) => v.objectKind).sort()).toEqual(['ConstraintTemplate', 'K8sDenyAll', 'Namespace']);
  });

  test('the Gatekeeper Config excludes namespaces from every constraint', () => {
    const config = { apiVersion: 'config.gatekeeper.sh/v1alpha1', kind: 'Config', metadata: { name: 'config', namespace: 'gatekeeper-system' }, spec: { match: [{ excludedNamespaces: ['kube-*'], processes: ['*'] }] } };
    const r = PolicyEvaluator.evaluateManifests([DENY_ALL, constraint('K8sDenyAll', 'c', { match: { kinds: [{ apiGroups: [''], kinds: ['ConfigMap'] }] } }), config, cm('a', 'kube-system'), cm('b', 'apps')]);
    expect(names(r)).toEqual(['b']);
  });
});

describe('Gatekeeper CEL bindings', () => {
  test('object, params, variables.params, variables.anyObject, namespaceObject, request, oldObject', () => {
    const t = template('K8sBindings', {
      variables: [{ name: 'owner', expression: "namespaceObject.metadata.labels['owner']" }],
      validations: [
        { expression: "variables.params.prefix == 'x' && params.metadata.name == 'c' && request.operation == 'CREATE' && oldObject == null", message: 'bindings' },
        { expression: 'variables.anyObject.metadata.name.startsWith(variables.params.prefix)', messageExpression: "'owner ' + variables.owner + ' replicas ' + string(object.spec.replicas + 1)" },
      ],
    });
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ledger', namespace: 'pay' }, spec: { replicas: 2, template: { spec: { containers: [] } } } };
    const r = PolicyEvaluator.evaluateManifests([t, constraint('K8sBindings', 'c', { parameters: { prefix: 'x' }, match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } }), ns('pay', { owner: 'team-a' }), deploy]);
    expect(r.violations.map((v) => v.message)).toEqual(['owner team-a replicas 3']);
  });

  test('matchConditions skip objects; a runtime CEL error is a violation, never a pass', () => {
    const t = template('K8sCond', {
      matchConditions: [{ name: 'only-a', expression: "object.metadata.name == 'a'" }],
      validations: [{ expression: 'object.data.missing == 1' }],
    });
    const r = PolicyEvaluator.evaluateManifests([t, constraint('K8sCond', 'c'), cm('a', 'n'), cm('b', 'n')]);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ objectName: 'a', message: expect.stringMatching(/CEL error in validations\[0\]/) });
  });

  test('workload pod templates are judged as pods, CronJobs included; ExpansionTemplate enforcement wins', () => {
    const t = template('K8sPods', { validations: [{ expression: "object.kind == 'Pod' && object.metadata.namespace == 'n' && false", message: 'pod judged' }] });
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'settle', namespace: 'n' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [] } } } } } };
    const expansion = { apiVersion: 'expansion.gatekeeper.sh/v1beta1', kind: 'ExpansionTemplate', metadata: { name: 'cron' }, spec: { applyTo: [{ groups: ['batch'], kinds: ['CronJob'], versions: ['v1'] }], templateSource: 'spec.jobTemplate.spec.template', generatedGVK: { kind: 'Pod', group: '', version: 'v1' }, enforcementAction: 'warn' } };
    const c = constraint('K8sPods', 'c', { match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] } });
    const r1 = PolicyEvaluator.evaluateManifests([t, c, cron], ['t', 'c', 'app/Settle']);
    expect(r1.violations).toEqual([expect.objectContaining({ enforcement: 'deny', constructPath: 'app/Settle', objectKind: 'Pod', expandedFrom: 'CronJob/settle', message: 'pod judged' })]);
    const r2 = PolicyEvaluator.evaluateManifests([t, c, cron, expansion]);
    expect(r2.violations.map((v) => v.enforcement)).toEqual(['warn']);
  });

  test('a constraint whose kind has no template is reported as not evaluated', () => {
    const r = PolicyEvaluator.evaluateManifests([constraint('K8sOrphan', 'lost'), cm('a', 'n')]);
    expect(r.notEvaluated).toEqual([expect.objectContaining({ constraintKind: 'K8sOrphan', constraintName: 'lost', reason: 'no ConstraintTemplate in the program defines kind K8sOrphan' })]);
    expect(r.summary.notEvaluated).toBe(1);
  });

  test('each expression is compiled once, however many objects and evaluations', () => {
    const objects = Array.from({ length: 200 }, (_, i) => cm(`m${i}`, 'n'));
    const t = template('K8sOnce', { variables: [{ name: 'n', expression: "object.metadata.name + '-once'" }], validations: [{ expression: "variables.n.endsWith('-once')" }] });
    PolicyEvaluator.evaluateManifests([t, constraint('K8sOnce', 'c'), ...objects]);
    const after = compiledProgramCount();
    const r = PolicyEvaluator.evaluateManifests([t, constraint('K8sOnce', 'c'), constraint('K8sOnce', 'd'), ...objects]);
    expect(compiledProgramCount()).toBe(after);
    expect(r.summary.evaluations).toBe(2 * (200 + 3)); // each constraint: 200 ConfigMaps, the template, two constraints
    expect(r.violations).toEqual([]);
  });

  test('evaluation is deterministic', () => {
    const input = [DENY_ALL, constraint('K8sDenyAll', 'b'), constraint('K8sDenyAll', 'a'), cm('z', 'n'), cm('y', 'n')];
    expect(JSON.stringify(PolicyEvaluator.evaluateManifests(input))).toBe(JSON.stringify(PolicyEvaluator.evaluateManifests([...input].reverse())));
  });
});

describe('CEL support', () => {
  const run = (expr: string, vars: Record<string, unknown> = {}) => fromCel(compileCel(expr, 'test')(toCel(vars) as any));
  test.each([
    ["'abc-123-de-45'.find('[0-9]+')", '123'],
    ["'abc-123-de-45'.findAll('[0-9]+')", ['123', '45']],
    ["'a1b2c3'.findAll('[0-9]', 2)", ['1', '2']],
    ["'PASSWORD'.matches('(?i)password')", true],
    ['[1, 2, 3].isSorted() && ![3, 1].isSorted()', true],
    ['[1, 2, 3].sum()', 6],
    ['[4, 2, 9].min() + [4, 2, 9].max()', 11],
    ["['a', 'b', 'a'].indexOf('a') + ['a', 'b', 'a'].lastIndexOf('a') + ['a'].indexOf('z')", 1],
    ["'a/b/c'.substring('a/b/c'.lastIndexOf('/') + 1) + 'x,y'.split(',').join('')", 'cxy'],
    ['n + 1', 3],
  ])('%s', (expr, expected) => {
    expect(run(expr, { n: 2 })).toEqual(expected);
  });

  test('an unsupported function gives a clear error naming it', () => {
    expect(() => compileCel("url('https://x').getHost() == 'x'", 'template "t" validations[0]'))
      .toThrow(/template "t" validations\[0\]: CEL function 'getHost' is not supported by the synth-time evaluator|CEL function 'url' is not supported/);
    expect(() => compileCel('ip("10.0.0.1").family() == 4', 'w')).toThrow(/CEL function '(family|ip)' is not supported/);
  });
});
