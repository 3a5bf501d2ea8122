import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { addBuilder, chainPlatformProps } from './fixtures';
import { TestWorkload } from './test-workload';
import { KpackGitSource } from '../../src/image-build/git-source';
import { DevSecOpsPlatform } from '../../src/platform';
import { HarborScanFrequency, HarborScanSchedule } from '../../src/registry/harbor-scan-schedule';
import { ScanEconomyReport } from '../../src/supply-chain/report';
import { Tenant } from '../../src/tenancy/tenant';
import { Tier } from '../../src/tenancy/tier';

const HOST = 'harbor.bank.example';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const git = (repo: string) => KpackGitSource.branch(`https://git.bank.example/${repo}.git`, 'main');

/** A platform with Harbor, signing and builds, two tenants, and the report in its components chart. */
function setup(props: ConstructorParameters<typeof ScanEconomyReport>[2] = {}) {
  const app = Testing.app();
  const platform = new DevSecOpsPlatform(app, 'bank', chainPlatformProps());
  addBuilder(platform);
  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const core = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core' });
  // A report of the test's own (the platform writes its own with supplyChain's defaults).
  const report = new ScanEconomyReport(platform.components, 'scan-economy-under-test', { writeFile: false, ...props });
  /** A workload the chain builds from git, or (built false) one from a prebuilt image. */
  const workload = (tenant: Tenant, name: string, built: boolean) => tenant.addWorkload(name, built
    ? { source: git(`${tenant.namespaceName}/${name}`), ports: [{ port: 8080 }] }
    : { image: `${HOST}/${tenant.namespaceName}/${name}@${DIGEST}`, ports: [{ port: 8080 }] });
  return { app, platform, payments, core, report, workload };
}

describe('ScanEconomyReport', () => {
  // Hand-computed for 3 built workloads and 1 prebuilt, 4 commits a day each, 2 stack updates
  // and 1 prebuilt digest change a week, weekly scan-all, 3 platform images:
  //   built workload:    4 x (1 source + 1 image) + 2/7 rebases + 1/7 scheduled = 8 + 3/7 = 8.43
  //   prebuilt workload: 1/7 new digests + 1/7 scheduled                       = 2/7    = 0.29
  //   source scans:      3 x 4                                                 = 12
  //   image scans on change: 3 x (4 + 2/7) + 1 x 1/7 = 12 + 6/7 + 1/7          = 13
  //   scheduled:         (4 workloads + 3 platform images) / 7                 = 1
  //   total                                                                     = 26
  //   every image on every commit: 12 commits a day x 7 images                 = 84
  function bank() {
    const s = setup({ commitsPerWorkloadPerDay: 4, stackUpdatesPerWeek: 2, prebuiltImageUpdatesPerWeek: 1, platformImages: 3 });
    s.report.addWorkload(s.workload(s.payments, 'ledger', true));
    s.report.addWorkload(s.workload(s.payments, 'gateway', true));
    s.report.addWorkload(s.workload(s.core, 'accounts', true));
    s.report.addWorkload(s.workload(s.core, 'mainframe-bridge', false));
    return s;
  }

  test('platform figures for a given change rate, against scanning every image on every commit', () => {
    const json = bank().report.toJson();
    expect(json.platform).toEqual({
      workloads: 4,
      builtByChain: 3,
      prebuilt: 1,
      platformImages: 3,
      scansPerDay: { sourceScans: 12, imageScansOnChange: 13, scheduledRescans: 1, total: 26 },
      everyImageOnEveryCommit: { scansPerDay: 84, formula: expect.stringContaining('commits per day') },
      scansAvoidedPerDay: 58,
    });
    expect(json.changeRate).toEqual({ commitsPerWorkloadPerDay: 4, stackUpdatesPerWeek: 2, prebuiltImageUpdatesPerWeek: 1, scanFrequency: 'Weekly' });
  });

  test('per workload: what a source change, a base-image change and the schedule trigger', () => {
    const rows = bank().report.toJson().workloads;
    expect(rows.map((r: any) => r.workload)).toEqual(['core-banking/accounts', 'core-banking/mainframe-bridge', 'payments/gateway', 'payments/ledger']);
    const ledger = rows.find((r: any) => r.workload === 'payments/ledger');
    expect(ledger).toMatchObject({
      builtByChain: true,
      imageRepository: 'harbor.bank.example/payments/ledger',
      onSourceChange: { sourceScans: 1, imageScans: 1, build: 'rebuild' },
      onBaseImageChange: { sourceScans: 0, imageScans: 1, build: 'rebase' },
      onSchedule: { sourceScans: 0, imageScans: 1, build: 'none' },
      scansPerDay: 8.43,
    });
    expect(ledger.onSourceChange.by.join(' ')).toMatch(/security-scan: grype.*scan on push.*image-scan stage reads its report/);
    expect(ledger.onBaseImageChange.by.join(' ')).toMatch(/rebases .* without running buildpacks.*not scanned again/);
    const bridge = rows.find((r: any) => r.workload === 'core-banking/mainframe-bridge');
    expect(bridge).toMatchObject({
      builtByChain: false,
      imageRepository: null,
      onSourceChange: { sourceScans: 0, imageScans: 0, build: 'none' },
      onBaseImageChange: { sourceScans: 0, imageScans: 0, build: 'none' },
      onSchedule: { sourceScans: 0, imageScans: 1 },
      scansPerDay: 0.29,
    });
    expect(bridge.onSchedule.by[0]).toMatch(/Harbor scan-all \(Weekly\)/);
  });

  test('a daily schedule rescans every image every day', () => {
    // 1 built workload, 1 commit a day, no stack updates, daily: 1 source + 1 image + 1 rescan = 3;
    // every image on every commit: 1 commit x 1 image = 1, so the economy costs 2 more here.
    const s = setup({ commitsPerWorkloadPerDay: 1, stackUpdatesPerWeek: 0, scanFrequency: HarborScanFrequency.DAILY });
    s.report.addWorkload(s.workload(s.payments, 'ledger', true));
    const json = s.report.toJson();
    expect(json.workloads[0].scansPerDay).toBe(3);
    expect(json.platform.scansPerDay).toEqual({ sourceScans: 1, imageScansOnChange: 1, scheduledRescans: 1, total: 3 });
    expect(json.platform.everyImageOnEveryCommit.scansPerDay).toBe(1);
    expect(json.platform.scansAvoidedPerDay).toBe(-2);
  });

  test('defaults: 1 commit a day, 1 stack update and 1 prebuilt digest change a week, weekly scan-all, no platform images', () => {
    const s = setup();
    expect(s.report.commitsPerWorkloadPerDay).toBe(1);
    expect(s.report.stackUpdatesPerWeek).toBe(1);
    expect(s.report.prebuiltImageUpdatesPerWeek).toBe(1);
    expect(s.report.scanFrequency).toBe(HarborScanFrequency.WEEKLY);
    expect(s.report.platformImages).toBe(0);
    expect(s.report.fileName).toBe('scan-economy-report.json');
    // one built workload: 1 x 2 + 1/7 rebase + 1/7 rescan = 2.29
    s.report.addWorkload(s.workload(s.payments, 'ledger', true));
    expect(s.report.toJson().platform.scansPerDay.total).toBe(2.29);
  });

  test('an empty platform reports zeros', () => {
    expect(setup().report.toJson().platform).toMatchObject({
      workloads: 0, scansPerDay: { total: 0 }, everyImageOnEveryCommit: { scansPerDay: 0 }, scansAvoidedPerDay: 0,
    });
  });

  test('adding the same workload twice counts it once', () => {
    const s = setup();
    const w = s.workload(s.payments, 'ledger', true);
    s.report.addWorkload(w);
    s.report.addWorkload(w);
    expect(s.report.toJson().platform.workloads).toBe(1);
  });

  test('is written to the reports folder after synth, beside the manifests, deterministically', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-economy-'));
    const write = () => {
      const app = new App({ outdir });
      const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST } });
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      payments.addImagePullSecret('harbor-pull');
      const report = new ScanEconomyReport(platform.components, 'scan-economy');
      report.addWorkload(payments.addWorkload('web', { image: `${HOST}/payments/web@${DIGEST}`, ports: [{ port: 8080 }] }));
      app.synth();
      return fs.readFileSync(path.join(`${outdir}-reports`, 'scan-economy-report.json'), 'utf8');
    };
    const first = write();
    expect(JSON.parse(first).kind).toBe('ScanEconomyReport');
    expect(write()).toBe(first);
    expect(fs.existsSync(path.join(outdir, 'scan-economy-report.json'))).toBe(false);
  });

  describe('fails', () => {
    test.each([
      ['commitsPerWorkloadPerDay', -1],
      ['stackUpdatesPerWeek', Number.NaN],
      ['prebuiltImageUpdatesPerWeek', Number.POSITIVE_INFINITY],
    ])('if %s is not a rate', (prop, value) => {
      expect(() => setup({ [prop]: value })).toThrow(new RegExp(`\\[bank/components/scan-economy-under-test\\] '${prop}' must be a rate of 0 or more, got .*; give the average count`));
    });

    test('if platformImages is not a whole number', () => {
      expect(() => setup({ platformImages: 2.5 })).toThrow(/'platformImages' must be a whole number of images, 0 or more, got 2.5/);
    });

    test('if scanFrequency is unknown', () => {
      expect(() => setup({ scanFrequency: 'Hourly' as any })).toThrow(/'scanFrequency' is not a scan frequency, got "Hourly"; use HarborScanFrequency.WEEKLY or DAILY/);
    });

    test('if fileName is a path', () => {
      expect(() => setup({ fileName: '../x.json' })).toThrow(/'fileName' is not a plain file name ending in .json, got "..\/x.json"/);
    });

    test('if two workloads share namespace and name', () => {
      // Two tenants of one platform never share a namespace; a hand-built IWorkload can.
      const s = setup();
      s.report.addWorkload(s.workload(s.payments, 'ledger', true));
      const namesake = new Tenant(s.app, 'payments-copy', { tier: Tier.DEV, team: 'x', name: 'payments' } as any);
      const other = new TestWorkload(namesake, 'ledger', true);
      expect(() => s.report.addWorkload(other)).toThrow(/'workload' names a workload the report already counts, got "payments\/ledger"; each workload is counted once/);
    });

    test('if the workload is not a workload', () => {
      expect(() => setup().report.addWorkload({} as any)).toThrow(/'workload' must be a workload, got \{\}; pass the IWorkload returned by tenant.addWorkload/);
    });
  });
});

describe('ScanEconomyReport with the registry\'s schedule', () => {
  const provider = { providerConfigName: 'harbor' } as any;

  test('takes the frequency of the HarborScanSchedule it is given', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'components');
    const schedule = new HarborScanSchedule(chart, 'scanning', { provider, frequency: HarborScanFrequency.DAILY });
    expect(new ScanEconomyReport(chart, 'r', { scanSchedule: schedule, writeFile: false }).scanFrequency).toBe(HarborScanFrequency.DAILY);
    const weekly = new HarborScanSchedule(chart, 'weekly', { provider });
    expect(new ScanEconomyReport(chart, 'r2', { scanSchedule: weekly, writeFile: false }).scanFrequency).toBe(HarborScanFrequency.WEEKLY);
  });

  test('fails if scanFrequency contradicts the schedule', () => {
    const chart = new Chart(Testing.app(), 'components');
    const schedule = new HarborScanSchedule(chart, 'scanning', { provider });
    expect(() => new ScanEconomyReport(chart, 'r', { scanSchedule: schedule, scanFrequency: HarborScanFrequency.DAILY, writeFile: false }))
      .toThrow(/\[components\/r\] 'scanFrequency' differs from the frequency "Weekly" of \[components\/scanning\], got "Daily"; drop scanFrequency/);
  });

  test('fails if scanSchedule is not a HarborScanSchedule', () => {
    const chart = new Chart(Testing.app(), 'components');
    expect(() => new ScanEconomyReport(chart, 'r', { scanSchedule: { frequency: 'Daily' } as any, writeFile: false }))
      .toThrow(/'scanSchedule' must be a HarborScanSchedule/);
  });
});

describe('ScanEconomyReport invariants', () => {
  test('the platform total is the workloads\' rows plus the platform images\' rescans, and grows with the commit rate', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }),
      fc.boolean(), fc.integer({ min: 0, max: 10 }),
      (built, prebuilt, commits, stackUpdates, daily, platformImages) => {
        const figures = (commitsPerWorkloadPerDay: number) => {
          const s = setup({
            commitsPerWorkloadPerDay,
            stackUpdatesPerWeek: stackUpdates,
            platformImages,
            scanFrequency: daily ? HarborScanFrequency.DAILY : HarborScanFrequency.WEEKLY,
          });
          for (let i = 0; i < built; i++) s.report.addWorkload(s.workload(s.payments, `b${i}`, true));
          for (let i = 0; i < prebuilt; i++) s.report.addWorkload(s.workload(s.core, `p${i}`, false));
          return s.report.toJson();
        };
        const json = figures(commits);
        const rows = json.workloads.reduce((sum: number, r: any) => sum + r.scansPerDay, 0);
        const platformRescans = platformImages / (daily ? 1 : 7);
        // each row and the total are rounded to 0.01
        expect(Math.abs(rows + platformRescans - json.platform.scansPerDay.total)).toBeLessThanOrEqual(0.01 * (built + prebuilt + 1));
        expect(json.platform.everyImageOnEveryCommit.scansPerDay).toBe(built * commits * (built + prebuilt + platformImages));
        expect(figures(commits + 1).platform.scansPerDay.total).toBeGreaterThanOrEqual(json.platform.scansPerDay.total);
      },
    ), { numRuns: 15 });
  });
});
