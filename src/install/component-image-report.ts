import { Construct } from 'constructs';
import { ComponentImage, FluxHelmInstall } from './flux-helm-install';
import { ReleaseManifestInstall } from './release-manifest-install';
import { invalid } from '../private/errors';
import { writeReport } from '../private/output-layout';
import { afterSynthWrite } from '../private/synth-cache';

/** Props of `ComponentImageReport`. */
export interface ComponentImageReportProps {
  /**
   * Pull every component image from this registry prefix (host and project, for example
   * `harbor.bank.example/platform`) instead of the public registries: every `FluxHelmInstall`
   * and `ReleaseManifestInstall` of the App that exists when the report is created is relocated
   * (`relocateImages`).
   * @default - images are pulled from where the charts say
   */
  readonly relocateTo?: string;
  /**
   * File the report is written to after each successful `App.synth()`, in the App's reports
   * folder (`<outdir>-reports` unless the App context `cdk8s-devsecops:reportsDirectory` says
   * otherwise; never among the manifests).
   * @default 'component-images.json'
   */
  readonly fileName?: string;
  /**
   * Whether to write the file.
   * @default true
   */
  readonly writeFile?: boolean;
}

/**
 * Which container image every component install of the App runs, and where it is pulled from:
 * the copy list of an air-gapped bank (`crane copy <upstream> <pulledFrom>`), and the evidence
 * that no component pulls from a public registry. Written as JSON to the reports folder after a
 * successful synth (like `policy-report.json`), sorted, without timestamps.
 */
export class ComponentImageReport extends Construct {
  /** File name the report is written to. */
  public readonly fileName: string;
  /** The registry prefix images were relocated to, if any. */
  public readonly relocateTo?: string;

  constructor(scope: Construct, id: string, props: ComponentImageReportProps = {}) {
    super(scope, id);
    this.fileName = props.fileName ?? 'component-images.json';
    if (!/^[A-Za-z0-9._-]+\.json$/.test(this.fileName)) {
      invalid(this, 'fileName', 'is not a plain file name ending in .json', this.fileName, 'use a name such as "component-images.json"');
    }
    this.relocateTo = props.relocateTo;
    if (props.relocateTo !== undefined) {
      for (const install of this.installs()) install.relocateImages(props.relocateTo);
    }
    if (props.writeFile !== false) {
      afterSynthWrite(this, this, () => writeReport(this, this.fileName, this.toJson()));
    }
  }

  /** Every image of every install, sorted by namespace, values key and image. */
  public get images(): ComponentImage[] {
    return this.installs().flatMap((i) => i.images)
      .sort((a, b) => `${a.namespace}\0${a.valuesKey}\0${a.upstream}`.localeCompare(`${b.namespace}\0${b.valuesKey}\0${b.upstream}`));
  }

  /**
   * The report: the relocation target, the images, those still pulled from outside it, and
   * (when components are installed from release files) the release files to mirror.
   */
  public toJson(): any {
    const images = this.images;
    const releases = this.installs().filter((i): i is ReleaseManifestInstall => i instanceof ReleaseManifestInstall)
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
    return {
      relocatedTo: this.relocateTo ?? null,
      images,
      notRelocated: this.relocateTo === undefined ? [] : images.filter((i) => !i.pulledFrom.startsWith(`${this.relocateTo}/`)).map((i) => `${i.namespace}: ${i.upstream}`),
      ...(releases.length > 0 ? {
        releaseFiles: releases.map((r) => ({
          component: r.release.component,
          version: r.release.version,
          download: r.release.releaseUrl,
          mirrorTo: `${r.artifactRepository}:${r.release.version}`,
          prerequisites: r.release.prerequisites,
        })),
      } : {}),
    };
  }

  private installs(): Array<FluxHelmInstall | ReleaseManifestInstall> {
    return this.node.root.node.findAll()
      .filter((c): c is FluxHelmInstall | ReleaseManifestInstall => c instanceof FluxHelmInstall || c instanceof ReleaseManifestInstall);
  }
}
