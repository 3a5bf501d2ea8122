import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { writeReport } from '../../private/output-layout';
import { afterSynthWrite } from '../../private/synth-cache';
import { HarborScanFrequency, HarborScanSchedule } from '../../registry/harbor-scan-schedule';
import { IWorkload } from '../../workload/workload-props';

/**
 * Props of `ScanEconomyReport`: the change rate the figures are computed for, and the scan
 * schedule the registry runs.
 */
export interface ScanEconomyReportProps {
  /**
   * Commits per day to the source of each workload the chain builds; each one is a source scan,
   * a rebuild and a scan of the new image.
   * @default 1
   */
  readonly commitsPerWorkloadPerDay?: number;

  /**
   * Stack (run image) updates per week; each one makes kpack rebase every built image, and each
   * rebased digest is scanned once.
   * @default 1
   */
  readonly stackUpdatesPerWeek?: number;

  /**
   * Digest changes per week of each prebuilt workload (a new image pinned in the program); each
   * one is a scan of the new image when it is pushed.
   * @default 1
   */
  readonly prebuiltImageUpdatesPerWeek?: number;

  /**
   * The registry's scan-all schedule; the report takes its frequency.
   * @default - `scanFrequency`
   */
  readonly scanSchedule?: HarborScanSchedule;

  /**
   * How often Harbor's scan-all job rescans every image, when no `scanSchedule` is given (a
   * registry managed elsewhere).
   * @default - the `scanSchedule`'s frequency, else HarborScanFrequency.WEEKLY
   */
  readonly scanFrequency?: HarborScanFrequency;

  /**
   * Images of the platform project that scan-all rescans besides the workloads' (stack run and
   * build images, builders, lifecycle), for the schedule's figures.
   * @default 0
   */
  readonly platformImages?: number;

  /**
   * File the report is written to after each successful `App.synth()`, in the App's reports
   * folder (beside `build-impact-report.json`, never among the manifests).
   * @default 'scan-economy-report.json'
   */
  readonly fileName?: string;

  /**
   * Whether to write the file.
   * @default true
   */
  readonly writeFile?: boolean;
}

/** Days per scan-all run. */
const SCHEDULE_DAYS: { [frequency: string]: number } = {
  [HarborScanFrequency.DAILY]: 1,
  [HarborScanFrequency.WEEKLY]: 7,
};

/**
 * The scan economy of the platform's supply chain, as the seed asks: the base image is scanned
 * on a schedule (Harbor scan-all), an application only when its source or image digest changes
 * (the chain), and a stack update rebases without rebuilding (kpack). The report states, per
 * workload, which scans a source change, a base-image change and the scheduled rescan trigger,
 * and the platform's scans per day for the given change rate against scanning every image on
 * every commit. Written as JSON to the reports folder after a successful synth, sorted, without
 * timestamps.
 *
 * What counts as a scan: a grype run on a source tree (the chain's `security-scan`) or a Harbor
 * scan of an image digest (scan on push, or the scan-all job). The chain's `image-scan` stage
 * reads the report of Harbor's scan on push; it does not scan again.
 */
export class ScanEconomyReport extends Construct {
  /** File name the report is written to. */
  public readonly fileName: string;
  /** Commits per built workload per day. */
  public readonly commitsPerWorkloadPerDay: number;
  /** Stack updates per week. */
  public readonly stackUpdatesPerWeek: number;
  /** Digest changes per prebuilt workload per week. */
  public readonly prebuiltImageUpdatesPerWeek: number;
  /** The scan-all frequency. */
  public readonly scanFrequency: HarborScanFrequency;
  /** Platform-project images rescanned by scan-all. */
  public readonly platformImages: number;

  private readonly workloads: IWorkload[] = [];

  constructor(scope: Construct, id: string, props: ScanEconomyReportProps = {}) {
    super(scope, id);
    this.commitsPerWorkloadPerDay = this.rate('commitsPerWorkloadPerDay', props.commitsPerWorkloadPerDay ?? 1);
    this.stackUpdatesPerWeek = this.rate('stackUpdatesPerWeek', props.stackUpdatesPerWeek ?? 1);
    this.prebuiltImageUpdatesPerWeek = this.rate('prebuiltImageUpdatesPerWeek', props.prebuiltImageUpdatesPerWeek ?? 1);
    this.platformImages = props.platformImages ?? 0;
    if (typeof this.platformImages !== 'number' || !Number.isInteger(this.platformImages) || this.platformImages < 0) {
      invalid(this, 'platformImages', 'must be a whole number of images, 0 or more', props.platformImages, 'count the stack, builder and lifecycle images in the platform project');
    }
    if (props.scanSchedule !== undefined && !(props.scanSchedule instanceof HarborScanSchedule)) {
      invalid(this, 'scanSchedule', 'must be a HarborScanSchedule', props.scanSchedule, 'pass the platform\'s HarborScanSchedule, or give scanFrequency');
    }
    if (props.scanSchedule && props.scanFrequency !== undefined && props.scanFrequency !== props.scanSchedule.frequency) {
      invalid(this, 'scanFrequency', `differs from the frequency "${props.scanSchedule.frequency}" of [${props.scanSchedule.node.path}]`, props.scanFrequency,
        'drop scanFrequency: the report takes the schedule\'s');
    }
    this.scanFrequency = props.scanSchedule?.frequency ?? props.scanFrequency ?? HarborScanFrequency.WEEKLY;
    if (SCHEDULE_DAYS[this.scanFrequency] === undefined) {
      invalid(this, 'scanFrequency', 'is not a scan frequency', props.scanFrequency, 'use HarborScanFrequency.WEEKLY or DAILY, as given to HarborScanSchedule');
    }
    this.fileName = props.fileName ?? 'scan-economy-report.json';
    if (!/^[A-Za-z0-9._-]+\.json$/.test(this.fileName)) {
      invalid(this, 'fileName', 'is not a plain file name ending in .json', this.fileName, 'use a name such as "scan-economy-report.json"');
    }
    if (props.writeFile !== false) {
      afterSynthWrite(this, this, () => writeReport(this, this.fileName, this.toJson()));
    }
  }

  /** Counts `workload` in the report (once). */
  public addWorkload(workload: IWorkload): void {
    if (workload === null || typeof workload !== 'object' || typeof workload.workloadName !== 'string' || typeof workload.namespace !== 'string') {
      invalid(this, 'workload', 'must be a workload', workload, 'pass the IWorkload returned by tenant.addWorkload(...)');
    }
    const name = key(workload);
    const same = this.workloads.find((w) => key(w) === name);
    if (same === workload) return;
    if (same) {
      invalid(this, 'workload', 'names a workload the report already counts', name, `each workload is counted once; ${same.node.path} and ${workload.node.path} share the name`);
    }
    this.workloads.push(workload);
  }

  /** The report as JSON data. */
  public toJson(): any {
    const c = this.commitsPerWorkloadPerDay;
    const stackPerDay = this.stackUpdatesPerWeek / 7;
    const prebuiltPerDay = this.prebuiltImageUpdatesPerWeek / 7;
    const schedulePerDay = 1 / SCHEDULE_DAYS[this.scanFrequency];
    const workloads = [...this.workloads].sort((a, b) => key(a).localeCompare(key(b)));
    const built = workloads.filter((w) => w.builtByChain);

    const rows = workloads.map((w) => {
      const onSourceChange = w.builtByChain
        ? trigger(1, 1, 'rebuild', ['chain security-scan: grype on the new source revision',
          'Harbor scan on push of the rebuilt digest (the chain\'s image-scan stage reads its report)'])
        : trigger(0, 0, 'none', ['prebuilt image: its source is outside the platform; a new digest pinned in the program is scanned on push']);
      const onBaseImageChange = w.builtByChain
        ? trigger(0, 1, 'rebase', ['kpack rebases the image on the new run image without running buildpacks',
          'Harbor scan on push of the rebased digest; the source is not scanned again (unchanged)'])
        : trigger(0, 0, 'none', ['prebuilt image: rebuilt by its owner; the scheduled rescan checks it against new CVEs meanwhile']);
      const onSchedule = trigger(0, 1, 'none', [`Harbor scan-all (${this.scanFrequency}) rescans the current image against new CVE data`]);
      const perDay = w.builtByChain
        ? c * (onSourceChange.sourceScans + onSourceChange.imageScans) + stackPerDay * onBaseImageChange.imageScans + schedulePerDay
        : prebuiltPerDay + schedulePerDay;
      return {
        workload: key(w),
        builtByChain: w.builtByChain,
        imageRepository: w.imageRepository ?? null,
        onSourceChange,
        onBaseImageChange,
        onSchedule,
        scansPerDay: round(perDay),
      };
    });

    const sourceScans = built.length * c;
    const imageScansOnChange = built.length * (c + stackPerDay) + (workloads.length - built.length) * prebuiltPerDay;
    const scheduled = (workloads.length + this.platformImages) * schedulePerDay;
    const economy = sourceScans + imageScansOnChange + scheduled;
    const images = workloads.length + this.platformImages;
    const commitsPerDay = built.length * c;
    const everyImageEveryCommit = commitsPerDay * images;
    return {
      apiVersion: 'devsecops.cdk8s.io/v1',
      kind: 'ScanEconomyReport',
      changeRate: {
        commitsPerWorkloadPerDay: c,
        stackUpdatesPerWeek: this.stackUpdatesPerWeek,
        prebuiltImageUpdatesPerWeek: this.prebuiltImageUpdatesPerWeek,
        scanFrequency: this.scanFrequency,
      },
      workloads: rows,
      platform: {
        workloads: workloads.length,
        builtByChain: built.length,
        prebuilt: workloads.length - built.length,
        platformImages: this.platformImages,
        scansPerDay: {
          sourceScans: round(sourceScans),
          imageScansOnChange: round(imageScansOnChange),
          scheduledRescans: round(scheduled),
          total: round(economy),
        },
        everyImageOnEveryCommit: {
          scansPerDay: round(everyImageEveryCommit),
          formula: 'commits per day across built workloads x images in the registry (workloads + platform images)',
        },
        scansAvoidedPerDay: round(everyImageEveryCommit - economy),
      },
    };
  }

  private rate(prop: string, value: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      invalid(this, prop, 'must be a rate of 0 or more', value, 'give the average count for the period, for example 2.5');
    }
    return value;
  }
}

function key(w: IWorkload): string {
  return `${w.namespace}/${w.workloadName}`;
}

interface Trigger {
  readonly sourceScans: number;
  readonly imageScans: number;
  readonly build: string;
  readonly by: string[];
}

function trigger(sourceScans: number, imageScans: number, build: string, by: string[]): Trigger {
  return { sourceScans, imageScans, build, by };
}

/** Two decimals: per-day figures of weekly events are fractions. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
