import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KpackBuildCache, KpackBuildCacheKind } from './build-cache';
import { KpackBuildServiceAccount } from './build-service-account';
import { KpackClusterBuilder } from './cluster-builder';
import { KpackGitSource } from './git-source';
import { ImageReference } from './image-reference';
import { requireObjectName } from './private/naming';
import { IImageRepositoryLocation, RegistryLocation } from './registry-location';
import { Image, ImageSpecCacheVolumeSize } from '../imports/kpack-kpack.io';
import { invalid } from '../private/errors';
import { isDnsSubdomain, requireQuantity, requireSubPath } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';
import { ITenant } from '../tenancy/tenant-props';

/**
 * Props of `KpackImage`.
 */
export interface KpackImageProps {
  /**
   * Object name (a label value: at most 63 characters).
   * @default - the construct id
   */
  readonly name?: string;

  /** Tenant the image belongs to; the Image object lives in its namespace. */
  readonly tenant: ITenant;

  /** The tenant's registry project; the image is tagged inside it. */
  readonly project: IImageRepositoryLocation;

  /**
   * Repository of the image inside `project`. The tag is `project.repositoryFor(repository)`.
   * @default - the image name
   */
  readonly repository?: string;

  /**
   * Extra tags kpack also writes on each build. Each must be inside `project`.
   * @default - none
   */
  readonly additionalTags?: string[];

  /** Builder the image is built with. */
  readonly builder: KpackClusterBuilder;

  /** Git repository and revision to build. */
  readonly source: KpackGitSource;

  /**
   * Directory inside the repository holding the application.
   * @default - the repository root
   */
  readonly subPath?: string;

  /**
   * Account builds run under. It must be in the tenant's namespace and carry a cosign signing
   * key: every image is signed.
   */
  readonly buildServiceAccount: KpackBuildServiceAccount;

  /**
   * Build cache.
   * @default - none set: kpack adds a 2G volume cache when the cluster has a default StorageClass
   */
  readonly cache?: KpackBuildCache;

  /**
   * Annotations added to the cosign signature (visible to `cosign verify -a`).
   * @default - `devsecops.cdk8s.io/tenant: <tenant namespace>`
   */
  readonly signatureAnnotations?: { [key: string]: string };

  /**
   * Security: accept git URLs that are not `https://` (ssh, http, git). Plain http and git
   * transports are unauthenticated and unencrypted; ssh depends on host-key handling in the build
   * pod. Use only for a mirror on a trusted network.
   * @default false
   */
  readonly allowNonHttpsGit?: boolean;
}

/**
 * A kpack `Image`: one workload's application image, built from git with a `KpackClusterBuilder`,
 * tagged in its tenant's registry project and signed with cosign (the signing Secret is on the build
 * service account). kpack rebuilds on source, buildpack and lifecycle changes and rebases onto a new
 * stack run image.
 */
export class KpackImage extends Construct {
  /** Object name. */
  public readonly name: string;
  /** Namespace (the tenant's). */
  public readonly namespace: string;
  /** The tenant. */
  public readonly tenant: ITenant;
  /** Full image tag. */
  public readonly tag: string;
  /** The builder. */
  public readonly builder: KpackClusterBuilder;
  /** The git source. */
  public readonly source: KpackGitSource;
  /** The build service account. */
  public readonly buildServiceAccount: KpackBuildServiceAccount;

  constructor(scope: Construct, id: string, props: KpackImageProps) {
    super(scope, id);
    this.name = requireObjectName(this, props.name ?? id, 63);
    if (!props.tenant || typeof props.tenant.namespaceName !== 'string') {
      invalid(this, 'tenant', 'must be a tenant', props.tenant, 'pass the ITenant the workload belongs to');
    }
    this.tenant = props.tenant;
    this.namespace = props.tenant.namespaceName;
    if (!(props.builder instanceof KpackClusterBuilder)) {
      invalid(this, 'builder', 'must be a KpackClusterBuilder', props.builder === undefined ? undefined : String(props.builder), 'pass the platform\'s KpackClusterBuilder');
    }
    this.builder = props.builder;

    const sa = props.buildServiceAccount;
    if (!(sa instanceof KpackBuildServiceAccount)) {
      invalid(this, 'buildServiceAccount', 'must be a KpackBuildServiceAccount', sa === undefined ? undefined : String(sa), 'create one for the tenant with its registry credentials and signing key');
    }
    if (sa.namespace !== this.namespace) {
      invalid(this, 'buildServiceAccount', `is in namespace ${sa.namespace}, not the tenant's namespace ${this.namespace}`, `${sa.namespace}/${sa.name}`,
        'create the build service account with tenant: <this tenant>');
    }
    if (!sa.signingKey) {
      invalid(this, 'buildServiceAccount.signingKey', 'is missing: images would be pushed unsigned', `${sa.namespace}/${sa.name}`,
        'give the build service account a signingKey (the key the admission policy verifies)');
    }
    this.buildServiceAccount = sa;

    if (!(props.source instanceof KpackGitSource)) {
      invalid(this, 'source', 'must be a KpackGitSource', props.source, 'use KpackGitSource.branch(url, branch), .tag(url, tag) or .commit(url, sha)');
    }
    props.source._validate(this, 'source', props.allowNonHttpsGit ?? false);
    this.source = props.source;
    requireSubPath(this, 'subPath', props.subPath);

    const prefix = RegistryLocation._prefixOf(this, 'project', props.project);
    const repository = RegistryLocation._requireRepositoryName(this, 'repository', props.repository ?? this.name);
    this.tag = props.project.repositoryFor(repository);
    const additionalTags = (props.additionalTags ?? []).map((t, i) => this.requireInProject(`additionalTags[${i}]`, t, prefix));

    const annotations = props.signatureAnnotations ?? { [PlatformLabels.TENANT]: this.namespace };
    const cosignAnnotations = Object.keys(annotations).sort().map((k) => {
      if (!k || typeof annotations[k] !== 'string') {
        invalid(this, `signatureAnnotations.${k}`, 'must be a non-empty key with a string value', annotations[k], 'pass string values');
      }
      return { name: k, value: annotations[k] };
    });

    new Image(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: {
          [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE,
          [PlatformLabels.TENANT]: this.namespace,
        },
      },
      spec: {
        tag: this.tag,
        additionalTags: additionalTags.length ? additionalTags : undefined,
        builder: { kind: 'ClusterBuilder', name: this.builder.name },
        serviceAccountName: sa.name,
        source: {
          git: { url: this.source.url, revision: this.source.revision },
          subPath: props.subPath,
        },
        cache: this.renderCache(props.cache, prefix, props.project),
        cosign: cosignAnnotations.length ? { annotations: cosignAnnotations } : undefined,
      },
    });
  }

  /** The Image object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }

  private requireInProject(prop: string, tag: string, prefix: string): string {
    const ref = ImageReference._parseFor(this, prop, tag, false);
    if (ref.digest || !`${ref.name}/`.startsWith(prefix) || !tag.startsWith(prefix)) {
      invalid(this, prop, `is not a tag inside the registry project ${prefix}`, tag, `use "${prefix}<repository>[:<tag>]"`);
    }
    return tag;
  }

  private renderCache(cache: KpackBuildCache | undefined, prefix: string, project: IImageRepositoryLocation): any {
    if (cache === undefined) return undefined;
    if (!(cache instanceof KpackBuildCache)) {
      invalid(this, 'cache', 'must be a KpackBuildCache', cache, 'use KpackBuildCache.volume(size) or KpackBuildCache.registry(repository)');
    }
    if (cache.kind === KpackBuildCacheKind.VOLUME) {
      requireQuantity(this, 'cache.size', cache.size!);
      if (cache.storageClassName !== undefined && !isDnsSubdomain(cache.storageClassName)) {
        invalid(this, 'cache.storageClassName', 'is not a StorageClass name', cache.storageClassName, 'use the name of a StorageClass of the cluster');
      }
      return { volume: { size: ImageSpecCacheVolumeSize.fromString(cache.size!), storageClassName: cache.storageClassName } };
    }
    const repo = RegistryLocation._requireRepositoryName(this, 'cache.repository', cache.repository!);
    const tag = project.repositoryFor(repo);
    if (tag === this.tag) {
      invalid(this, 'cache.repository', 'is the image\'s own repository', repo, 'use a separate repository, e.g. "<name>-cache"');
    }
    return { registry: { tag: this.requireInProject('cache.repository', tag, prefix) } };
  }
}
