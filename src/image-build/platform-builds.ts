import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BuildImpactReport } from './build-impact-report';
import { KpackBuildServiceAccount } from './build-service-account';
import { KpackClusterBuilder } from './cluster-builder';
import { KpackImage } from './image';
import type { PlatformBuilderOptions, PlatformBuildProps, PlatformImageOptions } from '../platform/platform-props';
import type { PlatformPolicy } from '../policy/platform-policy';
import { invalid } from '../private/errors';
import { PlatformCheckInput, PlatformLayer } from '../private/platform-layer';
import { requireDnsLabel } from '../private/validate';
import type { PlatformRegistry } from '../registry/platform-registry';
import { robotName } from '../registry/private/robot-name';
import { SignaturePolicy } from '../registry/signature-policy';
import { UnmanagedNamespace } from '../tenancy/namespace-placement';
import { NetworkPeer } from '../tenancy/network';
import type { Tenant } from '../tenancy/tenant';
import type { Workload } from '../workload/workload';

/** Label kpack puts on the pods of an Image's builds (value: the Image name). */
export const KPACK_IMAGE_LABEL = 'image.kpack.io/image';

/**
 * The build layer of the platform (kpack): builders pushed to the platform project, a build
 * account per tenant (push robot of its project, pull robot of the platform project, the signing
 * key), build pods' egress, and the build-impact report. Needs the registry managed as Harbor and
 * signing.
 */
export class PlatformBuilds implements PlatformLayer {
  public readonly kpackNamespace: string;
  public buildImpact?: BuildImpactReport;
  private readonly buildAccounts = new Map<string, KpackBuildServiceAccount>();
  private builderAccount?: KpackBuildServiceAccount;
  private readonly builderList: KpackClusterBuilder[] = [];
  private components?: Chart;

  constructor(private readonly platform: IConstruct, private readonly registry: PlatformRegistry, private readonly policy: PlatformPolicy,
    private readonly builds: PlatformBuildProps | undefined, signing: boolean) {
    if (builds && (!registry.managed || !signing)) {
      invalid(platform, 'builds', 'needs registry.harbor and signing: every image is pushed to a tenant project and signed', '<builds>',
        'add registry.harbor and signing, or remove builds');
    }
    this.kpackNamespace = requireDnsLabel(platform, 'builds.kpackNamespace', builds?.kpackNamespace ?? 'kpack');
    if (builds && (!Array.isArray(builds.egress) || builds.egress.length === 0)) {
      invalid(platform, 'builds.egress', 'must list where build pods connect: tenant namespaces deny all other egress', builds.egress,
        'list the registry ingress and the git server, e.g. [{ peer: NetworkPeer.cidr("10.40.0.0/28"), ports: [NetworkPort.tcp(443)] }]');
    }
    (builds?.egress ?? []).forEach((e, i) => {
      if (!(e?.peer instanceof NetworkPeer) || !Array.isArray(e.ports) || e.ports.length === 0) {
        invalid(platform, `builds.egress[${i}]`, 'must name a NetworkPeer and at least one NetworkPort', e,
          'e.g. { peer: NetworkPeer.cidr("10.20.0.0/16"), ports: [NetworkPort.tcp(443)] }');
      }
    });
  }

  /** Whether builds are on. */
  public get enabled(): boolean {
    return this.builds !== undefined;
  }

  public install(components: Chart): void {
    this.components = components;
    if (!this.builds) return;
    this.buildImpact = new BuildImpactReport(components, 'build-impact');
    new UnmanagedNamespace(components, 'kpack-namespace', {
      namespace: this.kpackNamespace,
      reason: 'kpack is installed from its release manifests, which create its namespace; the builder\'s push credentials are written there',
    });
  }

  /** A built workload builds in its tenant's namespace under the tenant's build account, with the build egress. */
  public onWorkload(workload: Workload): void {
    if (!workload.builtByChain) return;
    this.requireBuilds('addWorkload');
    this.buildAccountOf(workload._tenant);
    this.allowBuildEgress(workload._tenant, workload.workloadName);
  }

  /** See `DevSecOpsPlatform.addBuilder`. */
  public addBuilder(name: string, options: PlatformBuilderOptions): KpackClusterBuilder {
    this.requireBuilds('addBuilder');
    const platformProject = this.registry.platformProject!;
    if (!this.builderAccount) {
      const robot = platformProject.addPushRobot(this.kpackNamespace, 'harbor-platform-builder-push');
      this.builderAccount = new KpackBuildServiceAccount(this.components!, 'builder-account', {
        namespace: this.kpackNamespace,
        name: 'platform-builder',
        registryCredentialsSecretName: robot.dockerConfigSecretName,
      });
    }
    const builder = new KpackClusterBuilder(this.components!, `builder-${name}`, {
      name,
      stack: options.stack,
      store: options.store,
      lifecycle: options.lifecycle,
      order: options.order,
      repository: options.repository,
      project: platformProject,
      serviceAccount: this.builderAccount,
    });
    this.builderList.push(builder);
    return builder;
  }

  /** The builders added with `addBuilder`, in order. */
  public get builders(): KpackClusterBuilder[] {
    return [...this.builderList];
  }

  /** See `DevSecOpsPlatform.addImage`. */
  public addImage(tenant: Tenant, name: string, options: PlatformImageOptions): KpackImage {
    this.requireBuilds('addImage');
    const project = this.registry.projectOf(tenant);
    const account = this.buildAccountOf(tenant);
    const image = new KpackImage(tenant, `Image-${name}`, {
      name,
      tenant,
      project,
      repository: options.repository,
      builder: options.builder,
      source: options.source,
      subPath: options.subPath,
      cache: options.cache,
      buildServiceAccount: account,
    });
    this.allowBuildEgress(tenant, image.name);
    return image;
  }

  /**
   * kpack's rules: every Image tag is in its tenant's project and every builder's in the platform
   * project, and the key kpack signs with is the key admission verifies.
   */
  public checks(input: PlatformCheckInput): string[] {
    const { all } = input;
    const errors: string[] = [];
    const at = (c: IConstruct) => `[${c.node.path}]`;
    const where = at(this.platform);
    const images = all.filter((x): x is KpackImage => x instanceof KpackImage);
    const registry = this.registry;
    if (registry.managed) {
      const prefixes = registry.projects.map((p) => p.repositoryPrefix).join(', ');
      for (const image of images) {
        const project = registry.containing(image.tag);
        const expected = registry.projects.find((p) => p.tenant?.namespaceName === image.namespace);
        if (!project) {
          errors.push(`${at(image)} kpack Image tag "${image.tag}" is outside every Harbor project declared by ${where} (${prefixes}); `
            + 'tag the image in its tenant\'s project (platform.addImage does)');
        } else if (expected && project !== expected) {
          errors.push(`${at(image)} kpack Image of tenant "${image.namespace}" is tagged "${image.tag}" in ${at(project)} project "${project.projectName}", not in the tenant's own ${at(expected)} project "${expected.projectName}"; `
            + 'tag every image in its tenant\'s project');
        }
      }
      const platformProject = registry.platformProject!;
      for (const builder of all.filter((x): x is KpackClusterBuilder => x instanceof KpackClusterBuilder)) {
        if (!builder.tag.startsWith(`${platformProject.repositoryPrefix}/`)) {
          errors.push(`${at(builder)} ClusterBuilder tag "${builder.tag}" is outside ${at(platformProject)} platform project "${platformProject.repositoryPrefix}"; `
            + 'create builders with platform.addBuilder');
        }
      }
    }

    const policies = all.filter((x): x is SignaturePolicy => x instanceof SignaturePolicy);
    for (const image of images) {
      const account = image.buildServiceAccount;
      const key = account.signingKey!;
      if (policies.length === 0 && registry.managed) {
        errors.push(`${at(image)} kpack Image is signed with the key in Secret "${key.secretName}" (${at(account)}), but no SignaturePolicy verifies signatures; `
          + 'set signing on the platform');
      }
      for (const policy of policies) {
        if (normalizePem(policy.key.publicKeyPem) !== normalizePem(key.publicKeyPem)) {
          errors.push(`${at(account)} kpack signs ${image.namespace}/${image.name} with the key in Secret "${key.secretName}", but ${at(policy)} verifies with another public key (sha256 ${policy.key.fingerprint.slice(0, 16)}...); `
            + 'give the build service account and the signature policy the same CosignKeyPair');
        }
      }
    }
    return errors;
  }

  /** The tenant's build account, created on first use. */
  private buildAccountOf(tenant: Tenant): KpackBuildServiceAccount {
    let account = this.buildAccounts.get(tenant.namespaceName);
    if (account) return account;
    const registry = this.registry;
    const project = registry.projectOf(tenant);
    const push = project.addPushRobot(tenant.namespaceName, 'harbor-push');
    const pull = registry.platformProject!.addPullRobot(robotName('pull', project.resourceName), tenant.namespaceName, 'harbor-platform-pull');
    account = new KpackBuildServiceAccount(tenant, 'BuildAccount', {
      tenant,
      registryCredentialsSecretName: push.dockerConfigSecretName,
      pullSecretNames: [pull.dockerConfigSecretName],
      signingKey: registry.signaturePolicy!.key,
    });
    this.buildAccounts.set(tenant.namespaceName, account);
    // Build pods run the builder (and kpack's own images) from the platform project; no other
    // pod of the tenant may.
    this.policy.catalog.allowBuildRepositories(tenant, account.name, [registry.platformProject!.repositoryPrefix]);
    return account;
  }

  private allowBuildEgress(tenant: Tenant, imageName: string): void {
    for (const e of this.builds!.egress) tenant.allowTo(e.peer, e.ports, { podLabels: { [KPACK_IMAGE_LABEL]: imageName }, weakening: e.weakening });
  }

  private requireBuilds(method: string): void {
    if (!this.builds) {
      invalid(this.platform, method, 'needs builds (and registry.harbor and signing) in the platform props', '<builds unset>',
        'set builds: { egress: [...] } with the destinations build pods reach');
    }
  }
}

function normalizePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}
