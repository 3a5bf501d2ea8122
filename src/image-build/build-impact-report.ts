import { Construct, IConstruct } from 'constructs';
import { KpackClusterBuilder } from './cluster-builder';
import { KpackClusterLifecycle } from './cluster-lifecycle';
import { KpackClusterStack } from './cluster-stack';
import { KpackClusterStore } from './cluster-store';
import { KpackGitRevisionKind, KpackGitSource } from './git-source';
import { KpackImage } from './image';
import { sorted } from './private/naming';
import { invalid } from '../private/errors';
import { writeReport } from '../private/output-layout';

/** What kpack does to an Image when an input it was built from changes. */
export enum BuildImpactEffect {
  /**
   * The image is rebased: its run-image layers are swapped for the new run image's, buildpacks do
   * not run, the application layers stay byte-identical. Only a new run image (same stack id) does this.
   */
  REBASE = 'REBASE',
  /** The image is rebuilt: buildpacks run again on the source, producing new application layers. */
  REBUILD = 'REBUILD',
  /**
   * No build is started; the image picks the change up at its next build (a source commit or
   * another rebuild reason). kpack compares only the run image, buildpacks and lifecycle version
   * of the last build, so a build-image-only change does not trigger builds.
   */
  NEXT_BUILD = 'NEXT_BUILD',
}

/**
 * Props of `BuildImpactReport`.
 */
export interface BuildImpactReportProps {
  /**
   * File name the report is written to by `writeFile`.
   * @default 'build-impact-report.json'
   */
  readonly fileName?: string;
}

/**
 * The blast radius of base-image, buildpack and lifecycle changes: for every kpack ClusterStack,
 * ClusterStore buildpackage, ClusterBuilder and ClusterLifecycle in the app, which Images a change
 * would make kpack rebase or rebuild. A change board reads it before approving a bump.
 *
 * It is computed from the constructs in the whole app (wherever in the tree they are), on demand:
 * `toJson()` returns it and `writeFile()` writes it to the reports folder. The output is sorted and
 * carries no timestamps, so the same program writes the same bytes.
 *
 * Store and order changes are upper bounds: kpack rebuilds only images whose last build used a
 * buildpack that changed or disappeared, and which buildpacks detection picked is known only after
 * a build.
 */
export class BuildImpactReport extends Construct {
  /** File name `writeFile` uses. */
  public readonly fileName: string;
  private readonly chainImages: BuildImpactImage[] = [];

  constructor(scope: Construct, id: string, props: BuildImpactReportProps = {}) {
    super(scope, id);
    this.fileName = props.fileName ?? 'build-impact-report.json';
    if (!/^[A-Za-z0-9._-]+\.json$/.test(this.fileName)) {
      invalid(this, 'fileName', 'is not a plain file name ending in .json', this.fileName, 'use a name such as "build-impact-report.json"');
    }
  }

  /**
   * @internal Records an image a supply chain's kpack Image builds (stamped by Cartographer, so not
   * a construct of the App): the chain-built workload's namespace and name, its repository, the
   * chain's builder and the workload's source.
   */
  public _addChainImage(image: BuildImpactImage): void {
    this.chainImages.push(image);
  }

  /** The report as JSON data. */
  public toJson(): any {
    const all = this.node.root.node.findAll();
    const of = <T>(type: new (...args: any[]) => T): T[] => all.filter((c: IConstruct) => c instanceof type) as unknown as T[];
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const images: BuildImpactImage[] = [...of(KpackImage), ...this.chainImages];
    const ref = (i: BuildImpactImage) => `${i.namespace}/${i.name}`;
    const imagesWhere = (pred: (i: BuildImpactImage) => boolean) => sorted(images.filter(pred).map(ref));

    return {
      apiVersion: 'devsecops.cdk8s.io/v1',
      kind: 'BuildImpactReport',
      clusterStacks: of(KpackClusterStack).sort(byName).map((s) => {
        const affected = (i: BuildImpactImage) => i.builder.stack === s;
        return {
          name: s.name,
          stackId: s.stackId,
          runImage: s.runImage,
          buildImage: s.buildImage,
          builders: sorted(of(KpackClusterBuilder).filter((b) => b.stack === s).map((b) => b.name)),
          changes: [
            change('spec.runImage.image', BuildImpactEffect.REBASE, imagesWhere(affected)),
            change('spec.buildImage.image', BuildImpactEffect.NEXT_BUILD, imagesWhere(affected)),
            change('spec.id', BuildImpactEffect.REBUILD, imagesWhere(affected)),
          ],
        };
      }),
      clusterStores: of(KpackClusterStore).sort(byName).map((s) => ({
        name: s.name,
        builders: sorted(of(KpackClusterBuilder).filter((b) => b.store === s).map((b) => b.name)),
        changes: s.buildpackageImages.map((image) => {
          const ids = s.buildpackIds.filter((id) => s.sourceOf(id) === image);
          return {
            ...change(`spec.sources[image=${image}]`, BuildImpactEffect.REBUILD,
              imagesWhere((i) => i.builder.store === s && i.builder.orderBuildpackIds.some((id) => ids.includes(id)))),
            buildpackIds: sorted(ids),
          };
        }),
      })),
      clusterBuilders: of(KpackClusterBuilder).sort(byName).map((b) => ({
        name: b.name,
        tag: b.tag,
        stack: b.stack.name,
        store: b.store.name,
        lifecycle: b.lifecycle.name,
        changes: [change('spec.order', BuildImpactEffect.REBUILD, imagesWhere((i) => i.builder === b))],
      })),
      clusterLifecycles: of(KpackClusterLifecycle).sort(byName).map((l) => ({
        name: l.name,
        image: l.image,
        builders: sorted(of(KpackClusterBuilder).filter((b) => b.lifecycle === l).map((b) => b.name)),
        changes: [change('spec.image', BuildImpactEffect.REBUILD, imagesWhere((i) => i.builder.lifecycle === l))],
      })),
      images: images.sort((a, b) => (ref(a) < ref(b) ? -1 : ref(a) > ref(b) ? 1 : 0)).map((i) => ({
        image: ref(i),
        tag: i.tag,
        builder: i.builder.name,
        source: { url: i.source.url, revision: i.source.revision, revisionKind: i.source.revisionKind },
        rebuildsOnNewCommits: i.source.revisionKind === KpackGitRevisionKind.BRANCH,
      })),
    };
  }

  /**
   * Writes the report as JSON to `directory` (created if missing) and returns the file's path.
   * Call it after `app.synth()`. The default folder is the reports folder beside the manifests
   * (`<outdir>-reports`), never the manifests folder, which kubectl, Flux and gator read as objects.
   * @param directory target directory
   * @default - the App's reports folder
   */
  public writeFile(directory?: string): string {
    return writeReport(this, this.fileName, this.toJson(), directory);
  }
}

function change(field: string, effect: BuildImpactEffect, images: string[]): { field: string; effect: BuildImpactEffect; images: string[] } {
  return { field, effect, images };
}

/** What the build-impact report needs of a built image: a kpack Image construct, or one a supply chain stamps. */
export interface BuildImpactImage {
  /** Namespace the image builds in. */
  readonly namespace: string;
  /** Name of the kpack Image. */
  readonly name: string;
  /** Repository the image is pushed to. */
  readonly tag: string;
  /** The builder that builds it. */
  readonly builder: KpackClusterBuilder;
  /** The git source it is built from. */
  readonly source: KpackGitSource;
}
