import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KpackBuildServiceAccount } from './build-service-account';
import { ImageReference } from './image-reference';
import { requireObjectName, serviceAccountRef } from './private/naming';
import { ClusterStore } from '../imports/kpack-kpack.io';
import { invalid } from '../private/errors';

/**
 * One buildpackage image in a store, with the buildpack ids it provides.
 */
export interface KpackBuildpackage {
  /** Buildpackage image, pinned by digest (`registry/repo[:tag]@sha256:<64 hex>`). */
  readonly image: string;

  /**
   * Ids of the buildpacks the image provides that builder orders may name (for a composite
   * buildpackage such as `paketo-buildpacks/java`, its own id and any component ids the orders
   * use). kpack resolves the real contents from the image; the declaration lets synth check
   * builder orders against the store and compute which images a change to this source affects.
   */
  readonly buildpackIds: string[];
}

/**
 * Props of `KpackClusterStore`.
 */
export interface KpackClusterStoreProps {
  /**
   * Object name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Buildpackages in the store. Sugar over `addBuildpackage`.
   * @default - none; add them with `addBuildpackage`
   */
  readonly buildpackages?: KpackBuildpackage[];

  /**
   * Service account whose registry credentials kpack uses to pull the buildpackages.
   * @default - none: the buildpackages are pulled anonymously
   */
  readonly serviceAccount?: KpackBuildServiceAccount;
}

/** A buildpackage as the store records it. */
interface StoredBuildpackage {
  readonly image: ImageReference;
  readonly source: string;
  readonly buildpackIds: string[];
}

const BUILDPACK_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/**
 * A kpack `ClusterStore`: the buildpackage images builders take buildpacks from. Every image must
 * be pinned by digest, so a buildpack upgrade is a reviewed manifest change (and, through the
 * build impact report, a known set of rebuilds).
 */
export class KpackClusterStore extends Construct {
  /** Object name. */
  public readonly name: string;
  private readonly packages: StoredBuildpackage[] = [];

  constructor(scope: Construct, id: string, props: KpackClusterStoreProps = {}) {
    super(scope, id);
    this.name = requireObjectName(this, props.name ?? id);
    for (const p of props.buildpackages ?? []) this.addBuildpackage(p);
    new ClusterStore(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        serviceAccountRef: serviceAccountRef(props.serviceAccount),
        sources: Lazy.any({ produce: () => this.packages.map((p) => ({ image: p.source })) }) as any,
      },
    });
    this.node.addValidation({
      validate: () => (this.packages.length ? [] : [`[${this.node.path}] 'buildpackages' is empty, got []; add at least one buildpackage with addBuildpackage`]),
    });
  }

  /**
   * Adds a buildpackage image. Refused: an image without a digest, an unparsable reference, an
   * image already in the store, a buildpack id another buildpackage of the store already provides.
   */
  public addBuildpackage(buildpackage: KpackBuildpackage): void {
    const i = this.packages.length;
    const image = ImageReference._parseFor(this, `buildpackages[${i}].image`, buildpackage?.image, true);
    if (this.packages.some((p) => p.image.toString() === image.toString())) {
      invalid(this, `buildpackages[${i}].image`, 'is already in the store', buildpackage.image, 'list each buildpackage once');
    }
    const ids = buildpackage.buildpackIds;
    if (!Array.isArray(ids) || ids.length === 0) {
      invalid(this, `buildpackages[${i}].buildpackIds`, 'must list at least one buildpack id', ids, 'name the buildpack ids the image provides, e.g. ["paketo-buildpacks/java"]');
    }
    ids.forEach((bp, j) => {
      if (typeof bp !== 'string' || !BUILDPACK_ID.test(bp)) {
        invalid(this, `buildpackages[${i}].buildpackIds[${j}]`, 'is not a buildpack id', bp, 'use the id from the buildpack\'s buildpack.toml, e.g. "paketo-buildpacks/java"');
      }
      const other = this.packages.find((p) => p.buildpackIds.includes(bp));
      if (other || ids.indexOf(bp) !== j) {
        invalid(this, `buildpackages[${i}].buildpackIds[${j}]`, `is already provided by ${other ? other.source : 'this buildpackage'}`, bp,
          'declare each buildpack id in one buildpackage only, so an upgrade has one source');
      }
    });
    this.packages.push({ image, source: buildpackage.image, buildpackIds: [...ids] });
  }

  /** True when a buildpackage of the store declares buildpack `id`. */
  public providesBuildpack(id: string): boolean {
    return this.packages.some((p) => p.buildpackIds.includes(id));
  }

  /** Buildpack ids the store declares, in declaration order. */
  public get buildpackIds(): string[] {
    return this.packages.flatMap((p) => p.buildpackIds);
  }

  /** Buildpackage images, as given, in declaration order. */
  public get buildpackageImages(): string[] {
    return this.packages.map((p) => p.source);
  }

  /** The buildpackage image that provides buildpack `id`, if any. */
  public sourceOf(id: string): string | undefined {
    return this.packages.find((p) => p.buildpackIds.includes(id))?.source;
  }

  /** The ClusterStore object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }
}
