import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KpackBuildServiceAccount } from './build-service-account';
import { ImageReference } from './image-reference';
import { requireObjectName, serviceAccountRef } from './private/naming';
import { ClusterLifecycle } from '../imports/kpack-kpack.io';

/**
 * Props of `KpackClusterLifecycle`.
 */
export interface KpackClusterLifecycleProps {
  /**
   * Object name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Buildpacks lifecycle image, pinned by digest (for example
   * `docker.io/buildpacksio/lifecycle:0.20.0@sha256:...`).
   */
  readonly image: string;

  /**
   * Service account whose registry credentials kpack uses to pull the lifecycle image.
   * @default - none: the image is pulled anonymously
   */
  readonly serviceAccount?: KpackBuildServiceAccount;
}

/**
 * A kpack `ClusterLifecycle`: the Cloud Native Buildpacks lifecycle builders package. A
 * `KpackClusterBuilder` references it through `spec.lifecycle`. A new lifecycle version makes kpack
 * rebuild every image built with it.
 */
export class KpackClusterLifecycle extends Construct {
  /** The lifecycle kpack's release installs and builders use when they name none. */
  public static readonly KPACK_DEFAULT_NAME = 'default-lifecycle';

  /** Object name. */
  public readonly name: string;
  /** Lifecycle image, as given. */
  public readonly image: string;

  constructor(scope: Construct, id: string, props: KpackClusterLifecycleProps) {
    super(scope, id);
    this.name = requireObjectName(this, props.name ?? id);
    ImageReference._parseFor(this, 'image', props.image, true);
    this.image = props.image;
    new ClusterLifecycle(this, 'Resource', {
      metadata: { name: this.name },
      spec: { image: this.image, serviceAccountRef: serviceAccountRef(props.serviceAccount) },
    });
  }

  /** The ClusterLifecycle object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }
}
