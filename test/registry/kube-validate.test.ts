import { registryApp } from './fixtures';
import { UnmanagedNamespace } from '../../src/tenancy/namespace-placement';
import { Tier } from '../../src/tenancy/tier';
import { HAS_SHARED, kubeValidate, readTree, synthToDir } from '../util';

const maybe = HAS_SHARED ? test : test.skip;

describe('registry layer against the upstream schemas', () => {
  maybe('synthesizes with 0 kube-validate errors (schemas, CEL, scope, Pod Security)', () => {
    const dir = synthToDir((app) => {
      const { projects } = registryApp(app, [
        { name: 'payments', tier: Tier.SENSITIVE },
        { name: 'core-banking', tier: Tier.STANDARD },
        { name: 'sandbox', tier: Tier.DEV },
      ]);
      new UnmanagedNamespace(app, 'BuildsNamespace', { namespace: 'payments-builds', reason: 'a build namespace created outside this test' });
      projects[0].addPushRobot('payments-builds');
      projects[0].addCveAllowance({ cveId: 'CVE-2024-12345', expires: '2099-12-31', reason: 'RISK-42: not reachable, no upstream fix' });
    });
    const summary = kubeValidate(dir);
    expect(summary).toMatch(/, 0 errors,/);
    // no credential material anywhere in the output
    const all = Object.values(readTree(dir)).join('\n');
    expect(all).not.toMatch(/PRIVATE KEY|kind: Secret\b|harborAdminPassword|password: /);
  });
});
