import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SecureSupplyChain } from './secure-supply-chain';
import { SupplyChainDeployTarget, SupplyChainEgress, SupplyChainScanCredentials } from './supply-chain-props';
import { SupplyChainToolImageOverride } from './tool-images';
import { KpackClusterBuilder } from '../image-build/cluster-builder';
import type { PlatformBuilds } from '../image-build/platform-builds';
import type { PlatformPolicy } from '../policy/platform-policy';
import { invalid } from '../private/errors';
import { PlatformCheckInput, PlatformLayer } from '../private/platform-layer';
import type { PlatformRegistry } from '../registry/platform-registry';
import { Workload } from '../workload/workload';
import { WorkloadType } from '../workload/workload-props';

/**
 * The platform's secure supply chains: one `SecureSupplyChain` per workload type, built with the
 * platform's builder, gated at the platform's severity, judging with the platform's policies.
 */
export interface PlatformSupplyChainProps {
  /** Where the deployer writes each workload's checked configuration (the GitOps repository). */
  readonly deployTarget: SupplyChainDeployTarget;

  /** Where the chain's tool pods may connect (tenant namespaces deny all other egress). */
  readonly egress: SupplyChainEgress;

  /**
   * Name of the builder (from `addBuilder`) the chains build with.
   * @default - the platform's builder, when it has exactly one
   */
  readonly builderName?: string;

  /**
   * Tool images replacing the library's table (a copy in the platform's registry, say).
   * SENSITIVE tenants accept only images pinned by digest.
   * @default - the library's table (`SupplyChainToolImages.defaultImage`)
   */
  readonly toolImages?: SupplyChainToolImageOverride[];

  /**
   * grype's vulnerability database mirror.
   * @default 'https://grype.anchore.io/databases'
   */
  readonly vulnerabilityDatabaseUrl?: string;

  /**
   * Secret (in each tenant namespace) with the git credentials Flux clones sources with.
   * @default - sources are cloned without credentials
   */
  readonly sourceCredentialsSecretName?: string;
}

/**
 * The supply-chain layer of the platform: creates the chain of a workload type when the first
 * built workload of that type is added, attaches every built workload to it (its chain account,
 * the tool pods' account, egress and policy bundle in the namespace; image-scan reads Harbor with
 * the tenant's pull robot), and checks at synth that every built workload is selected by exactly
 * one chain and builds into its tenant's project.
 */
export class PlatformSupplyChain implements PlatformLayer {
  private readonly chains = new Map<WorkloadType, SecureSupplyChain>();
  private components?: Chart;

  constructor(private readonly platform: IConstruct, private readonly registry: PlatformRegistry, private readonly builds: PlatformBuilds,
    private readonly policy: PlatformPolicy, private readonly props: PlatformSupplyChainProps | undefined) {
    if (props !== undefined && !builds.enabled) {
      invalid(platform, 'supplyChain', 'needs builds (and registry.harbor and signing): the chain builds with kpack into the tenant\'s project', '<supplyChain>',
        'set builds, or remove supplyChain');
    }
  }

  /** The chains the platform made, by workload type. */
  public get all(): SecureSupplyChain[] {
    return [...this.chains.values()];
  }

  public install(components: Chart): void {
    this.components = components;
  }

  public onWorkload(workload: Workload): void {
    if (!workload.builtByChain) return;
    if (!this.props) {
      invalid(workload, 'source', `needs a supply chain for workload type "${workload.workloadType}", and the platform has none`, workload.source?.url,
        'set supplyChain in the platform props (deploy target and tool egress), or deploy a prebuilt image with image');
    }
    const chain = this.chainFor(workload);
    const pullRobot = this.registry.projectOf(workload._tenant).pullRobot!;
    chain.attachWorkload(workload, { scanCredentials: SupplyChainScanCredentials.fromHarborRobot(pullRobot) });
  }

  /**
   * Every built workload of the App is selected by exactly one ClusterSupplyChain (Cartographer
   * stamps nothing for a workload no chain selects, and refuses one that two select), and pushes
   * into its own tenant's project.
   */
  public checks(input: PlatformCheckInput): string[] {
    const errors: string[] = [];
    const at = (c: IConstruct) => `[${c.node.path}]`;
    const chains = input.all.filter((c): c is ApiObject => c instanceof ApiObject && c.apiVersion === 'carto.run/v1alpha1' && c.kind === 'ClusterSupplyChain')
      .map((c) => ({ object: c, selector: c.toJson().spec?.selector ?? {} }));
    for (const w of input.all.filter(Workload.isWorkload).filter((x) => x.builtByChain)) {
      const labels: { [key: string]: string } = (w.node.defaultChild as ApiObject).toJson().metadata.labels ?? {};
      const selecting = chains.filter((c) => Object.keys(c.selector).length > 0 && Object.entries(c.selector).every(([k, v]) => labels[k] === v));
      if (selecting.length !== 1) {
        errors.push(`${at(w)} workload "${w.workloadName}" (type ${w.workloadType}) is selected by ${selecting.length} supply chains`
          + `${selecting.length ? ` (${selecting.map((c) => at(c.object)).join(', ')})` : ''}; `
          + (selecting.length ? 'give each ClusterSupplyChain a selector no other chain shares' : 'add a chain for the workload type (supplyChain in the platform props)'));
      }
      if (this.registry.managed) {
        const project = this.registry.projectOf(w._tenant);
        if (!w.imageRepository!.startsWith(`${project.repositoryPrefix}/`)) {
          errors.push(`${at(w)} workload "${w.workloadName}" pushes to "${w.imageRepository}", outside ${at(project)} project "${project.repositoryPrefix}" of its tenant; `
            + 'let the workload derive its repository (tenant.addWorkload does)');
        }
      }
    }
    return errors;
  }

  private chainFor(workload: Workload): SecureSupplyChain {
    const existing = this.chains.get(workload.workloadType);
    if (existing) return existing;
    const props = this.props!;
    const chain = new SecureSupplyChain(this.components!, `chain-${workload.workloadType}`, {
      workloadType: workload.workloadType,
      severity: this.registry.severity,
      registryHost: this.registry.host,
      builder: this.builder(workload),
      policies: this.policy.catalog,
      deployTarget: props.deployTarget,
      egress: props.egress,
      toolImages: props.toolImages,
      vulnerabilityDatabaseUrl: props.vulnerabilityDatabaseUrl,
      sourceCredentialsSecretName: props.sourceCredentialsSecretName,
    });
    this.chains.set(workload.workloadType, chain);
    return chain;
  }

  private builder(workload: Workload): KpackClusterBuilder {
    const builders = this.builds.builders;
    const name = this.props!.builderName;
    const found = name === undefined ? (builders.length === 1 ? builders[0] : undefined) : builders.find((b) => b.name === name);
    if (!found) {
      invalid(this.platform, 'supplyChain.builderName', name === undefined
        ? `must name the builder the chain of ${workload.node.path} builds with: the platform has ${builders.length} builders`
        : 'names no builder of the platform', name ?? builders.map((b) => b.name),
      builders.length ? `use one of: ${builders.map((b) => b.name).join(', ')}` : 'add a builder with platform.addBuilder before adding built workloads');
    }
    return found;
  }
}
