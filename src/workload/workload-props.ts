/** The props of `Workload` and the interface every other layer sees it through. */
import { IConstruct } from 'constructs';
import { KpackGitSource } from '../image-build/git-source';
import { ITenant } from '../tenancy/tenant-props';

/**
 * The kind of application a workload is. Each platform supply chain selects one type, through
 * the `apps.tanzu.vmware.com/workload-type` label of the Cartographer Workload.
 */
export enum WorkloadType {
  /** Serves requests: a Deployment and a ClusterIP Service on its ports. */
  WEB = 'web',
  /** Runs without inbound traffic: a Deployment and no Service. */
  WORKER = 'worker',
}

/** A container port of a workload. */
export interface WorkloadPort {
  /** Port number the container listens on (1-65535). */
  readonly port: number;
  /**
   * Port name (an IANA service name: at most 15 lowercase letters, digits and hyphens).
   * @default - `http` for the first port, `port-<number>` for the others
   */
  readonly name?: string;
}

/** CPU and memory of the workload's container. */
export interface WorkloadResources {
  /**
   * CPU request.
   * @default '100m'
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit.
   * @default '500m'
   */
  readonly cpuLimit?: string;
  /**
   * Memory request.
   * @default '128Mi'
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit.
   * @default '512Mi'
   */
  readonly memoryLimit?: string;
}

/**
 * A toleration the workload's pods carry (set by the layer that places pods on node pools).
 */
export interface WorkloadToleration {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value (with operator `Equal`).
   * @default - none: operator `Exists`
   */
  readonly value?: string;
  /**
   * Taint effect.
   * @default - every effect
   */
  readonly effect?: string;
}

/**
 * Options of a workload (everything but its name): exactly one of `source` (built by the
 * platform's secure supply chain) or `image` (a prebuilt image by digest: no chain, no build).
 */
export interface WorkloadOptions {
  /**
   * Git repository and revision the supply chain builds. Requires the tenant to belong to a
   * platform with `builds` and a supply chain for the workload type.
   * @default - none: `image` must be given
   */
  readonly source?: KpackGitSource;

  /**
   * Prebuilt image, by digest (`<repository>@sha256:<64 hex>`). The workload's Deployment is
   * written directly to the tenant's manifests; no chain runs. A tag without a digest is refused
   * for SENSITIVE tenants.
   * @default - none: `source` must be given
   */
  readonly image?: string;

  /**
   * The workload type the supply chain selects on.
   * @default WorkloadType.WEB
   */
  readonly type?: WorkloadType;

  /**
   * Container ports. A WEB workload needs at least one: its Service exposes them.
   * @default - none
   */
  readonly ports?: WorkloadPort[];

  /**
   * Plain environment variables. Values are written to the manifests as they are: never put a
   * secret here (the secrets layer delivers secrets from Vault).
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Container CPU and memory.
   * @default - requests 100m / 128Mi, limits 500m / 512Mi
   */
  readonly resources?: WorkloadResources;

  /**
   * Name of the service account the workload's pods run as (created in the tenant).
   * @default - the workload name
   */
  readonly serviceAccountName?: string;

  /**
   * Replicas of the Deployment.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Extra labels on the workload's objects and pods. They cannot override the tenant's labels
   * or the labels the workload derives.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Repository name under the tenant's registry project for the built image.
   * @default - the workload name
   */
  readonly repository?: string;

  /**
   * Sub-directory of the source repository to build.
   * @default - the repository root
   */
  readonly subPath?: string;
}

/** Properties of a `Workload`. */
export interface WorkloadProps extends WorkloadOptions {
  /**
   * Name of the workload: a DNS label of at most 52 characters, unique in the tenant.
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * A workload as the other layers see it. Every name a layer needs is derived once, here, and
 * read from here: the Deployment and Service names, the service account, the pod labels and the
 * image repository. Layers attach to a workload's pods only through its methods, so the same
 * change reaches the Deployment the library writes (prebuilt image) and the configuration the
 * supply chain renders (built image).
 */
export interface IWorkload extends IConstruct {
  /** The tenant the workload runs in. */
  readonly tenant: ITenant;
  /** Name of the workload (a DNS label, unique in the tenant). */
  readonly workloadName: string;
  /** Namespace of every object of the workload: the tenant's. */
  readonly namespace: string;
  /** The workload type the supply chain selects on. */
  readonly workloadType: WorkloadType;
  /** Name of the Deployment. */
  readonly deploymentName: string;
  /** Name of the Service (WEB workloads), or undefined. */
  readonly serviceName?: string;
  /** Name of the service account the pods run as. */
  readonly serviceAccountName: string;
  /** Name of the application container. */
  readonly containerName: string;
  /** Labels every pod of the workload carries (selector labels included). */
  readonly podLabels: { [key: string]: string };
  /** Labels that select the workload's pods (a subset of `podLabels`). */
  readonly selectorLabels: { [key: string]: string };
  /**
   * Image repository the supply chain pushes to (`<registry>/<project>/<repository>`), for a
   * built workload; undefined for a prebuilt image.
   */
  readonly imageRepository?: string;
  /** Whether the supply chain builds and deploys the workload (`source` given). */
  readonly builtByChain: boolean;

  /**
   * Sets environment variable `envName` of the container from key `key` of the Secret
   * `secretName` in the workload's namespace.
   */
  addSecretEnv(envName: string, secretName: string, key: string): void;

  /** Mounts the Secret `secretName` of the namespace read-only at `mountPath`. */
  addSecretVolume(secretName: string, mountPath: string): void;

  /** Sets an annotation on the pod template (a change rolls the pods). */
  addPodAnnotation(key: string, value: string): void;

  /** Adds a node selector label the pods require. */
  addNodeSelector(key: string, value: string): void;

  /** Adds a toleration to the pods. */
  addToleration(toleration: WorkloadToleration): void;
}
