import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { stringify } from 'yaml';
import { GatekeeperValidationPlugin } from '../../src/policy';

const template = {
  apiVersion: 'templates.gatekeeper.sh/v1',
  kind: 'ConstraintTemplate',
  metadata: { name: 'k8snoprivileged' },
  spec: {
    crd: { spec: { names: { kind: 'K8sNoPrivileged' } } },
    targets: [{
      target: 'admission.k8s.gatekeeper.sh',
      code: [{ engine: 'K8sNativeValidation', source: { validations: [{ expression: '!object.spec.containers.exists(c, has(c.securityContext) && c.securityContext.privileged == true)', message: 'no privileged containers' }] } }],
    }],
  },
};
const constraint = (action: string) => ({ apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sNoPrivileged', metadata: { name: 'no-priv' }, spec: { enforcementAction: action, match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] } } });
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ledger', namespace: 'pay' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }] } } },
};

async function runPlugin(action: string, props = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, [template, constraint(action), deployment].map((d) => stringify(d)).join('---\n'));
  const context = new ValidationContext([file], 'cdk8s-devsecops', '0.0.0', { ledger: { path: 'app/Ledger' } } as any, false);
  await new GatekeeperValidationPlugin(props).validate(context);
  return context.report.toJson();
}

test('deny violations fail the cdk8s-cli report, by construct path', async () => {
  const report = await runPlugin('deny');
  expect(report.summary.status).toBe('failure');
  expect(report.violations).toHaveLength(1);
  expect(report.violations[0].ruleName).toBe('K8sNoPrivileged/no-priv (deny)');
  expect(report.violations[0].recommendation).toBe('no privileged containers');
  expect(report.violations[0].violatingConstructs[0]).toMatchObject({ resourceName: 'ledger', constructPath: 'app/Ledger', locations: ['Deployment/ledger pod template'] });
});

test('warn violations are reported without failing, unless failOnWarn', async () => {
  expect((await runPlugin('warn')).summary.status).toBe('success');
  expect((await runPlugin('warn')).violations).toHaveLength(1);
  expect((await runPlugin('warn', { failOnWarn: true })).summary.status).toBe('failure');
});
