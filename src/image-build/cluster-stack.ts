import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KpackBuildServiceAccount } from './build-service-account';
import { ImageReference } from './image-reference';
import { requireObjectName, serviceAccountRef } from './private/naming';
import { ClusterStack } from '../imports/kpack-kpack.io';
import { invalid } from '../private/errors';

/**
 * Props of `KpackClusterStack`.
 */
export interface KpackClusterStackProps {
  /**
   * Object name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Stack id, as the build and run images declare it (label `io.buildpacks.stack.id`), for
   * example `io.buildpacks.stacks.jammy`. Changing it makes every image built on the stack rebuild.
   */
  readonly stackId: string;

  /** Build image, pinned by digest. Buildpacks run on it. */
  readonly buildImage: string;

  /**
   * Run image, pinned by digest. Application images are layered on it; bumping its digest makes
   * kpack rebase (not rebuild) every image built on the stack.
   */
  readonly runImage: string;

  /**
   * Service account whose registry credentials kpack uses to pull the stack images.
   * @default - none: the images are pulled anonymously
   */
  readonly serviceAccount?: KpackBuildServiceAccount;
}

const STACK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A kpack `ClusterStack`: the build and run base images. Both must be pinned by digest. Base-image
 * patches go through this object: bump `runImage` and kpack rebases the application images onto
 * the new run image without rebuilding them.
 */
export class KpackClusterStack extends Construct {
  /** Object name. */
  public readonly name: string;
  /** Stack id. */
  public readonly stackId: string;
  /** Build image, as given. */
  public readonly buildImage: string;
  /** Run image, as given. */
  public readonly runImage: string;

  constructor(scope: Construct, id: string, props: KpackClusterStackProps) {
    super(scope, id);
    this.name = requireObjectName(this, props.name ?? id);
    if (typeof props.stackId !== 'string' || !STACK_ID.test(props.stackId)) {
      invalid(this, 'stackId', 'is not a stack id', props.stackId, 'use the id the stack images carry, e.g. "io.buildpacks.stacks.jammy"');
    }
    ImageReference._parseFor(this, 'buildImage', props.buildImage, true);
    ImageReference._parseFor(this, 'runImage', props.runImage, true);
    if (props.buildImage === props.runImage) {
      invalid(this, 'runImage', 'is the same image as buildImage', props.runImage, 'use the stack\'s run image: it lacks the build tooling the build image carries');
    }
    this.stackId = props.stackId;
    this.buildImage = props.buildImage;
    this.runImage = props.runImage;

    new ClusterStack(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        id: this.stackId,
        buildImage: { image: this.buildImage },
        runImage: { image: this.runImage },
        serviceAccountRef: serviceAccountRef(props.serviceAccount),
      },
    });
  }

  /** The ClusterStack object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }
}
