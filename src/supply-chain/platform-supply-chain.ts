import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CartographerInstall } from './install/cartographer-install';
import { TektonPipelinesInstall } from './install/tekton-pipelines-install';
import { ScanEconomyReport, ScanEconomyReportProps } from './report/scan-economy-report';
import { SecureSupplyChain } from './secure-supply-chain';
import { PlatformSupplyChainProps, SupplyChainScanCredentials } from './supply-chain-props';
import { KpackClusterBuilder } from '../image-build/cluster-builder';
import type { PlatformBuilds } from '../image-build/platform-builds';
import { UpstreamReleases } from '../install/upstream-releases';
import type { PlatformReleasesProps } from '../platform/platform-props';
import { BuiltInPolicy } from '../policy/built-in-policy';
import { GatekeeperConstraint } from '../policy/constraint';
import type { PlatformPolicy } from '../policy/platform-policy';
import { invalid } from '../private/errors';
import { PlatformCheckInput, PlatformLayer } from '../private/platform-layer';
import type { PlatformRegistry } from '../registry/platform-registry';
import { Workload } from '../workload/workload';
import { WorkloadType } from '../workload/workload-props';

/**
 * The supply-chain layer of the platform: creates the chain of a workload type when the first
 * built workload of that type is added, attaches every built workload to it (its chain account,
 * the tool pods' account, egress and policy bundle in the namespace; image-scan reads Harbor with
 * the tenant's pull robot), and checks at synth that every built workload is selected by exactly
 * one chain and builds into its tenant's project.
 */
export class PlatformSupplyChain implements PlatformLayer {
  private readonly chains = new Map<WorkloadType, { chain: SecureSupplyChain; builder: KpackClusterBuilder }>();
  private components?: Chart;
  private scanEconomy?: ScanEconomyReport;

  constructor(private readonly platform: IConstruct, private readonly registry: PlatformRegistry, private readonly builds: PlatformBuilds,
    private readonly policy: PlatformPolicy, private readonly props: PlatformSupplyChainProps | undefined,
    private readonly releases: PlatformReleasesProps = {}, private readonly scanEconomyProps: ScanEconomyReportProps = {}) {
    if (props !== undefined && !builds.enabled) {
      invalid(platform, 'supplyChain', 'needs builds (and registry.harbor and signing): the chain builds with kpack into the tenant\'s project', '<supplyChain>',
        'set builds, or remove supplyChain');
    }
  }

  /** The chains the platform made, by workload type. */
  public get all(): SecureSupplyChain[] {
    return [...this.chains.values()].map((c) => c.chain);
  }

  public install(components: Chart): void {
    this.components = components;
    if (!this.props) return;
    const registry = this.registry;
    const tekton = new TektonPipelinesInstall(components, 'tekton',
      registry.releaseInstallOptions(UpstreamReleases.TEKTON_PIPELINES, this.releases.mirrorPrefix, this.releases.tektonPipelines));
    const cartographer = new CartographerInstall(components, 'cartographer',
      registry.releaseInstallOptions(UpstreamReleases.CARTOGRAPHER, this.releases.mirrorPrefix, this.releases.cartographer));
    if (registry.relocationPrefix) for (const i of [tekton, cartographer]) i.relocateImages(registry.relocationPrefix);
    this.scanEconomy = new ScanEconomyReport(components, 'scan-economy', { ...this.scanEconomyProps, scanSchedule: registry.scanSchedule });
  }

  public onWorkload(workload: Workload): void {
    this.scanEconomy?.addWorkload(workload);
    if (!workload.builtByChain) return;
    if (!this.props) {
      invalid(workload, 'source', `needs a supply chain for workload type "${workload.workloadType}", and the platform has none`, workload.source?.url,
        'set supplyChain in the platform props (deploy target and tool egress), or deploy a prebuilt image with image');
    }
    const { chain, builder } = this.chainFor(workload);
    const pullRobot = this.registry.projectOf(workload._tenant).pullRobot!;
    chain.attachWorkload(workload, { scanCredentials: SupplyChainScanCredentials.fromHarborRobot(pullRobot) });
    // The tool pods (and no other pod of the tenant) may run the chain's tool images.
    this.policy.catalog.allowToolRepositories(workload._tenant, chain.toolServiceAccountName, toolRepositories(chain));
    // A stack or builder change rebases or rebuilds the chain's image too.
    this.builds.buildImpact?._addChainImage({
      namespace: workload.namespace, name: workload.workloadName, tag: workload.imageRepository!, builder, source: workload.source!,
    });
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
    errors.push(...this.checkToolAdmission(input));
    return errors;
  }

  /**
   * The allowed-repositories constraints admit to tool pods only the tool images of the App's
   * chains, and only under a chain's tool service account.
   */
  private checkToolAdmission(input: PlatformCheckInput): string[] {
    const errors: string[] = [];
    const chains = input.all.filter((c): c is SecureSupplyChain => c instanceof SecureSupplyChain);
    const accounts = new Set(chains.map((c) => c.toolServiceAccountName));
    const repositories = new Set(chains.flatMap(toolRepositories));
    const kind = this.policy.catalog.template(BuiltInPolicy.ALLOWED_REPOSITORIES).kind;
    for (const c of input.all.filter((x): x is GatekeeperConstraint => x instanceof GatekeeperConstraint && x.template.kind === kind)) {
      const tools: { [ns: string]: { serviceAccountNames: string[]; repositories: string[] } } = c.parameters?.toolRepositories ?? {};
      for (const [ns, entry] of Object.entries(tools)) {
        const extra = (entry.repositories ?? []).filter((r) => !repositories.has(r));
        const strangers = (entry.serviceAccountNames ?? []).filter((a) => !accounts.has(a));
        if (strangers.length > 0 || extra.length > 0) {
          errors.push(`[${c.node.path}] allowed-repositories constraint "${c.name}" admits ${JSON.stringify(extra.length ? extra : entry.repositories)} to tool pods `
            + `of "${ns}" running as ${JSON.stringify(entry.serviceAccountNames)}, which are not the tool images and accounts of the App's supply chains (${[...accounts].join(', ') || 'none'}); `
            + 'leave tool entries to the platform\'s supply chains');
        }
      }
    }
    return errors;
  }

  private chainFor(workload: Workload): { chain: SecureSupplyChain; builder: KpackClusterBuilder } {
    const existing = this.chains.get(workload.workloadType);
    if (existing) return existing;
    const props = this.props!;
    const builder = this.builder(workload);
    const chain = new SecureSupplyChain(this.components!, `chain-${workload.workloadType}`, {
      workloadType: workload.workloadType,
      severity: this.registry.severity,
      registryHost: this.registry.host,
      builder,
      policies: this.policy.catalog,
      deployTarget: props.deployTarget,
      egress: props.egress,
      toolImages: props.toolImages,
      vulnerabilityDatabaseUrl: props.vulnerabilityDatabaseUrl,
      sourceCredentialsSecretName: props.sourceCredentialsSecretName,
    });
    const entry = { chain, builder };
    this.chains.set(workload.workloadType, entry);
    return entry;
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

/** The repositories (image references without tag or digest, as the pods name them) of a chain's tool images. */
function toolRepositories(chain: SecureSupplyChain): string[] {
  return [...new Set(chain.toolImages.all().map((image) => {
    const name = image.split('@')[0];
    const slash = name.lastIndexOf('/');
    const colon = name.indexOf(':', slash + 1);
    return colon >= 0 ? name.slice(0, colon) : name;
  }))].sort();
}
