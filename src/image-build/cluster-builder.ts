import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KpackBuildServiceAccount } from './build-service-account';
import { KpackClusterLifecycle } from './cluster-lifecycle';
import { KpackClusterStack } from './cluster-stack';
import { KpackClusterStore } from './cluster-store';
import { requireObjectName, serviceAccountRef } from './private/naming';
import { IImageRepositoryLocation, RegistryLocation } from './registry-location';
import { ClusterBuilder } from '../imports/kpack-kpack.io';
import { invalid } from '../private/errors';

/**
 * One buildpack of a builder order group.
 */
export interface KpackBuildpackRef {
  /** Buildpack id; a buildpackage of the builder's store must declare it. */
  readonly id: string;

  /**
   * Exact buildpack version to take from the store.
   * @default - the highest version in the store
   */
  readonly version?: string;

  /**
   * Whether the group may pass detection without this buildpack.
   * @default false
   */
  readonly optional?: boolean;
}

/**
 * One group of a builder order: buildpacks detected together.
 */
export interface KpackBuilderOrderEntry {
  /** The buildpacks of the group, in detection order. */
  readonly group: KpackBuildpackRef[];
}

/**
 * Props of `KpackClusterBuilder`.
 */
export interface KpackClusterBuilderProps {
  /**
   * Object name.
   * @default - the construct id
   */
  readonly name?: string;

  /** Stack (build and run images) the builder is made of. */
  readonly stack: KpackClusterStack;

  /** Store the builder's buildpacks come from. */
  readonly store: KpackClusterStore;

  /**
   * Lifecycle the builder packages. Required, so the lifecycle image is pinned by this program
   * rather than by whichever kpack release is installed.
   */
  readonly lifecycle: KpackClusterLifecycle;

  /** Platform registry project the builder image is pushed to. */
  readonly project: IImageRepositoryLocation;

  /**
   * Repository of the builder image inside `project`.
   * @default - `builders/<name>`
   */
  readonly repository?: string;

  /**
   * Account whose registry credentials push the builder image (and, when it carries a signing
   * key, sign it). kpack requires one for a ClusterBuilder; it usually lives in the `kpack` namespace.
   */
  readonly serviceAccount: KpackBuildServiceAccount;

  /**
   * Order groups. Sugar over `addOrderGroup`.
   * @default - none; add them with `addOrderGroup`
   */
  readonly order?: KpackBuilderOrderEntry[];
}

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]*$/;

/**
 * A kpack `ClusterBuilder`: stack + store buildpacks + lifecycle, assembled into a builder image
 * pushed to the platform's registry project. Order groups may only name buildpacks the store
 * declares.
 */
export class KpackClusterBuilder extends Construct {
  /** Object name. */
  public readonly name: string;
  /** Full builder tag (`<registry>/<project>/<repository>`). */
  public readonly tag: string;
  /** The stack. */
  public readonly stack: KpackClusterStack;
  /** The store. */
  public readonly store: KpackClusterStore;
  /** The lifecycle. */
  public readonly lifecycle: KpackClusterLifecycle;
  private readonly groups: KpackBuilderOrderEntry[] = [];

  constructor(scope: Construct, id: string, props: KpackClusterBuilderProps) {
    super(scope, id);
    this.name = requireObjectName(this, props.name ?? id);
    for (const [prop, value, type] of [
      ['stack', props.stack, KpackClusterStack], ['store', props.store, KpackClusterStore],
      ['lifecycle', props.lifecycle, KpackClusterLifecycle], ['serviceAccount', props.serviceAccount, KpackBuildServiceAccount],
    ] as Array<[string, unknown, Function]>) {
      if (!(value instanceof type)) {
        invalid(this, prop, `must be a ${type.name}`, value === undefined ? undefined : String(value), `pass the ${type.name} construct the builder uses`);
      }
    }
    this.stack = props.stack;
    this.store = props.store;
    this.lifecycle = props.lifecycle;
    const prefix = RegistryLocation._prefixOf(this, 'project', props.project);
    const repository = RegistryLocation._requireRepositoryName(this, 'repository', props.repository ?? `builders/${this.name}`);
    this.tag = props.project.repositoryFor(repository);
    if (!this.tag.startsWith(prefix)) {
      invalid(this, 'repository', `leaves the project ${prefix}`, this.tag, 'use a repository name inside the project');
    }
    for (const entry of props.order ?? []) this.addOrderGroup(entry.group);

    new ClusterBuilder(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        tag: this.tag,
        stack: { kind: 'ClusterStack', name: this.stack.name },
        store: { kind: 'ClusterStore', name: this.store.name },
        lifecycle: { kind: 'ClusterLifecycle', name: this.lifecycle.name },
        serviceAccountRef: serviceAccountRef(props.serviceAccount),
        order: Lazy.any({
          produce: () => this.groups.map((g) => ({
            group: g.group.map((b) => ({ id: b.id, version: b.version, optional: b.optional })),
          })),
        }) as any,
      },
    });
    this.node.addValidation({
      validate: () => (this.groups.length ? [] : [`[${this.node.path}] 'order' is empty, got []; add at least one order group with addOrderGroup`]),
    });
  }

  /**
   * Appends an order group. Every buildpack must be declared by the store; a buildpack may appear
   * in several groups but only once in a group.
   */
  public addOrderGroup(group: KpackBuildpackRef[]): void {
    const g = this.groups.length;
    const prop = `order[${g}].group`;
    if (!Array.isArray(group) || group.length === 0) {
      invalid(this, prop, 'must list at least one buildpack', group, 'name the buildpacks of the group, e.g. [{ id: "paketo-buildpacks/java" }]');
    }
    const seen = new Set<string>();
    group.forEach((b, i) => {
      const id = b?.id;
      if (typeof id !== 'string' || !this.store.providesBuildpack(id)) {
        invalid(this, `${prop}[${i}].id`, `names a buildpack the store '${this.store.name}' does not declare`, id,
          `add a buildpackage providing it to the store, or use one of: ${this.store.buildpackIds.join(', ') || '(store is empty)'}`);
      }
      if (seen.has(id)) {
        invalid(this, `${prop}[${i}].id`, 'appears twice in the group', id, 'list each buildpack once per group (it may appear in other groups)');
      }
      seen.add(id);
      if (b.version !== undefined && (typeof b.version !== 'string' || !VERSION.test(b.version))) {
        invalid(this, `${prop}[${i}].version`, 'is not an exact version', b.version, 'use the version the buildpackage ships, e.g. "13.1.0", or leave it out for the highest');
      }
    });
    this.groups.push({ group: group.map((b) => ({ id: b.id, version: b.version, optional: b.optional })) });
  }

  /** Buildpack ids any order group names, in first-use order. */
  public get orderBuildpackIds(): string[] {
    return [...new Set(this.groups.flatMap((g) => g.group.map((b) => b.id)))];
  }

  /** The ClusterBuilder object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }
}
