/** Platforms with the runtime layer and real workloads (`tenant.addWorkload`), for the runtime tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import {
  DevSecOpsPlatform, DevSecOpsPlatformProps, NodeTaintEffect, PlatformRuntimeProps, RuntimeNodePool, Tenant, Tier, Workload, WorkloadType,
} from '../../src';

export const HOST = 'harbor.bank.example';
export const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A prebuilt image of a tenant's project, by digest. */
export const image = (tenant: string, repo: string) => `${HOST}/${tenant}/${repo}@${DIGEST}`;

/** The pod spec of a workload's Deployment, as synthesized. */
export function podSpecOf(workload: Workload): any {
  const deployment = workload.node.findAll().find((c: any) => c.kind === 'Deployment') as any;
  return deployment.toJson().spec.template.spec;
}

export const SENSITIVE_POOL: RuntimeNodePool = {
  name: 'sensitive',
  tiers: [Tier.SENSITIVE],
  nodeLabels: { 'devsecops.cdk8s.io/pool': 'sensitive' },
  taint: { key: 'devsecops.cdk8s.io/tier', value: 'sensitive', effect: NodeTaintEffect.NO_SCHEDULE },
  nodeCount: 3,
};
export const STANDARD_POOL: RuntimeNodePool = {
  name: 'standard',
  tiers: [Tier.STANDARD],
  nodeLabels: { 'devsecops.cdk8s.io/pool': 'standard' },
  taint: { key: 'devsecops.cdk8s.io/tier', value: 'standard', effect: NodeTaintEffect.NO_SCHEDULE },
  nodeCount: 6,
};
export const DEV_POOL: RuntimeNodePool = {
  name: 'dev',
  tiers: [Tier.DEV],
  nodeLabels: { 'devsecops.cdk8s.io/pool': 'dev' },
  nodeCount: 4,
};
export const RUNTIME: PlatformRuntimeProps = { nodePools: [SENSITIVE_POOL, STANDARD_POOL, DEV_POOL] };

/** A platform with the runtime layer, in an App writing to a temp dir. */
export function runtimeBank(
  tenants: Array<[string, Tier]> = [['payments', Tier.SENSITIVE], ['core-banking', Tier.STANDARD], ['dev-sandbox', Tier.DEV]],
  runtime: PlatformRuntimeProps = RUNTIME,
  extra: Partial<DevSecOpsPlatformProps> = {},
) {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-')), 'manifests');
  const app = new App({ outdir });
  const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST }, runtime, ...extra });
  const t: { [name: string]: Tenant } = {};
  const w: { [name: string]: Workload } = {};
  for (const [name, tier] of tenants) {
    t[name] = platform.addTenant(name, { tier, team: `${name}-eng` });
    t[name].addImagePullSecret('harbor-pull');
    w[name] = t[name].addWorkload(`${name}-app`, { image: image(name, 'app'), type: WorkloadType.WORKER });
  }
  return { app, platform, t, w, outdir, reports: `${outdir}-reports` };
}
