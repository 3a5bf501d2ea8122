import { Testing } from 'cdk8s';
import {
  ClusterDns, DataClassification, NetworkPeer, NetworkPort, PodSecurityLevel, TeamAccess, Tenant, Tier, Weakening,
} from '../../src';
import { named, ofKind } from '../util';

function tenant(props: Partial<ConstructorParameters<typeof Tenant>[2]> = {}, id = 'payments') {
  const app = Testing.app();
  const t = new Tenant(app, id, { tier: Tier.SENSITIVE, team: 'payments-eng', ...props } as any);
  return { app, t, objects: () => Testing.synth(t) as any[] };
}

describe('Tenant defaults', () => {
  test('snapshot of a SENSITIVE tenant', () => {
    expect(tenant().objects()).toMatchSnapshot();
  });

  test.each([
    [Tier.SENSITIVE, 'restricted'],
    [Tier.STANDARD, 'restricted'],
    [Tier.DEV, 'baseline'],
  ])('%s tier enforces %s, audits and warns restricted, pinned to v1.28', (tier, enforce) => {
    const ns = named(tenant({ tier }).objects(), 'Namespace', 'payments');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': enforce,
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
  });

  test.each([
    [Tier.SENSITIVE, 'restricted'],
    [Tier.STANDARD, 'confidential'],
    [Tier.DEV, 'internal'],
  ])('%s tier labels tier, owner and data classification %s', (tier, classification) => {
    const ns = named(tenant({ tier }).objects(), 'Namespace', 'payments');
    expect(ns.metadata.labels).toMatchObject({
      'devsecops.cdk8s.io/tier': tier,
      'devsecops.cdk8s.io/owner': 'payments-eng',
      'devsecops.cdk8s.io/data-classification': classification,
      'devsecops.cdk8s.io/tenant': 'payments',
    });
  });

  test('default-deny selects every pod in both directions with no rule', () => {
    const deny = named(tenant().objects(), 'NetworkPolicy', 'default-deny', 'payments');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('the only default egress is DNS to kube-dns on 53/UDP and 53/TCP', () => {
    const objects = tenant().objects();
    const egress = ofKind(objects, 'NetworkPolicy').filter((p) => p.spec.egress);
    expect(egress).toHaveLength(1);
    expect(egress[0].spec.egress).toEqual([{
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
    expect(ofKind(objects, 'NetworkPolicy').filter((p) => p.spec.ingress)).toHaveLength(0);
  });

  test('NodeLocal DNSCache adds only its /32', () => {
    const egress = named(tenant({ clusterDns: ClusterDns.withNodeLocalCache() }).objects(), 'NetworkPolicy', 'allow-egress-to-cluster-dns');
    expect(egress.spec.egress[0].to[1]).toEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
  });

  test.each([
    [Tier.SENSITIVE, { 'requests.cpu': '8', 'limits.cpu': '16', 'requests.memory': '16Gi', 'limits.memory': '32Gi', 'pods': 50 }],
    [Tier.STANDARD, { 'requests.cpu': '16', 'limits.cpu': '32', 'requests.memory': '32Gi', 'limits.memory': '64Gi', 'pods': 100 }],
    [Tier.DEV, { 'requests.cpu': '4', 'limits.cpu': '8', 'requests.memory': '8Gi', 'limits.memory': '16Gi', 'pods': 30 }],
  ])('%s quota defaults, no LoadBalancer or NodePort services', (tier, expected) => {
    const quota = named(tenant({ tier }).objects(), 'ResourceQuota', 'tenant-quota', 'payments');
    expect(quota.spec.hard).toMatchObject({ ...expected, 'services.loadbalancers': 0, 'services.nodeports': 0 });
  });

  test('LimitRange gives containers requests and limits within a max', () => {
    const lr = named(tenant().objects(), 'LimitRange', 'container-defaults', 'payments');
    expect(lr.spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '500m', memory: '512Mi' },
      max: { cpu: '4', memory: '8Gi' },
    }]);
  });

  test('quota and container overrides merge over the tier defaults', () => {
    const objects = tenant({ quota: { pods: 7, limitsMemory: '40Gi' }, containerDefaults: { maxCpu: '2' } }).objects();
    expect(named(objects, 'ResourceQuota', 'tenant-quota').spec.hard).toMatchObject({ 'pods': 7, 'limits.memory': '40Gi', 'requests.cpu': '8' });
    expect(named(objects, 'LimitRange', 'container-defaults').spec.limits[0].max).toEqual({ cpu: '2', memory: '8Gi' });
  });

  test('the default service account and added ones do not automount tokens', () => {
    const { t, objects } = tenant();
    t.addServiceAccount('ledger');
    const sas = ofKind(objects(), 'ServiceAccount', 'payments');
    expect(sas.map((s) => s.metadata.name)).toEqual(['default', 'ledger']);
    for (const sa of sas) expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('service accounts carry no image pull secret until the tenant declares one, then all do', () => {
    const { t, objects } = tenant();
    t.addServiceAccount('ledger');
    for (const sa of ofKind(objects(), 'ServiceAccount')) expect(sa.imagePullSecrets).toBeUndefined();
    t.addImagePullSecret('harbor-pull');
    t.addImagePullSecret('harbor-pull');
    t.addServiceAccount('batch');
    const sas = ofKind(objects(), 'ServiceAccount');
    expect(sas.map((s) => s.metadata.name)).toEqual(['default', 'ledger', 'batch']);
    for (const sa of sas) expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
    expect(t.imagePullSecrets).toEqual(['harbor-pull']);
    expect(() => t.addImagePullSecret('Harbor Pull')).toThrow("[payments] 'imagePullSecret' must be a Secret name (DNS subdomain), got \"Harbor Pull\"");
  });

  test('every object carries the managed-by label; namespaced ones live in the tenant namespace', () => {
    for (const o of tenant().objects()) {
      expect(o.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-devsecops');
      if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('payments');
    }
  });

  test('user labels are added; library-managed keys are refused', () => {
    expect(named(tenant({ labels: { 'cost-center': 'cc-42' } }).objects(), 'Namespace', 'payments').metadata.labels['cost-center']).toBe('cc-42');
    expect(() => tenant({ labels: { 'devsecops.cdk8s.io/tier': 'dev' } })).toThrow(/\[payments\] 'labels.devsecops.cdk8s.io\/tier' is a label the library manages, got "dev"; set it through the typed props/);
    expect(() => tenant({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })).toThrow(/is a label the library manages/);
  });

  test('Pod Security can be overridden, version included (a lower level with an acknowledged weakening)', () => {
    const weakening = Weakening.acknowledge('RISK-12: vendor agent needs baseline until Q3');
    const ns = named(tenant({ podSecurity: { enforce: PodSecurityLevel.BASELINE, version: 'v1.29', weakening } }).objects(), 'Namespace', 'payments');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.29');
    expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
  });

  test('exposes tier, team and classification for later layers', () => {
    const { t } = tenant({ tier: Tier.STANDARD, dataClassification: DataClassification.RESTRICTED });
    expect([t.namespaceName, t.tier, t.team, t.dataClassification, t.podSecurityLevel]).toEqual(['payments', Tier.STANDARD, 'payments-eng', DataClassification.RESTRICTED, PodSecurityLevel.RESTRICTED]);
    expect(t.node.defaultChild).toBeDefined();
    expect((t.node.defaultChild as any).kind).toBe('Namespace');
  });
});

describe('Team RBAC', () => {
  function rules(objects: any[]) {
    return ofKind(objects, 'Role')[0].rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  }
  const grants = (rs: ReturnType<typeof rules>, resource: string, verb: string) =>
    rs.some((r) => r.resources.includes(resource) && r.verbs.includes(verb));

  test.each([
    [Tier.SENSITIVE, TeamAccess.READ_ONLY],
    [Tier.STANDARD, TeamAccess.OPERATE],
    [Tier.DEV, TeamAccess.DEVELOP],
  ])('%s tenants bind the team group to a %s role', (tier, access) => {
    const objects = tenant({ tier }).objects();
    const binding = ofKind(objects, 'RoleBinding')[0];
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `team-${access}` });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'payments-eng' }]);
    expect(ofKind(objects, 'Role')[0].metadata.name).toBe(`team-${access}`);
  });

  test('SENSITIVE: no Secrets, no exec, no attach, no port-forward, no logs, no writes', () => {
    const rs = rules(tenant().objects());
    for (const r of rs) {
      expect(r.resources).not.toContain('secrets');
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    }
    expect(grants(rs, 'pods/exec', 'create')).toBe(false);
    expect(grants(rs, 'pods/log', 'get')).toBe(false);
  });

  test('no tier ever grants Secrets or wildcards', () => {
    for (const tier of [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV]) {
      for (const r of rules(tenant({ tier }).objects())) {
        expect(r.resources).not.toContain('secrets');
        expect([...r.resources, ...r.verbs, ...r.apiGroups]).not.toContain('*');
      }
    }
  });

  test('DEV may exec; STANDARD may read logs and restart pods but not exec', () => {
    expect(grants(rules(tenant({ tier: Tier.DEV }).objects()), 'pods/exec', 'create')).toBe(true);
    const std = rules(tenant({ tier: Tier.STANDARD }).objects());
    expect(grants(std, 'pods/log', 'get')).toBe(true);
    expect(grants(std, 'pods', 'delete')).toBe(true);
    expect(grants(std, 'pods/exec', 'create')).toBe(false);
  });

  test('teamGroup overrides the bound group', () => {
    const binding = ofKind(tenant({ teamGroup: 'oidc:payments' }).objects(), 'RoleBinding')[0];
    expect(binding.subjects[0].name).toBe('oidc:payments');
  });
});

describe('Tenant bad input', () => {
  test.each([
    ['Payments', 'must be a DNS label'],
    ['pay_ments', 'must be a DNS label'],
    ['-payments', 'must be a DNS label'],
    ['a'.repeat(64), 'must be a DNS label'],
  ])('fails if the name is %s', (name, message) => {
    expect(() => tenant({ name })).toThrow(new RegExp(`\\[payments\\] 'name' ${message}.*, got "${name}"; choose a name`));
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'kube-anything'])('fails if the name is the system namespace %s', (name) => {
    expect(() => tenant({ name })).toThrow(`'name' is a Kubernetes system namespace, got "${name}"`);
  });

  test.each([
    [{ quota: { requestsCpu: 'lots' } }, "'quota.requestsCpu' must be a non-negative Kubernetes quantity, got \"lots\""],
    [{ quota: { limitsMemory: '-1Gi' } }, "'quota.limitsMemory' must be a non-negative Kubernetes quantity"],
    [{ quota: { pods: -1 } }, "'quota.pods' must be a non-negative integer, got -1"],
    [{ quota: { pods: 1.5 } }, "'quota.pods' must be a non-negative integer"],
    [{ quota: { requestsCpu: '64' } }, "'quota.requestsCpu' is above 'quota.limitsCpu' (16), got \"64\"; lower"],
    [{ containerDefaults: { defaultLimitMemory: '12Gi' } }, "'containerDefaults.defaultLimitMemory' is above 'containerDefaults.maxMemory' (8Gi)"],
    [{ containerDefaults: { maxCpu: '4 cores' } }, "'containerDefaults.maxCpu' must be a non-negative Kubernetes quantity"],
    [{ team: 'Payments Team' }, "'team' must be a DNS label"],
    [{ teamGroup: ' ' }, "'teamGroup' must be a non-empty group name"],
    [{ tier: 'gold' }, "'tier' is not a Tier, got \"gold\"; use one of Tier.SENSITIVE, Tier.STANDARD, Tier.DEV"],
    [{ dataClassification: 'secret' }, "'dataClassification' is not a DataClassification, got \"secret\"; use one of DataClassification.RESTRICTED"],
    [{ teamAccess: 'admin' }, "'teamAccess' is not a TeamAccess, got \"admin\"; use one of TeamAccess.READ_ONLY"],
    [{ podSecurity: { enforce: 'strict' } }, "'podSecurity.enforce' is not a PodSecurityLevel, got \"strict\""],
    [{ podSecurity: { enforce: PodSecurityLevel.RESTRICTED, warn: 'loud' } }, "'podSecurity.warn' is not a PodSecurityLevel, got \"loud\""],
    [{ podSecurity: { enforce: PodSecurityLevel.RESTRICTED, version: '1.28' } }, "'podSecurity.version' is not a Pod Security policy version, got \"1.28\""],
  ])('fails on %j', (props, message) => {
    expect(() => tenant(props as any)).toThrow(message);
  });

  test('fails if a service account is declared twice or badly named', () => {
    const { t } = tenant();
    t.addServiceAccount('ledger');
    expect(() => t.addServiceAccount('ledger')).toThrow("[payments] 'serviceAccount' is already declared in this tenant, got \"ledger\"");
    expect(() => t.addServiceAccount('Ledger')).toThrow("'serviceAccount' must be a DNS label");
  });

  test('bad input throws before anything reaches the manifest: a rejected allow leaves no policy behind', () => {
    const app = Testing.app();
    expect(() => new Tenant(app, 'x', { tier: Tier.DEV, team: 't', quota: { pods: -1 } })).toThrow();
    const ok = new Tenant(app, 'ok', { tier: Tier.DEV, team: 't' });
    expect(() => ok.allowTo(NetworkPeer.cidr('10.0.0.1/8'), [NetworkPort.tcp(443)])).toThrow();
    expect(ofKind(Testing.synth(ok) as any[], 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-egress-to-cluster-dns']);
  });

});
