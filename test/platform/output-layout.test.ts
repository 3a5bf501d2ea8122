import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildBankPlatform } from '../../examples/bank-platform/platform';
import { DevSecOpsPlatform, PolicyEvaluator, Tier } from '../../src';

function synthBank(configure?: (app: App) => void) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
  const outdir = path.join(root, 'bank-platform');
  const app = new App({ outdir });
  configure?.(app);
  const platform = buildBankPlatform(app);
  app.synth();
  const impact = platform.buildImpact!.writeFile();
  return { root, outdir, impact };
}

/** Every document of every file of a folder, as `kubectl apply -f <folder>` or `gator test -f <folder>` reads it. */
function readFolder(dir: string): any[] {
  return fs.readdirSync(dir).flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON()));
}

describe('output layout', () => {
  test('the manifests folder holds only Kubernetes objects, one file per tenant and one for the components; reports go to the sibling folder', () => {
    const { root, outdir, impact } = synthBank();
    expect(fs.readdirSync(root).sort()).toEqual(['bank-platform', 'bank-platform-reports']);
    expect(fs.readdirSync(outdir).sort()).toEqual([
      'bank-components.k8s.yaml', 'bank-core-banking.k8s.yaml', 'bank-dev-sandbox.k8s.yaml', 'bank-payments.k8s.yaml',
    ]);
    expect(fs.readdirSync(`${outdir}-reports`).sort()).toEqual([
      'build-impact-report.json', 'component-images.json', 'kube-apiserver-audit-policy.json', 'policy-report.json', 'runtime-report.json', 'runtime-report.md',
      'scan-economy-report.json', 'secrets-report.json', 'vault',
    ]);
    expect(impact).toBe(path.join(`${outdir}-reports`, 'build-impact-report.json'));
    const docs = readFolder(outdir);
    expect(docs.length).toBeGreaterThan(100);
    for (const d of docs) {
      expect(typeof d.apiVersion).toBe('string');
      expect(typeof d.kind).toBe('string');
      expect(typeof d.metadata.name).toBe('string');
    }
    // each tenant's file holds its namespace and the objects in it
    const payments = readFolder(outdir).filter((d) => d.metadata.namespace === 'payments' || (d.kind === 'Namespace' && d.metadata.name === 'payments'));
    const inFile = fs.readFileSync(path.join(outdir, 'bank-payments.k8s.yaml'), 'utf8');
    expect(inFile).toContain('kind: Namespace\nmetadata:\n');
    expect(payments.some((d) => d.kind === 'Workload' && d.metadata.name === 'ledger')).toBe(true);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('file names are stable across runs', () => {
    const a = synthBank();
    const b = synthBank();
    expect(fs.readdirSync(b.outdir).sort()).toEqual(fs.readdirSync(a.outdir).sort());
    for (const f of fs.readdirSync(a.outdir)) expect(fs.readFileSync(path.join(b.outdir, f), 'utf8')).toBe(fs.readFileSync(path.join(a.outdir, f), 'utf8'));
    for (const r of [a, b]) fs.rmSync(r.root, { recursive: true, force: true });
  });

  test('the reports folder can be chosen with the App context, never inside the manifests folder', () => {
    const elsewhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'layout-reports-')), 'audit');
    const { root, outdir } = synthBank((app) => app.node.setContext('cdk8s-devsecops:reportsDirectory', elsewhere));
    expect(fs.readdirSync(elsewhere).sort()).toEqual([
      'build-impact-report.json', 'component-images.json', 'kube-apiserver-audit-policy.json', 'policy-report.json', 'runtime-report.json', 'runtime-report.md',
      'scan-economy-report.json', 'secrets-report.json', 'vault',
    ]);
    expect(fs.existsSync(`${outdir}-reports`)).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });

    const inside = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-inside-'));
    const app = new App({ outdir: inside });
    app.node.setContext('cdk8s-devsecops:reportsDirectory', path.join(inside, 'reports'));
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });
    platform.addTenant('payments', { tier: Tier.DEV, team: 'payments-eng' });
    expect(() => app.synth()).toThrow(/'cdk8s-devsecops:reportsDirectory' is inside the manifests folder ".*", where kubectl, Flux and gator would read reports as objects, got ".*reports"; choose a folder beside the manifests folder/);
    expect(fs.readdirSync(inside)).toEqual([]);
  });

  test('charts of your own keep cdk8s\'s names; a library chart whose plain name would clash keeps cdk8s\'s too', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-clash-'));
    const app = new App({ outdir });
    new DevSecOpsPlatform(app, 'a', { registry: { host: 'harbor.bank.example' } }).addTenant('b-c', { tier: Tier.DEV, team: 't' });
    new DevSecOpsPlatform(app, 'a-b', { registry: { host: 'harbor.bank.example' } }).addTenant('c', { tier: Tier.DEV, team: 't' });
    new Chart(app, 'mine');
    app.synth();
    const files = fs.readdirSync(outdir).sort();
    expect(files).toContain('mine.k8s.yaml');
    expect(files).toContain('a-components.k8s.yaml');
    expect(files).toContain('a-b-components.k8s.yaml');
    expect(files.filter((f) => /^a-b-c-[0-9a-f]{8}\.k8s\.yaml$/.test(f))).toHaveLength(2);
    expect(files).not.toContain('a-b-c.k8s.yaml');
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('gator\'s view: the manifests folder alone, judged without the Gatekeeper Config (gator does not apply it), has no deny violation', () => {
    const { root, outdir } = synthBank();
    const docs = readFolder(outdir);
    const withConfig = PolicyEvaluator.evaluateManifests(docs);
    const withoutConfig = PolicyEvaluator.evaluateManifests(docs.filter((d) => !(d.kind === 'Config' && d.apiVersion.startsWith('config.gatekeeper.sh/'))));
    expect(withConfig.summary.constraints).toBeGreaterThan(40);
    for (const report of [withConfig, withoutConfig]) {
      expect(report.violations.filter((v) => v.enforcement === 'deny')).toEqual([]);
      expect(report.notEvaluated).toEqual([]);
    }
    fs.rmSync(root, { recursive: true, force: true });
  });
});
