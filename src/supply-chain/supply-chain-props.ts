/** The props of `SecureSupplyChain` and of its methods. */
import { IConstruct } from 'constructs';
import { SupplyChainToolImageOverride } from './tool-images';
import { KpackClusterBuilder } from '../image-build/cluster-builder';
import { PolicyCatalog } from '../policy/policy-catalog';
import { invalid } from '../private/errors';
import { isDnsSubdomain } from '../private/validate';
import { HarborRobot } from '../registry/harbor-robot';
import { RegistrySeverity } from '../registry/severity';
import { NetworkPeer, NetworkPort } from '../tenancy/network';
import { Weakening } from '../tenancy/weakening';
import { WorkloadType } from '../workload/workload-props';

/**
 * The GitOps repository the deployer writes the checked configuration to. The deployer clones
 * `branch`, writes `<path>/<namespace>/<workload>.yaml` and pushes one commit per change; Flux
 * (or Argo CD) applies the repository.
 */
export interface SupplyChainDeployTarget {
  /**
   * Repository URL: `https://host/...` (credentials: a `kubernetes.io/basic-auth` Secret with
   * `username` and `password`), or `ssh://git@host/...` / `git@host:...` (a
   * `kubernetes.io/ssh-auth` Secret with `ssh-privatekey` and a `known_hosts` key; the host key
   * is verified).
   */
  readonly repositoryUrl: string;

  /** Branch the deployer commits to. */
  readonly branch: string;

  /**
   * Directory of the repository the workloads' files are written under (relative, no `..`).
   */
  readonly path: string;

  /**
   * Name of the Secret with the git credentials, in every namespace with workloads on the
   * chain (deliver it from Vault with the secrets layer). Only the deployer's pods read it.
   */
  readonly credentialsSecretName: string;

  /**
   * Author name of the deployer's commits.
   * @default 'cdk8s-devsecops deployer'
   */
  readonly authorName?: string;

  /**
   * Author e-mail of the deployer's commits.
   * @default 'deployer@cdk8s-devsecops.invalid'
   */
  readonly authorEmail?: string;
}

/** One destination chain pods may connect to. */
export interface SupplyChainDestination {
  /** Where: the git server, the registry's ingress, a vulnerability database mirror. */
  readonly peer: NetworkPeer;
  /** On which ports. */
  readonly ports: NetworkPort[];
  /**
   * The acknowledgement a destination that weakens a tenant's default needs (for example a CIDR
   * wider than a SENSITIVE tenant's `egressPrefixLimit`).
   * @default - none
   */
  readonly weakening?: Weakening;
}

/**
 * Where the chain's tool pods may connect (tenant namespaces deny all egress but DNS). Each
 * list is allowed to the pods of the one stage that needs it, selected by their run template.
 */
export interface SupplyChainEgress {
  /**
   * Where security-scan downloads the source artifact: Flux's source-controller.
   * @default - pods `app: source-controller` of namespace `flux-system`, TCP 9090
   */
  readonly sourceArtifacts?: SupplyChainDestination[];

  /** Where grype downloads its vulnerability database (a mirror, or grype.anchore.io). */
  readonly vulnerabilityDatabase: SupplyChainDestination[];

  /** Where image-scan reads Harbor's API (the registry's ingress). */
  readonly registry: SupplyChainDestination[];

  /** Where the deployer clones and pushes the GitOps repository (the git server). */
  readonly gitOpsRepository: SupplyChainDestination[];
}

/**
 * Properties of a `SecureSupplyChain`.
 */
export interface SecureSupplyChainProps {
  /**
   * Name of the ClusterSupplyChain, and prefix of its templates (at most 40 characters).
   * @default - `secure-<workload type>`
   */
  readonly name?: string;

  /** The workload type the chain selects (through the Workload's type label). */
  readonly workloadType: WorkloadType;

  /**
   * Security: the threshold of both scan gates: a finding at or above it stops the chain. Must
   * equal the platform's (checked at synth). A higher severity lets more vulnerable code through.
   * @default RegistrySeverities.DEFAULT_THRESHOLD (HIGH)
   */
  readonly severity?: RegistrySeverity;

  /** Registry host the workloads' images are pushed to (Harbor). */
  readonly registryHost: string;

  /** The kpack ClusterBuilder image-builder builds with. */
  readonly builder: KpackClusterBuilder;

  /**
   * The platform's admission policies: policy-check judges the rendered configuration with
   * exactly its ConstraintTemplates, Constraints and ExpansionTemplates.
   */
  readonly policies: PolicyCatalog;

  /** Where the deployer writes the checked configuration. */
  readonly deployTarget: SupplyChainDeployTarget;

  /** Where the chain's tool pods may connect. */
  readonly egress: SupplyChainEgress;

  /**
   * URL grype downloads its vulnerability database listing from (`GRYPE_DB_UPDATE_URL`).
   * @default 'https://grype.anchore.io/databases'
   */
  readonly vulnerabilityDatabaseUrl?: string;

  /**
   * Images replacing entries of the library's tool table. SENSITIVE tenants accept only images
   * pinned by digest.
   * @default - the library's table (`SupplyChainToolImages.defaultImage`)
   */
  readonly toolImages?: SupplyChainToolImageOverride[];

  /**
   * Name of a Secret (in every namespace with workloads on the chain) Flux's source-controller
   * reads to clone private sources.
   * @default - none: sources are cloned anonymously
   */
  readonly sourceCredentialsSecretName?: string;

  /**
   * Name of the kpack build service account in tenant namespaces.
   * @default 'kpack-build'
   */
  readonly buildServiceAccountName?: string;
}

/**
 * The Harbor credentials image-scan reads the scan report with: a robot's user name and the
 * Secret key holding its secret, in the workload's namespace.
 */
export class SupplyChainScanCredentials {
  /**
   * A Harbor robot of the tenant's project whose credentials are written to the workload's
   * namespace (the provider's connection Secret). It must read artifacts (`artifact` / `read`),
   * as the tenant's pull robot does.
   */
  public static fromHarborRobot(robot: HarborRobot): SupplyChainScanCredentials {
    if (!(robot instanceof HarborRobot)) {
      invalid('SupplyChainScanCredentials.fromHarborRobot', 'robot', 'must be a HarborRobot', robot === undefined ? undefined : String(robot),
        'pass the robot of the tenant\'s project, e.g. platform.projectOf(tenant).pullRobot');
    }
    const access: Array<{ resource: string; action: string }> = (robot.resource.toJson().spec?.forProvider?.permissions ?? [])
      .flatMap((p: any) => p.access ?? []);
    if (!access.some((a) => a.resource === 'artifact' && a.action === 'read')) {
      invalid(robot, 'permissions', 'cannot read artifacts, so image-scan could not read the scan report', access.map((a) => `${a.resource}/${a.action}`),
        'use a robot with HarborRobotAccess.READ_ARTIFACT, such as the tenant\'s pull robot');
    }
    return new SupplyChainScanCredentials(robot.username, robot.connectionSecretName, HarborRobot.CONNECTION_SECRET_KEY, robot.credentialsNamespace);
  }

  /** A user name and a key of a Secret in the workload's namespace. */
  public static fromSecret(username: string, secretName: string, key: string): SupplyChainScanCredentials {
    return new SupplyChainScanCredentials(username, secretName, key);
  }

  private constructor(
    /** Harbor user name (`robot$<project>+<name>`). */
    public readonly username: string,
    /** Secret holding the password. */
    public readonly secretName: string,
    /** Key of the password in the Secret. */
    public readonly secretKey: string,
    /** Namespace the Secret is in, when known. */
    public readonly namespace?: string,
  ) {}

  /** @internal */
  public _validate(scope: IConstruct, prop: string, namespace: string): void {
    if (typeof this.username !== 'string' || this.username.length === 0 || /[\s\n]/.test(this.username)) {
      invalid(scope, `${prop}.username`, 'must be a Harbor user name without whitespace', this.username, 'use the robot\'s name, e.g. "robot$payments+scan"');
    }
    if (!isDnsSubdomain(this.secretName)) {
      invalid(scope, `${prop}.secretName`, 'is not a Secret name', this.secretName, 'pass the name of the Secret in the workload\'s namespace');
    }
    if (typeof this.secretKey !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(this.secretKey)) {
      invalid(scope, `${prop}.secretKey`, 'is not a Secret key', this.secretKey, 'pass the key holding the password, e.g. "attribute.secret"');
    }
    if (this.namespace !== undefined && this.namespace !== namespace) {
      invalid(scope, `${prop}`, `names a robot whose credentials are written to namespace "${this.namespace}", not the workload's "${namespace}"`, this.username,
        'use the robot of the workload\'s own tenant');
    }
  }
}

/** Options of `SecureSupplyChain.attachWorkload`. */
export interface SupplyChainAttachOptions {
  /** The credentials image-scan reads Harbor's scan report with. */
  readonly scanCredentials: SupplyChainScanCredentials;
}
