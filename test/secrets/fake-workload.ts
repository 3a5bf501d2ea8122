/**
 * A small test double of the lead's `Workload`: implements `IWorkload` and renders one hardened
 * Deployment in the tenant's chart whose env, volumes and pod annotations come from the
 * methods the secrets layer calls. Only for tests until the real Workload lands.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DevSecOpsPlatform } from '../../src/platform/devsecops-platform';
import { PlatformSecretsProps, SecretsBackend } from '../../src/secrets';
import { Tenant } from '../../src/tenancy/tenant';
import { Tier } from '../../src/tenancy/tier';
import { IWorkload, WorkloadToleration, WorkloadType } from '../../src/workload/workload-props';

export class FakeWorkload extends Construct implements IWorkload {
  public readonly tenant: Tenant;
  public readonly workloadName: string;
  public readonly namespace: string;
  public readonly workloadType = WorkloadType.WORKER;
  public readonly deploymentName: string;
  public readonly serviceAccountName: string;
  public readonly containerName = 'app';
  public readonly podLabels: { [key: string]: string };
  public readonly selectorLabels: { [key: string]: string };
  public readonly builtByChain = false;
  public readonly env: any[] = [];
  public readonly volumes: Array<{ secretName: string; mountPath: string }> = [];
  public readonly annotations: { [key: string]: string } = {};

  constructor(tenant: Tenant, name: string, serviceAccountName = name) {
    super(tenant, `Workload-${name}`);
    this.tenant = tenant;
    this.workloadName = name;
    this.namespace = tenant.namespaceName;
    this.deploymentName = name;
    this.serviceAccountName = serviceAccountName;
    this.selectorLabels = { 'app.kubernetes.io/name': name };
    this.podLabels = { ...this.selectorLabels, ...tenant.workloadLabels };
    if (!tenant.serviceAccountNames.includes(serviceAccountName)) tenant.addServiceAccount(serviceAccountName);
    new k8s.KubeDeployment(this, 'Deployment', {
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
            serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'app',
              image: 'harbor.bank.example/payments/app@sha256:246fb560684ec0b26c8ec3418d5c793a90016f1e302d6e8643ff10496fb7a508',
              env: Lazy.any({ produce: () => (this.env.length ? [...this.env] : undefined) }),
              volumeMounts: Lazy.any({ produce: () => (this.volumes.length ? this.volumes.map((v) => ({ name: `secret-${v.secretName}`, mountPath: v.mountPath, readOnly: true })) : undefined) }),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('512Mi') },
              },
            }],
            volumes: Lazy.any({ produce: () => (this.volumes.length ? this.volumes.map((v) => ({ name: `secret-${v.secretName}`, secret: { secretName: v.secretName, defaultMode: 0o440 } })) : undefined) }),
          },
        },
      },
    });
  }

  public addSecretEnv(envName: string, secretName: string, key: string): void {
    this.env.push({ name: envName, valueFrom: { secretKeyRef: { name: secretName, key } } });
  }
  public addSecretVolume(secretName: string, mountPath: string): void {
    this.volumes.push({ secretName, mountPath });
  }
  public addPodAnnotation(key: string, value: string): void {
    this.annotations[key] = value;
  }
  public addNodeSelector(_key: string, _value: string): void {}
  public addToleration(_t: WorkloadToleration): void {}
}

export const VAULT_CA = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'bank-platform', 'vault-ca.pem'), 'utf8');

export function vaultProps(backend: SecretsBackend, extra: Partial<PlatformSecretsProps['vault']> = {}): PlatformSecretsProps {
  return { backend, vault: { address: 'https://vault.bank.example:8200', caCertificatePem: VAULT_CA, ...extra } };
}

/** A platform with Vault, and tenants payments (SENSITIVE) and core-banking (STANDARD). */
/** `false`: no Vault configured. */
export function secretsPlatform(app: App, backend: SecretsBackend | false = SecretsBackend.VAULT_SECRETS_OPERATOR) {
  const platform = new DevSecOpsPlatform(app, 'bank', {
    registry: { host: 'harbor.bank.example' },
    secrets: backend === false ? undefined : vaultProps(backend),
  });
  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const coreBanking = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-banking-eng' });
  // Pull credentials written outside the test (the registry layer's are tested there).
  for (const t of [payments, coreBanking]) t.addImagePullSecret('harbor-pull');
  return { platform, payments, coreBanking };
}
