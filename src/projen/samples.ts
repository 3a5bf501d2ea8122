/**
 * The starter files a new platform repository gets (written once; the team owns them after).
 */

/** src/platform.ts: the platform, built in a function so the test synthesizes exactly the same. */
export function platformSample(): string {
  return `import { DevSecOpsPlatform, NetworkPeer, NetworkPort, Tier } from 'cdk8s-devsecops';
import { Construct } from 'constructs';

/**
 * The platform: Gatekeeper and its policy catalog per tier, Harbor as the only registry, and one
 * namespace per tenant with Pod Security, default-deny networking, quotas and team access.
 * Change the registry host and the tenants to yours.
 */
export function buildPlatform(scope: Construct): DevSecOpsPlatform {
  const platform = new DevSecOpsPlatform(scope, 'platform', {
    registry: { host: 'harbor.example.com' },
  });

  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const web = platform.addTenant('web', { tier: Tier.STANDARD, team: 'web-eng' });
  platform.addTenant('sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });

  // The one allowed path across tenants: web calls payments on 8443/TCP (both sides are written).
  web.allowTo(NetworkPeer.tenant(payments), [NetworkPort.tcp(8443)]);

  return platform;
}
`;
}

/** src/main.ts: what \`cdk8s synth\` runs. */
export function mainSample(): string {
  return `import { App } from 'cdk8s';
import { buildPlatform } from './platform';

// Output folder: $CDK8S_OUTDIR, set by \`cdk8s synth\` from cdk8s.yaml.
const app = new App();
buildPlatform(app);
app.synth();
`;
}

/** test/platform.test.ts: one synth of the whole App, snapshotted and checked. */
export function testSample(): string {
  return `import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildPlatform } from '../src/platform';

// One synth of the whole App (app.synthYaml()), not a Testing.synth per chart: the latter
// re-resolves the whole App for every chart and grows quadratically with tenants.
function synthPlatform(): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-')) });
  buildPlatform(app);
  return app.synthYaml();
}

test('the platform manifests are the reviewed ones', () => {
  // A change here is reviewed like code: run \`npx projen test:update\` and commit the snapshot.
  expect(synthPlatform()).toMatchSnapshot();
});

test('every tenant namespace enforces Pod Security', () => {
  const docs = synthPlatform().split('\\n---\\n');
  for (const tenant of ['payments', 'web', 'sandbox']) {
    const namespace = docs.find((d) => d.startsWith('apiVersion: v1\\nkind: Namespace\\n') && (d + '\\n').includes('\\n  name: ' + tenant + '\\n'));
    expect(namespace).toContain('pod-security.kubernetes.io/enforce: ');
  }
});
`;
}
