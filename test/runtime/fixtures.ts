/**
 * A small test double of the lead's Workload (IWorkload): a restricted Deployment in the tenant's
 * chart whose node selector, tolerations, env and annotations come from the IWorkload methods.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DevSecOpsPlatform, DevSecOpsPlatformProps, IWorkload, NodeTaintEffect, PlatformRuntimeProps, RuntimeNodePool, Tenant, Tier,
  WorkloadToleration, WorkloadType,
} from '../../src';

export const HOST = 'harbor.bank.example';
export const DIGEST = `sha256:${'ab'.repeat(32)}`;

export class TestWorkload extends Construct implements IWorkload {
  public readonly workloadName: string;
  public readonly namespace: string;
  public readonly workloadType = WorkloadType.WORKER;
  public readonly deploymentName: string;
  public readonly serviceAccountName: string;
  public readonly containerName = 'app';
  public readonly podLabels: { [key: string]: string };
  public readonly selectorLabels: { [key: string]: string };
  public readonly builtByChain = false;
  public readonly nodeSelector: { [key: string]: string } = {};
  public readonly tolerations: WorkloadToleration[] = [];
  private readonly annotations: { [key: string]: string } = {};

  constructor(public readonly tenant: Tenant, name: string) {
    super(tenant, `Workload-${name}`);
    this.workloadName = name;
    this.namespace = tenant.namespaceName;
    this.deploymentName = name;
    this.serviceAccountName = tenant.addServiceAccount(name).name;
    this.selectorLabels = { 'app.kubernetes.io/name': name };
    this.podLabels = { ...tenant.workloadLabels, ...this.selectorLabels };
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name, namespace: this.namespace, labels: this.podLabels },
      spec: {
        replicas: 2,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: {
            labels: this.podLabels,
            annotations: Lazy.any({ produce: () => (Object.keys(this.annotations).length ? { ...this.annotations } : undefined) }),
          },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            nodeSelector: Lazy.any({ produce: () => (Object.keys(this.nodeSelector).length ? { ...this.nodeSelector } : undefined) }),
            tolerations: Lazy.any({ produce: () => (this.tolerations.length ? this.tolerations.map((t) => ({ key: t.key, operator: t.value ? 'Equal' : 'Exists', value: t.value, effect: t.effect })) : undefined) }),
            containers: [{
              name: this.containerName,
              image: `${HOST}/${this.namespace}/${name}@${DIGEST}`,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 10001,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') }, limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') } },
            }],
          },
        },
      },
    });
  }

  public addSecretEnv(): void { /* not used by the runtime layer */ }
  public addSecretVolume(): void { /* not used by the runtime layer */ }
  public addPodAnnotation(key: string, value: string): void { this.annotations[key] = value; }
  public addNodeSelector(key: string, value: string): void { this.nodeSelector[key] = value; }
  public addToleration(toleration: WorkloadToleration): void { this.tolerations.push(toleration); }
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
  const w: { [name: string]: TestWorkload } = {};
  for (const [name, tier] of tenants) {
    t[name] = platform.addTenant(name, { tier, team: `${name}-eng` });
    t[name].addImagePullSecret('harbor-pull');
    w[name] = new TestWorkload(t[name], `${name}-app`);
    platform.runtime?.onWorkload(w[name]);
  }
  return { app, platform, t, w, outdir, reports: `${outdir}-reports` };
}
