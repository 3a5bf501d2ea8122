import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DevSecOpsPlatform, Tenant, Tier } from '../../src';

export const HOST = 'harbor.bank.example';
export const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A platform (registry not managed) with tenants that carry a pull Secret, in an App writing to a temp dir. */
export function bank(tenants: Array<[string, Tier]> = [['payments', Tier.SENSITIVE], ['core-banking', Tier.STANDARD]]) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'placement-')), 'manifests');
  const app = new App({ outdir });
  const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST } });
  const t: { [name: string]: Tenant } = {};
  for (const [name, tier] of tenants) {
    t[name] = platform.addTenant(name, { tier, team: `${name}-eng` });
    t[name].addImagePullSecret('harbor-pull');
  }
  /** Files written, manifests folder and reports folder together (relative paths). */
  const written = () => [outdir, `${outdir}-reports`].flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(path.basename(d), f)) : []));
  return { app, platform, t, outdir, reports: `${outdir}-reports`, written };
}

/** A cdk8s-plus Deployment that every catalog policy admits, written the way a user would. */
export function hardenedDeployment(tenant: Tenant, id = 'Web', props: Partial<kplus.DeploymentProps> = {}): kplus.Deployment {
  const deployment = new kplus.Deployment(tenant, id, {
    metadata: { labels: tenant.workloadLabels },
    podMetadata: { labels: tenant.workloadLabels },
    serviceAccount: tenant.addServiceAccount(id.toLowerCase()),
    containers: [{
      image: `${HOST}/${tenant.namespaceName}/web@${DIGEST}`,
      portNumber: 8443,
      securityContext: {
        ensureNonRoot: true,
        user: 10001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    }],
    ...props,
  });
  // Typed `capabilities` and `seccompProfile` arrived in cdk8s-plus-28 2.5; the escape hatch
  // works on every version the peer range admits (the peer-floor check runs this on 2.0.3).
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
  );
  return deployment;
}
