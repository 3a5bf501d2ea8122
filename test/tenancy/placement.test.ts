import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Include } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { bank } from './fixtures';
import { ClusterScopedKind, NetworkPeer, NetworkPort, PolicyGate, UnmanagedNamespace } from '../../src';
import { synthObjects } from '../util';

const configMap = (scope: any, id: string, namespace?: string) =>
  new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase(), ...(namespace !== undefined ? { namespace } : {}) }, data: { a: 'b' } });

describe('objects added to a tenant land in its namespace', () => {
  test('an ApiObject and an Include with no namespace are placed in the tenant namespace; cluster-scoped objects the library writes there carry none', () => {
    const { app, t } = bank();
    configMap(t.payments, 'Settings');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'include-')), 'extra.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\ntype: Opaque\n');
    new Include(t.payments, 'Extra', { url: file });
    app.synth();
    const objects = synthObjects(app);
    const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    expect(byName('ConfigMap', 'settings').metadata.namespace).toBe('payments');
    expect(byName('Secret', 'extra').metadata.namespace).toBe('payments');
    expect(byName('Namespace', 'payments').metadata.namespace).toBeUndefined();
  });

  test('an object may name a component namespace of the platform, or a namespace declared unmanaged, with the reason in the policy report', () => {
    const { app, t, reports } = bank();
    configMap(t.payments, 'ToGatekeeper', 'gatekeeper-system');
    configMap(t.payments, 'ToIngress', 'ingress-nginx');
    new UnmanagedNamespace(app, 'Ingress', { namespace: 'ingress-nginx', reason: 'the ingress controller is installed by the network team' });
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(reports, 'policy-report.json'), 'utf8'));
    expect(report.unmanagedNamespaces).toEqual([{ namespace: 'ingress-nginx', constructPath: 'Ingress', reason: 'the ingress controller is installed by the network team' }]);
    expect(PolicyGate.of(app).lastReport!.unmanagedNamespaces).toEqual(report.unmanagedNamespaces);
  });

  test('outside any tenant: objects in a declared namespace and cluster-scoped objects with none are accepted', () => {
    const { app } = bank();
    const chart = new Chart(app, 'extras');
    configMap(chart, 'InPayments', 'payments');
    configMap(chart, 'InGatekeeper', 'gatekeeper-system');
    new k8s.KubeClusterRole(chart, 'Viewer', { metadata: { name: 'viewer' }, rules: [] });
    new ApiObject(chart, 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    new ClusterScopedKind(chart, 'WidgetScope', { apiGroup: 'example.com', kind: 'Widget' });
    new ApiObject(chart, 'Gadget', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } });
    new ApiObject(chart, 'GadgetCrd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Gadget', plural: 'gadgets' }, versions: [] },
    });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('bad input: refused at synth with path, value and fix; nothing written', () => {
  const cases: Array<[string, (b: ReturnType<typeof bank>) => void, RegExp]> = [
    ['an object of a tenant naming another tenant\'s namespace', ({ t }) => configMap(t.payments, 'Leak', 'core-banking'),
      /\[bank\/payments\/Leak\] 'metadata\.namespace' names tenant "core-banking" \(\[bank\/core-banking\]\) from tenant "payments"'s chart, got "core-banking"; leave metadata\.namespace unset to place the object in "payments", or create it in tenant "core-banking"/],
    ['an object of a tenant naming the default namespace', ({ t }) => configMap(t.payments, 'Default', 'default'),
      /\[bank\/payments\/Default\] 'metadata\.namespace' is the "default" namespace, in tenant "payments"'s chart, got "default"; leave metadata\.namespace unset/],
    ['an object of a tenant naming an undeclared namespace', ({ t }) => configMap(t.payments, 'Elsewhere', 'elsewhere'),
      /\[bank\/payments\/Elsewhere\] 'metadata\.namespace' is a namespace this program does not declare, in tenant "payments"'s chart, got "elsewhere"; leave metadata\.namespace unset .* new UnmanagedNamespace\(scope, id, \{ namespace: "elsewhere", reason: "\.\.\." \}\)/],
    ['an object of a tenant with an empty namespace', ({ t }) => configMap(t.payments, 'Empty', ''),
      /\[bank\/payments\/Empty\] 'metadata\.namespace' is empty in tenant "payments"'s chart, got ""; leave metadata\.namespace unset/],
    ['a cluster-scoped object of the user in a tenant chart', ({ t }) => new k8s.KubeClusterRoleBinding(t.payments, 'Admin', {
      metadata: { name: 'payments-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    }), /\[bank\/payments\/Admin\] 'kind' is cluster-scoped, and tenant "payments"'s chart holds only objects of its namespace .*, got "ClusterRoleBinding"; create it in a chart of its own/],
    ['a namespaced object outside any tenant with no namespace', ({ app }) => configMap(new Chart(app, 'extras'), 'Loose'),
      /\[extras\/Loose\] 'metadata\.namespace' is not set on a namespaced ConfigMap outside any tenant's chart .*, got undefined; set metadata\.namespace to a declared namespace, or create the object in a tenant's chart/],
    ['an object outside any tenant in an undeclared namespace', ({ app }) => configMap(new Chart(app, 'extras'), 'Stray', 'stray'),
      /\[extras\/Stray\] 'metadata\.namespace' is a namespace this program does not declare \(no tenant, no Namespace object\), got "stray"; .*new UnmanagedNamespace/],
    ['an object outside any tenant in default', ({ app }) => configMap(new Chart(app, 'extras'), 'Dflt', 'default'),
      /\[extras\/Dflt\] 'metadata\.namespace' is a namespace this program does not declare .*, got "default"/],
    ['an object of an unknown kind outside any tenant with no namespace', ({ app }) => new ApiObject(new Chart(app, 'extras'), 'Thing', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'thing' } }),
      /\[extras\/Thing\] 'metadata\.namespace' is not set on a namespaced Thing .*if Thing is cluster-scoped, declare it with new ClusterScopedKind\(scope, id, \{ apiGroup: "example\.com", kind: "Thing" \}\)/],
    ['an UnmanagedNamespace naming a tenant', ({ app }) => new UnmanagedNamespace(app, 'NotReally', { namespace: 'payments', reason: 'it is managed elsewhere, supposedly' }),
      /\[NotReally\] 'namespace' is declared by this program at \[bank\/payments\], so it is not unmanaged, got "payments"; remove the UnmanagedNamespace/],
    ['podsInNamespace naming a tenant added later to the same platform', ({ platform, t }) => {
      t.payments.allowTo(NetworkPeer.podsInNamespace('risk'), [NetworkPort.tcp(8443)]);
      platform.addTenant('risk', { tier: platform.tenants[0].tier, team: 'risk-eng' }).addImagePullSecret('harbor-pull');
    }, /\[bank\/payments\] 'allowTo\.peer\.namespace' is the namespace of a tenant of this platform.*, got "risk"; use NetworkPeer\.tenant\(platform\.tenant\("risk"\)\)/],
  ];

  test.each(cases)('fails if %s', (_name, mistake, message) => {
    const b = bank();
    mistake(b);
    expect(() => b.app.synth()).toThrow(message);
    expect(b.written()).toEqual([]);
  });

  test('fails at once if podsInNamespace names a tenant the platform already has, or the tenant itself', () => {
    const { t } = bank();
    expect(() => t['core-banking'].allowFrom(NetworkPeer.podsInNamespace('payments'), [NetworkPort.tcp(8443)]))
      .toThrow(/\[bank\/core-banking\] 'allowFrom\.peer\.namespace' is the namespace of a tenant of this platform: a pods peer writes only this side, so the other tenant's default-deny still drops the traffic, got "payments"; use NetworkPeer\.tenant\(platform\.tenant\("payments"\)\), which writes the egress and the matching ingress rule/);
    expect(() => t.payments.allowTo(NetworkPeer.podsInNamespace('payments'), [NetworkPort.tcp(8443)]))
      .toThrow(/\[bank\/payments\] 'allowTo\.peer\.namespace' is this tenant's own namespace, got "payments"; use allowWithinTenant\(ports\)/);
  });

  test('podsInNamespace naming a component namespace or one outside the platform is allowed', () => {
    const { app, t } = bank();
    t.payments.allowFrom(NetworkPeer.podsInNamespace('gatekeeper-system'), [NetworkPort.tcp(8443)]);
    t.payments.allowFrom(NetworkPeer.podsInNamespace('ingress-nginx', { app: 'ingress' }), [NetworkPort.tcp(8443)]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails if an UnmanagedNamespace has no reason or no valid name', () => {
    const { app } = bank();
    expect(() => new UnmanagedNamespace(app, 'NoReason', { namespace: 'ingress-nginx', reason: '  ' }))
      .toThrow(/\[NoReason\] 'reason' must say why objects go to a namespace this program does not manage, got "  "; give the reason/);
    expect(() => new UnmanagedNamespace(app, 'BadName', { namespace: 'Ingress_Nginx', reason: 'installed by the network team' }))
      .toThrow(/\[BadName\] 'namespace' must be a namespace name \(DNS label\), got "Ingress_Nginx"/);
    expect(() => new ClusterScopedKind(app, 'BadKind', { apiGroup: 'example.com', kind: 'widget' })).toThrow(/\[BadKind\] 'kind' must be a kind in PascalCase, got "widget"/);
  });
});
