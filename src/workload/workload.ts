import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { WORKLOAD_CONTEXT, WorkloadContext } from './private/context';
import { requireEnvName, validateEnv, validateLabels, validatePorts, validateResources } from './private/validate-props';
import { IWorkload, WorkloadPort, WorkloadProps, WorkloadResources, WorkloadToleration, WorkloadType } from './workload-props';
import { KpackGitRevisionKind, KpackGitSource } from '../image-build/git-source';
import { ImageReference } from '../image-build/image-reference';
import { RegistryLocation } from '../image-build/registry-location';
import { Workload as CartographerWorkload } from '../imports/cartographer-carto.run';
import { invalid } from '../private/errors';
import { CONFIG_PARAM, IMAGE_REPOSITORY_PARAM } from '../private/rendered-objects';
import { isDnsSubdomain, requireCount, requireDnsLabel, requireSubPath } from '../private/validate';
import { PlatformSecrets, WorkloadSecretOptions } from '../secrets/platform-secrets';
import { VaultSecret } from '../secrets/vault-secret';
import { PlatformLabels } from '../tenancy/labels';
import type { Tenant } from '../tenancy/tenant';
import type { ITenant } from '../tenancy/tenant-props';
import { Tier } from '../tenancy/tier';

/** Label keys a workload's objects carry. */
export class WorkloadLabels {
  /** The label a Cartographer supply chain selects workloads on (value: a `WorkloadType`). */
  public static readonly WORKLOAD_TYPE = 'apps.tanzu.vmware.com/workload-type';
  /** The workload's name, on its objects and pods; the pod selector. */
  public static readonly NAME = 'app.kubernetes.io/name';
  /** Always `workload` on the objects a workload writes. */
  public static readonly COMPONENT = 'app.kubernetes.io/component';

  private constructor() {}
}

/** Name of the writable scratch volume every workload pod mounts at /tmp (the root filesystem is read-only). */
const TMP_VOLUME = 'tmp';

/**
 * An application of a tenant: one container, run by a Deployment (and a Service for WEB), under
 * its own service account, with every name other layers need derived once, here.
 *
 * With `image` (a prebuilt image), the Deployment and Service are written to the tenant's
 * manifests. With `source`, the platform's secure supply chain builds, scans, checks and deploys
 * it: the workload writes a Cartographer `Workload` that exactly one chain selects, carrying the
 * Kubernetes configuration the chain deploys (rendered here, so the synth-time policy gate judges
 * the same Deployment the chain will write).
 *
 * Create it with `tenant.addWorkload(name, props)` or `platform.addWorkload(tenant, name, props)`.
 */
export class Workload extends Construct implements IWorkload {
  /** True when `x` is a `Workload`. */
  public static isWorkload(x: unknown): x is Workload {
    return x !== null && typeof x === 'object' && (x as any)[WORKLOAD_MARK] === true;
  }

  public readonly tenant: ITenant;
  /** @internal The tenant's chart, for the layers that add objects to it. */
  public readonly _tenant: Tenant;
  public readonly workloadName: string;
  public readonly namespace: string;
  public readonly workloadType: WorkloadType;
  public readonly deploymentName: string;
  public readonly serviceName?: string;
  public readonly serviceAccountName: string;
  public readonly containerName: string;
  public readonly imageRepository?: string;
  public readonly builtByChain: boolean;
  /** The git source the chain builds, for a built workload. */
  public readonly source?: KpackGitSource;
  /** Sub-directory of the source that is built, when given. */
  public readonly subPath?: string;
  /** The prebuilt image, for a workload without a chain. */
  public readonly image?: string;
  /** Service account Cartographer stamps the chain's objects with (`<name>-chain`), for a built workload. */
  public readonly chainServiceAccountName?: string;
  /** Replicas of the Deployment. */
  public readonly replicas: number;
  /** Container ports (names filled in). */
  public readonly ports: WorkloadPort[];

  private readonly labels: { [key: string]: string };
  private readonly env: Array<{ name: string; value?: string; valueFrom?: any }>;
  private readonly resources: Required<WorkloadResources>;
  private readonly secretVolumes: Array<{ secretName: string; mountPath: string }> = [];
  private readonly podAnnotations: { [key: string]: string } = {};
  private readonly nodeSelector: { [key: string]: string } = {};
  private readonly tolerations: WorkloadToleration[] = [];

  constructor(scope: Tenant, id: string, props: WorkloadProps) {
    super(scope, id);
    Object.defineProperty(this, WORKLOAD_MARK, { value: true });
    this.tenant = scope;
    this._tenant = scope;
    this.workloadName = requireDnsLabel(this, 'name', props?.name ?? id, 52);
    this.namespace = scope.namespaceName;
    const p = props ?? {};
    if ((p.source === undefined) === (p.image === undefined)) {
      invalid(this, 'source', p.source ? 'and \'image\' are both given' : 'and \'image\' are both missing', { source: p.source?.url, image: p.image },
        'give exactly one: source (KpackGitSource.branch(url, branch), .tag or .commit) to build through the supply chain, or image ("<repository>@sha256:<digest>") to deploy a prebuilt image');
    }
    this.workloadType = p.type ?? WorkloadType.WEB;
    if (!Object.values(WorkloadType).includes(this.workloadType)) {
      invalid(this, 'type', 'is not a WorkloadType', this.workloadType, 'use WorkloadType.WEB or WorkloadType.WORKER');
    }
    this.deploymentName = this.workloadName;
    this.containerName = this.workloadName;
    this.serviceName = this.workloadType === WorkloadType.WEB ? this.workloadName : undefined;
    this.replicas = requireCount(this, 'replicas', p.replicas ?? 2, 1, 'run at least one replica, e.g. replicas: 2');
    this.ports = validatePorts(this, this.workloadType, p.ports ?? []);
    this.resources = validateResources(this, p.resources);
    this.env = validateEnv(this, p.env ?? {});
    this.labels = sortedRecord(validateLabels(this, p.labels ?? {}));

    const context: WorkloadContext | undefined = (scope as any)[WORKLOAD_CONTEXT];
    this.builtByChain = p.source !== undefined;
    if (p.source !== undefined) {
      if (!(p.source instanceof KpackGitSource)) {
        invalid(this, 'source', 'must be a KpackGitSource', p.source, 'use KpackGitSource.branch(url, branch), .tag(url, tag) or .commit(url, sha)');
      }
      // ssh is a transport git servers offer with keys; anything else (http, git://) is unauthenticated.
      p.source._validate(this, 'source', p.source._isSsh);
      requireSubPath(this, 'subPath', p.subPath);
      if (!context?.repositoryPrefix) {
        invalid(this, 'source', 'needs a platform with a managed registry and builds: the chain pushes to the tenant\'s Harbor project', p.source.url,
          'add the tenant with platform.addTenant on a platform with registry.harbor, signing and builds, or deploy a prebuilt image with image');
      }
      const repository = RegistryLocation._requireRepositoryName(this, 'repository', p.repository ?? this.workloadName);
      this.source = p.source;
      this.subPath = p.subPath;
      this.imageRepository = `${context.repositoryPrefix}${repository}`;
      const sharing = scope.workloads.find((w) => w.imageRepository === this.imageRepository);
      if (sharing) {
        invalid(this, 'repository', `is the image repository of workload "${sharing.workloadName}" (${sharing.node.path}) too`, repository,
          'give each built workload its own repository: two chains pushing one repository would deploy each other\'s images');
      }
      this.chainServiceAccountName = `${this.workloadName}-chain`;
    } else {
      if (p.repository !== undefined || p.subPath !== undefined) {
        invalid(this, p.repository !== undefined ? 'repository' : 'subPath', 'applies only to a workload built from source', p.repository ?? p.subPath,
          'remove it: a prebuilt image is deployed as given');
      }
      ImageReference._parseFor(this, 'image', p.image!, scope.tier === Tier.SENSITIVE);
      this.image = p.image;
    }

    const saName = p.serviceAccountName ?? this.workloadName;
    requireDnsLabel(this, 'serviceAccountName', saName);
    if (saName === 'default') {
      invalid(this, 'serviceAccountName', 'is the namespace\'s default service account, which every pod that names none shares', saName,
        'give the workload its own identity: omit serviceAccountName (it defaults to the workload name) or name one');
    }
    this.serviceAccountName = saName;
    if (!scope.serviceAccountNames.includes(saName)) scope.addServiceAccount(saName);

    if (this.builtByChain) {
      new CartographerWorkload(this, 'Resource', {
        metadata: {
          name: this.workloadName,
          namespace: this.namespace,
          labels: { ...this.objectLabels, [WorkloadLabels.WORKLOAD_TYPE]: this.workloadType },
        },
        spec: {
          serviceAccountName: this.chainServiceAccountName,
          source: {
            git: { url: this.source!.url, ref: gitRef(this.source!) },
            subPath: this.subPath,
          },
          // Produced at synth: placement and secrets added by other layers reach the chain.
          params: Lazy.any({
            produce: () => [
              { name: WorkloadParams.IMAGE_REPOSITORY, value: this.imageRepository },
              { name: WorkloadParams.CONFIG, value: this.renderConfig(this.imageRepository!) },
              ...(this.subPath !== undefined ? [{ name: WorkloadParams.SOURCE_SUB_PATH, value: this.subPath }] : []),
              // The chain's tool pods and build pods run on the workload's node pool too.
              ...(Object.keys(this.nodeSelector).length ? [{ name: WorkloadParams.NODE_SELECTOR, value: sortedRecord(this.nodeSelector) }] : []),
              ...(this.tolerations.length ? [{ name: WorkloadParams.TOLERATIONS, value: this.tolerations.map(renderToleration) }] : []),
            ],
          }) as any,
        },
      });
    } else {
      // The spec is produced at synth, so what layers add later (secrets, placement) reaches it.
      this.renderConfig(this.image!).forEach((obj, i) => {
        new ApiObject(this, obj.kind, {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          metadata: obj.metadata,
          spec: Lazy.any({ produce: () => this.renderConfig(this.image!)[i].spec }),
        });
      });
    }
    context?.attach(this);
  }

  /** Labels every pod of the workload carries: the tenant's workload labels, the workload's own, and the user's. */
  public get podLabels(): { [key: string]: string } {
    return { ...this.objectLabels };
  }

  /** Labels that select the workload's pods. */
  public get selectorLabels(): { [key: string]: string } {
    return { [WorkloadLabels.NAME]: this.workloadName };
  }

  /**
   * Declares a Vault secret of the tenant and delivers it to this workload (the platform's
   * secrets layer: `secrets` in the platform props).
   */
  public addSecret(name: string, options: WorkloadSecretOptions): VaultSecret {
    return PlatformSecrets.of(this).addSecret(this, name, options);
  }

  public addSecretEnv(envName: string, secretName: string, key: string): void {
    this.requireEnvName(`addSecretEnv(${envName})`, envName);
    if (!isDnsSubdomain(secretName)) {
      invalid(this, 'addSecretEnv.secretName', 'is not a Secret name', secretName, 'pass the name of the Secret the secrets layer writes in the namespace');
    }
    if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) {
      invalid(this, 'addSecretEnv.key', 'is not a Secret key', key, 'pass a key of the Secret, e.g. "password"');
    }
    this.env.push({ name: envName, valueFrom: { secretKeyRef: { name: secretName, key } } });
  }

  public addSecretVolume(secretName: string, mountPath: string): void {
    if (!isDnsSubdomain(secretName)) {
      invalid(this, 'addSecretVolume.secretName', 'is not a Secret name', secretName, 'pass the name of the Secret the secrets layer writes in the namespace');
    }
    if (typeof mountPath !== 'string' || !mountPath.startsWith('/') || mountPath.split('/').includes('..') || mountPath === '/' || mountPath === '/tmp') {
      invalid(this, 'addSecretVolume.mountPath', 'must be an absolute path other than / and /tmp', mountPath, 'use a directory such as "/var/run/secrets/app/db"');
    }
    const taken = this.secretVolumes.find((v) => v.mountPath === mountPath || v.secretName === secretName);
    if (taken) {
      invalid(this, 'addSecretVolume', `conflicts with Secret "${taken.secretName}" mounted at ${taken.mountPath}`, { secretName, mountPath },
        'mount each Secret once, each at its own path');
    }
    this.secretVolumes.push({ secretName, mountPath });
  }

  public addPodAnnotation(key: string, value: string): void {
    if (typeof key !== 'string' || !/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-._A-Za-z0-9]{0,61}[A-Za-z0-9])?$/.test(key)) {
      invalid(this, 'addPodAnnotation.key', 'is not an annotation key', key, 'use a key such as "secrets.devsecops.cdk8s.io/version"');
    }
    if (this.podAnnotations[key] !== undefined && this.podAnnotations[key] !== value) {
      invalid(this, `addPodAnnotation(${key})`, `is already set to "${this.podAnnotations[key]}"`, value, 'set each pod annotation once');
    }
    this.podAnnotations[key] = String(value);
  }

  public addNodeSelector(key: string, value: string): void {
    if (this.nodeSelector[key] !== undefined && this.nodeSelector[key] !== value) {
      invalid(this, `addNodeSelector(${key})`, `already requires "${this.nodeSelector[key]}"`, value, 'place the workload on one node pool');
    }
    this.nodeSelector[key] = value;
  }

  public addToleration(toleration: WorkloadToleration): void {
    if (!toleration || typeof toleration.key !== 'string' || toleration.key === '') {
      invalid(this, 'addToleration.key', 'is empty', toleration?.key, 'name the taint key of the node pool');
    }
    const same = (t: WorkloadToleration) => t.key === toleration.key && t.value === toleration.value && t.effect === toleration.effect;
    if (!this.tolerations.some(same)) this.tolerations.push({ ...toleration });
  }

  /**
   * The Kubernetes configuration the workload runs as: its Deployment and, for WEB, its Service,
   * with the container image `image`. For a prebuilt image these are the objects written to the
   * tenant's manifests; for a built one, the chain's `platform-config` parameter, whose image the
   * chain replaces with the scanned digest.
   */
  public renderConfig(image: string): any[] {
    const labels = this.objectLabels;
    const annotations = sortedRecord(this.podAnnotations);
    const env = [...this.env].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const secretVolumes = [...this.secretVolumes].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1));
    const volumeName = (i: number) => `secret-${i}`;
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.deploymentName, namespace: this.namespace, labels },
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: this.containerName,
              image,
              ...(this.ports.length ? { ports: this.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: 'TCP' })) } : {}),
              ...(env.length ? { env } : {}),
              resources: {
                requests: { cpu: this.resources.cpuRequest, memory: this.resources.memoryRequest },
                limits: { cpu: this.resources.cpuLimit, memory: this.resources.memoryLimit },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: TMP_VOLUME, mountPath: '/tmp' },
                ...secretVolumes.map((v, i) => ({ name: volumeName(i), mountPath: v.mountPath, readOnly: true })),
              ],
            }],
            volumes: [
              { name: TMP_VOLUME, emptyDir: { sizeLimit: '64Mi' } },
              ...secretVolumes.map((v, i) => ({ name: volumeName(i), secret: { secretName: v.secretName, defaultMode: 0o440 } })),
            ],
            ...(Object.keys(this.nodeSelector).length ? { nodeSelector: sortedRecord(this.nodeSelector) } : {}),
            ...(this.tolerations.length ? { tolerations: this.tolerations.map(renderToleration) } : {}),
          },
        },
      },
    };
    if (!this.serviceName) return [deployment];
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName, namespace: this.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: this.selectorLabels,
        ports: this.ports.map((port) => ({ name: port.name, port: port.port, targetPort: port.name, protocol: 'TCP' })),
      },
    };
    return [deployment, service];
  }

  private get objectLabels(): { [key: string]: string } {
    return {
      ...this.labels,
      ...this._tenant.workloadLabels,
      [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE,
      [WorkloadLabels.NAME]: this.workloadName,
      [WorkloadLabels.COMPONENT]: 'workload',
    };
  }

  private requireEnvName(prop: string, name: string): void {
    requireEnvName(this, prop, name);
    if (this.env.some((e) => e.name === name)) {
      invalid(this, prop, 'is already set on the container', name, 'set each environment variable once');
    }
  }

}

/** Names of the Cartographer Workload parameters the platform's supply chain reads. */
export class WorkloadParams {
  /** `<registry>/<project>/<repository>`: where the chain's build pushes the image. */
  public static readonly IMAGE_REPOSITORY = IMAGE_REPOSITORY_PARAM;
  /**
   * The Kubernetes objects the chain deploys (Deployment, and Service for WEB), rendered by the
   * library; the application container's image is the bare image repository, which the chain
   * replaces with the scanned digest.
   */
  public static readonly CONFIG = CONFIG_PARAM;
  /** Sub-directory of the source the chain's build uses (only when the workload names one). */
  public static readonly SOURCE_SUB_PATH = 'source-sub-path';
  /** The node selector the chain's tool pods and kpack build pods take (only when the workload is placed on a pool). */
  public static readonly NODE_SELECTOR = 'node-selector';
  /** The tolerations the chain's tool pods and kpack build pods take (only when the workload is placed on a pool). */
  public static readonly TOLERATIONS = 'tolerations';

  private constructor() {}
}

const WORKLOAD_MARK = Symbol.for('cdk8s-devsecops.Workload');

function gitRef(source: KpackGitSource): { branch?: string; tag?: string; commit?: string } {
  switch (source.revisionKind) {
    case KpackGitRevisionKind.BRANCH: return { branch: source.revision };
    case KpackGitRevisionKind.TAG: return { tag: source.revision };
    default: return { commit: source.revision };
  }
}

function renderToleration(t: WorkloadToleration): any {
  return {
    key: t.key,
    operator: t.value === undefined ? 'Exists' : 'Equal',
    ...(t.value !== undefined ? { value: t.value } : {}),
    ...(t.effect !== undefined ? { effect: t.effect } : {}),
  };
}

function sortedRecord(r: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}

/** The workloads under `scope`, in construct order. */
export function workloadsOf(scope: IConstruct): Workload[] {
  return scope.node.findAll().filter(Workload.isWorkload);
}
