import { Testing } from 'cdk8s';
import { ClusterDns, DevSecOpsPlatform, Tenant, Tier } from '../../src';
import { named, synthObjects } from '../util';

describe('DevSecOpsPlatform', () => {
  test('addTenant returns a Tenant named by its first argument, in its own chart', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank');
    const t = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    expect(Tenant.isTenant(t)).toBe(true);
    expect(t.namespaceName).toBe('payments');
    expect(t.node.path).toBe('bank/payments');
    expect(platform.tenants).toEqual([t]);
    expect(platform.tenant('payments')).toBe(t);
    expect(app.charts).toContain(t);
  });

  test('the platform clusterDns reaches every tenant', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { clusterDns: ClusterDns.pods('dns', { app: 'coredns' }) });
    platform.addTenant('a', { tier: Tier.DEV, team: 't' });
    const dns = named(synthObjects(app), 'NetworkPolicy', 'allow-egress-to-cluster-dns', 'a');
    expect(dns.spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } },
      podSelector: { matchLabels: { app: 'coredns' } },
    });
  });

  test('fails if two tenants have the same name', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank');
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'a' });
    expect(() => platform.addTenant('payments', { tier: Tier.DEV, team: 'b' }))
      .toThrow("[bank/payments] 'name' is already a tenant of this platform, got \"payments\"; give every tenant a distinct name");
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('fails if a tenant is named like the system namespace %s', (name) => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank');
    expect(() => platform.addTenant(name, { tier: Tier.DEV, team: 't' })).toThrow(`'name' is a Kubernetes system namespace, got "${name}"`);
  });

  test.each(DevSecOpsPlatform.COMPONENT_NAMESPACES)('fails if a tenant takes the component namespace %s', (name) => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank');
    expect(() => platform.addTenant(name, { tier: Tier.DEV, team: 't' }))
      .toThrow(new RegExp(`\\[bank/${name}\\] 'name' is a namespace reserved for a platform component, got "${name}"; choose another name; reserved: `));
  });

  test('reservedNamespaces extends the reserved list', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { reservedNamespaces: ['istio-system'] });
    expect(() => platform.addTenant('istio-system', { tier: Tier.DEV, team: 't' })).toThrow('reserved for a platform component');
  });

  test('fails on unknown tenant lookups', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank');
    expect(() => platform.tenant('nope')).toThrow("[bank] 'tenant' is not a tenant of this platform, got \"nope\"; use one of: (none yet: call addTenant first)");
  });
});
