import * as fc from 'fast-check';
import { podSpecOf, runtimeBank } from './fixtures';
import { DevSecOpsPlatform, Tier } from '../../src';
import { ofKind, synthObjects } from '../util';

const tenantName = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/)
  .filter((n) => !n.startsWith('kube-') && !n.startsWith('falco-') && !DevSecOpsPlatform.COMPONENT_NAMESPACES.includes(n) && !n.includes('--'));
const tenant = fc.record({ name: tenantName, tier: fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV) });
const model = fc.uniqueArray(tenant, { minLength: 1, maxLength: 6, selector: (t) => t.name });

test('the scopes follow the tenants: Falco rules, Tetragon policies, audit exec rule, placement and report', () => {
  fc.assert(fc.property(model, (tenants) => {
    const b = runtimeBank(tenants.map((t) => [t.name, t.tier]));
    const of = (tier: Tier) => tenants.filter((t) => t.tier === tier).map((t) => t.name).sort();
    const runtime = b.platform.runtime!;
    expect(runtime.checks()).toEqual([]);
    const objects = synthObjects(b.app);
    const rules = ofKind(objects, 'Rulesfile').find((r) => r.metadata.name === 'platform-rules').spec.inlineRules;
    // Falco's high-fidelity scope is exactly the SENSITIVE tenants: no DEV or STANDARD namespace in it
    expect(rules.find((i: any) => i.list === 'devsecops_sensitive_namespaces').items).toEqual(of(Tier.SENSITIVE));
    // one Tetragon policy per SENSITIVE tenant, in its namespace
    expect(ofKind(objects, 'TracingPolicyNamespaced').map((p) => p.metadata.namespace).sort()).toEqual(of(Tier.SENSITIVE));
    // exec/attach/port-forward bodies are recorded exactly for SENSITIVE namespaces
    const exec = runtime.auditPolicy().rules.find((r: any) => r.resources?.[0]?.resources?.includes('pods/exec'));
    if (of(Tier.SENSITIVE).length === 0) expect(exec).toBeUndefined();
    else expect(exec.namespaces).toEqual(of(Tier.SENSITIVE));
    // every workload runs on its tier's pool
    for (const t of tenants) expect(podSpecOf(b.w[t.name]).nodeSelector).toEqual({ 'devsecops.cdk8s.io/pool': t.tier });
    // the report's fidelity partition is the tiers
    expect(runtime.report().namespacesByFidelity).toEqual({ full: of(Tier.SENSITIVE), reduced: of(Tier.STANDARD), none: of(Tier.DEV) });
  }), { numRuns: 12 });
});
