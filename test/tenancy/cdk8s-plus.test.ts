import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { bank, hardenedDeployment } from './fixtures';
import { PlatformLabels, PolicyGate, Tenant, TenantServiceAccount, Tier } from '../../src';
import { named, synthObjects } from '../util';

describe('cdk8s-plus workloads in a tenant', () => {
  test('a cdk8s-plus Deployment with no namespace lands in the tenant namespace, runs as the tenant\'s service account and passes every policy', () => {
    const { app, t } = bank();
    const web = hardenedDeployment(t.payments);
    app.synth();
    const objects = synthObjects(app);
    const deployment = named(objects, 'Deployment', web.name);
    expect(deployment.metadata.namespace).toBe('payments');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('web');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(PolicyGate.of(app).lastReport!.violations).toEqual([]);
  });

  test('addServiceAccount returns a cdk8s-plus IServiceAccount: workloads and RoleBindings take it', () => {
    const { t } = bank();
    const sa: kplus.IServiceAccount = t.payments.addServiceAccount('reporter');
    expect(sa).toBeInstanceOf(TenantServiceAccount);
    expect([sa.name, sa.kind, sa.apiVersion, sa.apiGroup, sa.resourceType]).toEqual(['reporter', 'ServiceAccount', 'v1', '', 'serviceaccounts']);
    const role = new kplus.Role(t.payments, 'ReadConfig', { metadata: { namespace: 'payments' } });
    role.allowRead(kplus.ApiResource.CONFIG_MAPS);
    const binding = new kplus.RoleBinding(t.payments, 'ReporterReads', { role });
    binding.addSubjects(sa);
    const json = Testing.synth(t.payments).find((o: any) => o.kind === 'RoleBinding' && o.metadata.name === binding.name);
    expect(json.subjects).toEqual([{ kind: 'ServiceAccount', name: 'reporter', namespace: 'payments' }]);
    expect(json.metadata.namespace).toBe('payments');
  });

  test('the service account has no token automount and carries pull Secrets added before and after it', () => {
    const { t } = bank();
    t.payments.addServiceAccount('late');
    t.payments.addImagePullSecret('extra-pull');
    const sa = named(Testing.synth(t.payments), 'ServiceAccount', 'late', 'payments');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-pull' }, { name: 'extra-pull' }]);
    expect(t.payments.addServiceAccount('x').node.defaultChild).toBeInstanceOf(ApiObject);
  });

  test('workloadLabels are the required-labels policy\'s labels with this tenant\'s values', () => {
    const { t } = bank([['payments', Tier.SENSITIVE], ['sandbox', Tier.DEV]]);
    expect(t.payments.workloadLabels).toEqual({
      'devsecops.cdk8s.io/owner': 'payments-eng',
      'devsecops.cdk8s.io/data-classification': 'restricted',
      'devsecops.cdk8s.io/tenant': 'payments',
    });
    expect(t.sandbox.workloadLabels[PlatformLabels.DATA_CLASSIFICATION]).toBe('internal');
  });

  test('fails if a SENSITIVE workload omits workloadLabels: the required-labels policy denies it, naming the labels', () => {
    const { app, t, written } = bank();
    hardenedDeployment(t.payments, 'Web', { metadata: {}, podMetadata: {} });
    expect(() => app.synth()).toThrow(/Deployment payments\/.* violates DevSecOpsRequiredLabels "required-labels-sensitive" \(deny\): Deployment must carry non-empty labels matching their pattern: devsecops\.cdk8s\.io\/owner, devsecops\.cdk8s\.io\/data-classification/);
    expect(written()).toEqual([]);
  });

  test('objects the user adds carry only the labels the user gives; the tenant\'s own objects are labelled managed-by', () => {
    const { app, t } = bank();
    hardenedDeployment(t.payments);
    new ApiObject(t.payments, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'strict' } });
    const objects = synthObjects(app).filter((o) => o.metadata.namespace === 'payments' || o.metadata.name === 'payments');
    const user = objects.filter((o) => ['Deployment', 'ConfigMap'].includes(o.kind));
    expect(user).toHaveLength(2);
    for (const o of user) expect(o.metadata.labels?.[PlatformLabels.MANAGED_BY]).toBeUndefined();
    const own = objects.filter((o) => !['Deployment', 'ConfigMap'].includes(o.kind));
    expect(own.map((o) => o.kind).sort()).toEqual(['LimitRange', 'Namespace', 'NetworkPolicy', 'NetworkPolicy', 'ResourceQuota', 'Role', 'RoleBinding', 'ServiceAccount', 'ServiceAccount']);
    for (const o of own) expect(o.metadata.labels[PlatformLabels.MANAGED_BY]).toBe('cdk8s-devsecops');
  });

  test('@default a Tenant is a cdk8s Chart whose default namespace is the tenant\'s', () => {
    const t = new Tenant(Testing.app(), 'solo', { tier: Tier.DEV, team: 'solo-eng' });
    expect(Chart.isChart(t)).toBe(true);
    expect(t.namespace).toBe('solo');
    expect(new Tenant(Testing.app(), 'id', { name: 'named', tier: Tier.DEV, team: 'solo-eng' }).namespace).toBe('named');
  });
});

describe('TenantServiceAccount on its own', () => {
  test('@default no pull Secrets and no token automount; imagePullSecrets when given', () => {
    const chart = Testing.chart();
    new TenantServiceAccount(chart, 'Plain', { name: 'plain', namespace: 'team-a' });
    new TenantServiceAccount(chart, 'Pulls', { name: 'pulls', namespace: 'team-a', imagePullSecrets: ['regcred'] });
    const [plain, pulls] = Testing.synth(chart);
    expect(plain).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      automountServiceAccountToken: false,
      metadata: { name: 'plain', namespace: 'team-a', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-devsecops' } },
    });
    expect(pulls.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  test('fails if the name or namespace is not a DNS label', () => {
    expect(() => new TenantServiceAccount(Testing.chart(), 'Bad', { name: 'Web_1', namespace: 'team-a' })).toThrow(/\[test\/Bad\] 'name' .*got "Web_1"/);
    expect(() => new TenantServiceAccount(Testing.chart(), 'Bad', { name: 'web', namespace: '' })).toThrow(/\[test\/Bad\] 'namespace' .*got ""/);
  });
});
