import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { DevSecOpsPlatform, NetworkPeer, NetworkPort, NetworkProtocol, Tier } from '../../src';
import { synthObjects } from '../util';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const tenantName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)
  .filter((n) => !n.startsWith('kube-') && !DevSecOpsPlatform.COMPONENT_NAMESPACES.includes(n));
const tier = fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV);
const port = fc.record({
  protocol: fc.constantFrom(NetworkProtocol.TCP, NetworkProtocol.UDP, NetworkProtocol.SCTP),
  port: fc.integer({ min: 1, max: 65535 }),
});

/** A random platform: tenants with random tiers, random directed allows between distinct tenants. */
const platformModel = fc.uniqueArray(tenantName, { minLength: 1, maxLength: 6 }).chain((names) => fc.record({
  tenants: fc.tuple(...names.map((n) => fc.record({ name: fc.constant(n), tier }))),
  allows: fc.array(fc.record({
    from: fc.nat(names.length - 1),
    to: fc.nat(names.length - 1),
    ports: fc.array(port, { minLength: 1, maxLength: 3 }),
    ingressSide: fc.boolean(),
  }), { maxLength: 8 }).map((as) => as.filter((a) => a.from !== a.to)),
}));


function build(app: App, model: any) {
  const platform = new DevSecOpsPlatform(app, 'p', { registry: { host: 'harbor.bank.example' } });
  const tenants = model.tenants.map((t: any) => platform.addTenant(t.name, { tier: t.tier, team: 'team' }));
  for (const a of model.allows) {
    const ports = a.ports.map((p: any) => (p.protocol === 'UDP' ? NetworkPort.udp(p.port) : p.protocol === 'SCTP' ? NetworkPort.sctp(p.port) : NetworkPort.tcp(p.port)));
    // Either side may declare it; the result must be the same allow.
    if (a.ingressSide) tenants[a.to].allowFrom(NetworkPeer.tenant(tenants[a.from]), ports);
    else tenants[a.from].allowTo(NetworkPeer.tenant(tenants[a.to]), ports);
  }
  return synthObjects(app);
}

const portKey = (p: any) => `${p.port}/${p.protocol}`;

describe('tenancy invariants (property-based)', () => {
  test('every tenant has default-deny in both directions and pinned Pod Security labels', () => {
    fc.assert(fc.property(platformModel, (model: any) => {
      const objects = build(Testing.app(), model);
      for (const t of model.tenants) {
        const deny = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === t.name && o.metadata.name === 'default-deny');
        expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
        const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === t.name);
        for (const mode of ['enforce', 'audit', 'warn']) {
          expect(['privileged', 'baseline', 'restricted']).toContain(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]);
          expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.28');
        }
      }
    }), { numRuns: 40 });
  });

  test('every allow appears on both sides and admits exactly the declared ports', () => {
    fc.assert(fc.property(platformModel, (model: any) => {
      const objects = build(Testing.app(), model);
      // Expected (from -> to) -> set of ports, from the model.
      const expected = new Map<string, Set<string>>();
      for (const a of model.allows) {
        const key = `${model.tenants[a.from].name}>${model.tenants[a.to].name}`;
        const set = expected.get(key) ?? new Set<string>();
        a.ports.forEach((p: any) => set.add(portKey(p)));
        expected.set(key, set);
      }
      // Observed egress side (in the source namespace) and ingress side (in the target namespace).
      const egress = new Map<string, Set<string>>();
      const ingress = new Map<string, Set<string>>();
      for (const p of objects.filter((o) => o.kind === 'NetworkPolicy')) {
        const ns = p.metadata.namespace;
        for (const rule of p.spec.egress ?? []) {
          for (const peer of rule.to) {
            const other = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
            if (!other || other === 'kube-system') continue;
            expect(rule.ports.length).toBeGreaterThan(0);
            const set = egress.get(`${ns}>${other}`) ?? new Set<string>();
            rule.ports.forEach((x: any) => { expect(x.port).toBeDefined(); set.add(portKey(x)); });
            egress.set(`${ns}>${other}`, set);
          }
        }
        for (const rule of p.spec.ingress ?? []) {
          for (const peer of rule.from) {
            const other = peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'];
            expect(rule.ports.length).toBeGreaterThan(0);
            const set = ingress.get(`${other}>${ns}`) ?? new Set<string>();
            rule.ports.forEach((x: any) => { expect(x.port).toBeDefined(); set.add(portKey(x)); });
            ingress.set(`${other}>${ns}`, set);
          }
        }
      }
      const asObj = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());
      expect(asObj(egress)).toEqual(asObj(expected));
      expect(asObj(ingress)).toEqual(asObj(expected));
    }), { numRuns: 60 });
  });

  test('every generated name is a valid Kubernetes name (DNS label for namespaces, subdomain otherwise)', () => {
    fc.assert(fc.property(platformModel, (model: any) => {
      for (const o of build(Testing.app(), model)) {
        const name: string = o.metadata.name;
        if (o.kind === 'Namespace') expect(name).toMatch(DNS_LABEL);
        else expect(name.length <= 253 && DNS_SUBDOMAIN.test(name)).toBe(true);
        if (o.metadata.namespace) expect(o.metadata.namespace).toMatch(DNS_LABEL);
        for (const [k, v] of Object.entries<string>(o.metadata.labels ?? {})) {
          expect(v.length).toBeLessThanOrEqual(63);
          expect(k.split('/').pop()!.length).toBeLessThanOrEqual(63);
        }
      }
    }), { numRuns: 40 });
  });

  test('synthesizing the same program twice gives the same objects', () => {
    fc.assert(fc.property(platformModel, (model: any) => {
      expect(JSON.stringify(build(Testing.app(), model))).toEqual(JSON.stringify(build(Testing.app(), model)));
    }), { numRuns: 20 });
  });
});
