/** A platform, a chain and a test double of IWorkload for the supply chain's tests. */
import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DevSecOpsPlatform, DevSecOpsPlatformProps, IWorkload, ITenant, KpackClusterBuilder, KpackClusterLifecycle, KpackClusterStack, KpackClusterStore,
  NetworkPeer, NetworkPort, PlatformLabels, SecureSupplyChain, SecureSupplyChainProps, SupplyChainScanCredentials, SupplyChainTool,
  Tenant, Tier, WorkloadToleration, WorkloadType,
} from '../../src';
import { keyPair } from '../registry/fixtures';

export const HOST = 'harbor.bank.example';
const sha = (hex: string) => `sha256:${hex.repeat(64)}`;

/** A pinned gator reference for SENSITIVE tenants (the library ships the tag only). */
export const PINNED_GATOR = `${HOST}/platform/tools/gator:v3.23.0@${sha('e')}`;

export const EGRESS = {
  vulnerabilityDatabase: [{ peer: NetworkPeer.cidr('10.50.0.10/32'), ports: [NetworkPort.tcp(443)] }],
  registry: [{ peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] }],
  gitOpsRepository: [{ peer: NetworkPeer.cidr('10.40.1.0/28'), ports: [NetworkPort.tcp(443)] }],
};

export const DEPLOY_TARGET = {
  repositoryUrl: 'https://git.bank.example/platform/gitops.git',
  branch: 'main',
  path: 'clusters/prod/workloads',
  credentialsSecretName: 'gitops-writer',
};

/**
 * Props of a platform whose built workloads go through the secure supply chain: Harbor, signing,
 * builds and `supplyChain` (with a pinned gator, so SENSITIVE tenants may attach), plus `props`.
 */
export function chainPlatformProps(props: Partial<DevSecOpsPlatformProps> = {}): DevSecOpsPlatformProps {
  return {
    registry: { host: HOST, harbor: { providerCredentialsSecretName: 'harbor-provider-credentials' } },
    signing: { key: keyPair() },
    builds: { egress: [{ peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] }] },
    supplyChain: { deployTarget: DEPLOY_TARGET, egress: EGRESS, toolImages: [{ tool: SupplyChainTool.GATOR, image: PINNED_GATOR }] },
    ...props,
  };
}

/** A platform with Harbor, signing and builds but no platform chain: the tests make their own. */
export function newPlatform(app: App = Testing.app()): DevSecOpsPlatform {
  return new DevSecOpsPlatform(app, 'bank', chainPlatformProps({ supplyChain: undefined }));
}

export function addBuilder(platform: DevSecOpsPlatform): KpackClusterBuilder {
  const c = platform.components;
  const stack = new KpackClusterStack(c, 'jammy', {
    stackId: 'io.buildpacks.stacks.jammy',
    buildImage: `${HOST}/platform/paketo-buildpacks/build-jammy-base:0.1.120@${sha('a')}`,
    runImage: `${HOST}/platform/paketo-buildpacks/run-jammy-base:0.1.120@${sha('b')}`,
  });
  const store = new KpackClusterStore(c, 'paketo', {
    buildpackages: [{ image: `${HOST}/platform/paketo-buildpacks/java:13.1.0@${sha('c')}`, buildpackIds: ['paketo-buildpacks/java'] }],
  });
  const lifecycle = new KpackClusterLifecycle(c, 'lifecycle', { image: `${HOST}/platform/buildpacksio/lifecycle:0.20.0@${sha('d')}` });
  return platform.addBuilder('paketo-jammy', { stack, store, lifecycle, order: [{ group: [{ id: 'paketo-buildpacks/java' }] }] });
}

type Props = SecureSupplyChainProps;

export function chainProps(platform: DevSecOpsPlatform, builder: KpackClusterBuilder, props: Partial<Props> = {}): Props {
  return {
    workloadType: WorkloadType.WEB,
    severity: platform.severity,
    registryHost: platform.registryHost,
    builder,
    policies: platform.policies,
    deployTarget: DEPLOY_TARGET,
    egress: EGRESS,
    toolImages: [{ tool: SupplyChainTool.GATOR, image: PINNED_GATOR }],
    ...props,
  };
}

/** A test double of the lead's Workload: the names IWorkload promises, derived once. */
export class TestWorkload extends Construct implements IWorkload {
  public readonly tenant: ITenant;
  public readonly workloadName: string;
  public readonly namespace: string;
  public readonly workloadType: WorkloadType;
  public readonly deploymentName: string;
  public readonly serviceName?: string;
  public readonly serviceAccountName: string;
  public readonly containerName = 'app';
  public readonly podLabels: { [key: string]: string };
  public readonly selectorLabels: { [key: string]: string };
  public readonly imageRepository?: string;
  public readonly builtByChain: boolean;
  public readonly chainServiceAccountName: string;

  constructor(tenant: Tenant, name: string, options: { type?: WorkloadType; imageRepository?: string; prebuilt?: boolean } = {}) {
    super(tenant, `Workload-${name}`);
    this.tenant = tenant;
    this.workloadName = name;
    this.namespace = tenant.namespaceName;
    this.workloadType = options.type ?? WorkloadType.WEB;
    this.deploymentName = name;
    this.serviceName = this.workloadType === WorkloadType.WEB ? name : undefined;
    this.serviceAccountName = name;
    this.selectorLabels = { 'app.kubernetes.io/name': name };
    this.podLabels = { ...this.selectorLabels, ...tenant.workloadLabels };
    this.builtByChain = !options.prebuilt;
    this.imageRepository = options.prebuilt ? undefined : options.imageRepository ?? `${HOST}/${tenant.namespaceName}/${name}`;
    this.chainServiceAccountName = `${name}-chain`;
  }

  public addSecretEnv(): void {}
  public addSecretVolume(): void {}
  public addPodAnnotation(): void {}
  public addNodeSelector(): void {}
  public addToleration(_t: WorkloadToleration): void {}

  /**
   * The `platform-config` param the lead's Workload renders: a Deployment every tier admits whose
   * application container names the image repository exactly, and for WEB a Service.
   */
  public platformConfig(): any[] {
    const labels = { ...this.podLabels };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.deploymentName, namespace: this.namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: this.containerName,
              image: this.imageRepository,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [{ name: 'GREETING', value: 'a & b <c>' }, { name: 'LITERAL', value: '$(NOT_EXPANDED)' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
            }],
          },
        },
      },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName, namespace: this.namespace, labels },
      spec: { type: 'ClusterIP', selector: this.selectorLabels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    };
    return this.workloadType === WorkloadType.WEB ? [deployment, service] : [deployment];
  }

  /** The Cartographer Workload the lead emits for it (contract-10.md). */
  public cartographerWorkload(): any {
    return {
      apiVersion: 'carto.run/v1alpha1',
      kind: 'Workload',
      metadata: {
        name: this.workloadName,
        namespace: this.namespace,
        labels: { 'apps.tanzu.vmware.com/workload-type': this.workloadType, ...(this.tenant as Tenant).workloadLabels },
      },
      spec: {
        serviceAccountName: this.chainServiceAccountName,
        source: { git: { url: `https://git.bank.example/${this.namespace}/${this.workloadName}.git`, ref: { branch: 'main' } } },
        params: [
          { name: 'image-repository', value: this.imageRepository },
          { name: 'platform-config', value: this.platformConfig() },
        ],
      },
    };
  }
}

export interface Setup {
  readonly app: App;
  readonly platform: DevSecOpsPlatform;
  readonly builder: KpackClusterBuilder;
  readonly chain: SecureSupplyChain;
  readonly tenant: Tenant;
  readonly workload: TestWorkload;
}

/** A platform, a WEB chain, a tenant of `tier` and one attached workload `ledger`. */
export function setup(options: { tier?: Tier; props?: Partial<SecureSupplyChainProps>; app?: App; type?: WorkloadType } = {}): Setup {
  const app = options.app ?? Testing.app();
  const platform = newPlatform(app);
  const builder = addBuilder(platform);
  const type = options.type ?? WorkloadType.WEB;
  const chain = new SecureSupplyChain(platform.components, `chain-${type}`, chainProps(platform, builder, { workloadType: type, ...options.props }));
  const tenant = platform.addTenant('payments', { tier: options.tier ?? Tier.SENSITIVE, team: 'payments-eng' });
  const workload = new TestWorkload(tenant, 'ledger', { type });
  chain.attachWorkload(workload, { scanCredentials: SupplyChainScanCredentials.fromHarborRobot(platform.projectOf(tenant).pullRobot!) });
  return { app, platform, builder, chain, tenant, workload };
}

export const MANAGED = { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
