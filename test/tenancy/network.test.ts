import { Testing } from 'cdk8s';
import { NetworkPeer, NetworkPort, NetworkProtocol, Tenant, Tier } from '../../src';
import { named, ofKind } from '../util';

function pair() {
  const app = Testing.app();
  const a = new Tenant(app, 'core-banking', { tier: Tier.STANDARD, team: 'core' });
  const b = new Tenant(app, 'payments', { tier: Tier.SENSITIVE, team: 'pay' });
  return { app, a, b, objects: (t: Tenant) => Testing.synth(t) as any[] };
}

describe('cross-tenant allow', () => {
  test('A.allowTo(B) writes egress in A and the matching ingress in B, only on the declared port', () => {
    const { a, b, objects } = pair();
    a.allowTo(NetworkPeer.tenant(b), [NetworkPort.tcp(8443)]);
    const egress = named(objects(a), 'NetworkPolicy', 'allow-egress-to-tenant-payments', 'core-banking');
    expect(egress.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: [{ port: 8443, protocol: 'TCP' }] }],
    });
    const ingress = named(objects(b), 'NetworkPolicy', 'allow-ingress-from-tenant-core-banking', 'payments');
    expect(ingress.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'core-banking' } } }], ports: [{ port: 8443, protocol: 'TCP' }] }],
    });
  });

  test('B.allowFrom(A) is the same allow seen from the other side', () => {
    const one = pair();
    one.a.allowTo(NetworkPeer.tenant(one.b), [NetworkPort.tcp(8443)]);
    const two = pair();
    two.b.allowFrom(NetworkPeer.tenant(two.a), [NetworkPort.tcp(8443)]);
    const policies = (p: ReturnType<typeof pair>) => [...ofKind(p.objects(p.a), 'NetworkPolicy'), ...ofKind(p.objects(p.b), 'NetworkPolicy')]
      .map((o) => ({ name: o.metadata.name, ns: o.metadata.namespace, spec: o.spec }))
      .sort((x, y) => `${x.ns}/${x.name}`.localeCompare(`${y.ns}/${y.name}`));
    expect(policies(two)).toEqual(policies(one));
  });

  test('pod selectors on both ends land on the right side', () => {
    const { a, b, objects } = pair();
    a.allowTo(NetworkPeer.tenant(b, { app: 'gateway' }), [NetworkPort.tcp(8443)], { podLabels: { app: 'ledger' } });
    const egress = ofKind(objects(a), 'NetworkPolicy').find((p) => p.metadata.name.startsWith('allow-egress-to-tenant-payments'));
    expect(egress.spec.podSelector).toEqual({ matchLabels: { app: 'ledger' } });
    expect(egress.spec.egress[0].to[0].podSelector).toEqual({ matchLabels: { app: 'gateway' } });
    const ingress = ofKind(objects(b), 'NetworkPolicy').find((p) => p.metadata.name.startsWith('allow-ingress-from-tenant-core-banking'));
    expect(ingress.spec.podSelector).toEqual({ matchLabels: { app: 'gateway' } });
    expect(ingress.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { app: 'ledger' } });
  });

  test('repeated allows to one peer accumulate as rules of one policy, ports kept apart', () => {
    const { a, b, objects } = pair();
    a.allowTo(NetworkPeer.tenant(b), [NetworkPort.tcp(8443)]);
    a.allowTo(NetworkPeer.tenant(b), [NetworkPort.udp(5353), NetworkPort.range(NetworkProtocol.TCP, 9000, 9010)]);
    const egress = named(objects(a), 'NetworkPolicy', 'allow-egress-to-tenant-payments');
    expect(egress.spec.egress.map((r: any) => r.ports)).toEqual([
      [{ port: 8443, protocol: 'TCP' }],
      [{ port: 5353, protocol: 'UDP' }, { port: 9000, endPort: 9010, protocol: 'TCP' }],
    ]);
  });

  test('allows added after a tenant is synthesized once still reach the manifest (lazy)', () => {
    const { a, b, objects } = pair();
    a.allowTo(NetworkPeer.tenant(b), [NetworkPort.tcp(1)]);
    objects(a);
    a.allowTo(NetworkPeer.tenant(b), [NetworkPort.tcp(2)]);
    expect(named(objects(a), 'NetworkPolicy', 'allow-egress-to-tenant-payments').spec.egress).toHaveLength(2);
  });

  test('fails if a tenant allows traffic to itself through the cross-tenant API', () => {
    const { a } = pair();
    expect(() => a.allowTo(NetworkPeer.tenant(a), [NetworkPort.tcp(80)]))
      .toThrow("[core-banking] 'allowTo.peer' is this tenant itself, got \"core-banking\"; use allowWithinTenant(ports)");
    expect(() => a.allowFrom(NetworkPeer.tenant(a), [NetworkPort.tcp(80)])).toThrow("'allowFrom.peer' is this tenant itself");
  });

  test.each([0, -1, 65536, 1.5, NaN])('fails if a port is %p', (port) => {
    const { a, b } = pair();
    expect(() => a.allowTo(NetworkPeer.tenant(b), [NetworkPort.tcp(port)]))
      .toThrow(`[core-banking] 'allowTo.ports[0].port' must be an integer port between 1 and 65535, got ${JSON.stringify(port)}`);
  });

  test('fails on an empty port list (no "all ports" allows) and on inverted ranges', () => {
    const { a, b } = pair();
    expect(() => a.allowTo(NetworkPeer.tenant(b), [])).toThrow("'allowTo.ports' must list at least one port, got []");
    expect(() => a.allowTo(NetworkPeer.tenant(b), [NetworkPort.range(NetworkProtocol.TCP, 10, 5)])).toThrow("'allowTo.ports[0]' is a port range whose end is below its start, got \"10-5/TCP\"");
  });

  test('a failed allow writes nothing on either side', () => {
    const { a, b, objects } = pair();
    expect(() => a.allowTo(NetworkPeer.tenant(b), [NetworkPort.tcp(70000)])).toThrow();
    expect(ofKind(objects(a), 'NetworkPolicy')).toHaveLength(2);
    expect(ofKind(objects(b), 'NetworkPolicy')).toHaveLength(2);
  });
});

describe('other peers', () => {
  test('CIDR egress: only this side, canonical blocks with exceptions', () => {
    const { a, b, objects } = pair();
    a.allowTo(NetworkPeer.cidr('10.20.0.0/16', ['10.20.5.0/24']), [NetworkPort.tcp(443)]);
    a.allowTo(NetworkPeer.cidr('2001:db8::/32'), [NetworkPort.tcp(443)]);
    const p = named(objects(a), 'NetworkPolicy', 'allow-egress-to-cidr');
    expect(p.spec.egress.map((r: any) => r.to)).toEqual([
      [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] } }],
      [{ ipBlock: { cidr: '2001:db8::/32' } }],
    ]);
    expect(ofKind(objects(b), 'NetworkPolicy')).toHaveLength(2);
  });

  test.each(['10.0.0.1/8', '10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'fe80::/129', 'not-a-cidr', '10.0.0.0/8/8'])('fails on the malformed CIDR %s', (cidr) => {
    const { a } = pair();
    expect(() => a.allowTo(NetworkPeer.cidr(cidr), [NetworkPort.tcp(443)])).toThrow(new RegExp(`\\[core-banking\\] 'allowTo.peer.cidr' .*, got "${cidr.replace(/[.*/]/g, '\\$&')}"; use CIDR notation`));
  });

  test('fails on a malformed CIDR exception', () => {
    const { a } = pair();
    expect(() => a.allowTo(NetworkPeer.cidr('10.0.0.0/8', ['10.1.0.0/33']), [NetworkPort.tcp(443)])).toThrow("'allowTo.peer.except[0]'");
  });

  test('pods in an unmanaged namespace: ingress from the ingress controller', () => {
    const { b, objects } = pair();
    b.allowFrom(NetworkPeer.podsInNamespace('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }), [NetworkPort.tcp(8443)], { podLabels: { app: 'gateway' } });
    const p = ofKind(objects(b), 'NetworkPolicy').find((x) => x.metadata.name.startsWith('allow-ingress-from-ns-ingress-nginx'));
    expect(p.spec).toEqual({
      podSelector: { matchLabels: { app: 'gateway' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
        ports: [{ port: 8443, protocol: 'TCP' }],
      }],
    });
    expect(() => b.allowFrom(NetworkPeer.podsInNamespace('Ingress'), [NetworkPort.tcp(1)])).toThrow("'allowFrom.peer.namespace' must be a namespace name (DNS label), got \"Ingress\"");
  });

  test('allowWithinTenant admits the tenant to itself on the given ports only, in both directions', () => {
    const { a, objects } = pair();
    a.allowWithinTenant([NetworkPort.tcp(8080)]);
    a.allowWithinTenant([NetworkPort.tcp(9090)]);
    const self = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'core-banking' } } }];
    expect(named(objects(a), 'NetworkPolicy', 'allow-ingress-from-ns-core-banking').spec.ingress).toEqual([
      { from: self, ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: self, ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
    expect(named(objects(a), 'NetworkPolicy', 'allow-egress-to-ns-core-banking').spec.egress).toEqual([
      { to: self, ports: [{ port: 8080, protocol: 'TCP' }] },
      { to: self, ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
    expect(() => a.allowWithinTenant([])).toThrow("[core-banking] 'allowWithinTenant.ports' must list at least one port");
  });
});
