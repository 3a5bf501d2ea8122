import { Construct } from 'constructs';
import { ITenant } from '../../src/tenancy/tenant-props';
import { IWorkload, WorkloadToleration, WorkloadType } from '../../src/workload/workload-props';

/**
 * A minimal IWorkload for tests of layers that take workloads, until the platform's Workload
 * construct lands: names only, derived the way the contract says.
 */
export class TestWorkload extends Construct implements IWorkload {
  public readonly tenant: ITenant;
  public readonly workloadName: string;
  public readonly namespace: string;
  public readonly workloadType = WorkloadType.WEB;
  public readonly deploymentName: string;
  public readonly serviceName: string;
  public readonly serviceAccountName: string;
  public readonly containerName = 'app';
  public readonly podLabels: { [key: string]: string };
  public readonly selectorLabels: { [key: string]: string };
  public readonly imageRepository?: string;
  public readonly builtByChain: boolean;

  constructor(tenant: ITenant, name: string, builtByChain: boolean) {
    super(tenant, `Workload-${name}`);
    this.tenant = tenant;
    this.workloadName = name;
    this.namespace = tenant.namespaceName;
    this.deploymentName = name;
    this.serviceName = name;
    this.serviceAccountName = name;
    this.selectorLabels = { 'app.kubernetes.io/name': name };
    this.podLabels = { ...this.selectorLabels };
    this.builtByChain = builtByChain;
    this.imageRepository = builtByChain ? `harbor.bank.example/${tenant.namespaceName}/${name}` : undefined;
  }

  public addSecretEnv(): void {}
  public addSecretVolume(): void {}
  public addPodAnnotation(): void {}
  public addNodeSelector(): void {}
  public addToleration(_toleration: WorkloadToleration): void {}
}
