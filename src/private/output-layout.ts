import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from './errors';
import { afterSynthWrite } from './synth-cache';

/**
 * Where the library writes what is not a Kubernetes object of the cluster (reports). Manifests
 * go where cdk8s writes them (the App's outdir); reports go to a sibling folder, never inside it,
 * because `kubectl apply -f`, Flux and `gator test -f` read every file of a folder as objects.
 *
 * Set the context key on the App before adding constructs to choose another folder:
 * `app.node.setContext('cdk8s-devsecops:reportsDirectory', 'out/reports')`.
 */
export const REPORTS_DIRECTORY_CONTEXT = 'cdk8s-devsecops:reportsDirectory';

/** The reports folder of the App `scope` belongs to: `<outdir>-reports` unless the context says otherwise. */
export function reportsDirectory(scope: IConstruct): string {
  const root = scope.node.root;
  const outdir = path.resolve(root instanceof App ? root.outdir : 'dist');
  const configured = root.node.tryGetContext(REPORTS_DIRECTORY_CONTEXT);
  const dir = configured !== undefined ? path.resolve(String(configured)) : `${outdir}-reports`;
  const rel = path.relative(outdir, dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    invalid(root.node.path || '<app>', REPORTS_DIRECTORY_CONTEXT, `is inside the manifests folder "${outdir}", where kubectl, Flux and gator would read reports as objects`, configured,
      'choose a folder beside the manifests folder, e.g. "<outdir>-reports"');
  }
  return dir;
}

/** Writes `data` as JSON to `file` in the reports folder of `scope`'s App; returns the path. */
export function writeReport(scope: IConstruct, file: string, data: unknown, directory?: string): string {
  const target = path.join(directory ?? reportsDirectory(scope), file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(data, undefined, 2) + '\n');
  return target;
}

const NAMED = Symbol.for('cdk8s-devsecops.manifest-names');
const RENAMER = {};

/**
 * Gives the manifest file of `chart` a name a reviewer recognizes: its construct path joined with
 * `-` (`bank-payments.k8s.yaml`, `bank-components.k8s.yaml`) instead of cdk8s's path plus hash.
 * cdk8s names files itself, so the file is renamed once the outermost `App.synth()` has written
 * it. Only with cdk8s's default one-file-per-chart output; when two charts would get the same name,
 * both keep cdk8s's name.
 */
export function nameManifestFile(chart: Chart): void {
  const root = chart.node.root;
  if (!(root instanceof App)) return;
  const holder = root as unknown as { [NAMED]?: Chart[] };
  let charts = holder[NAMED];
  if (!charts) {
    const list: Chart[] = [];
    holder[NAMED] = charts = list;
    afterSynthWrite(chart, RENAMER, () => renameManifests(root, list));
  }
  charts.push(chart);
}

function renameManifests(app: App, named: Chart[]): void {
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART) return;
  const ext = app.outputFileExtension;
  const all = app.charts;
  const wanted = new Map<Chart, string>(named
    .map((c): [Chart, string] => [c, c.node.path.split('/').join('-')])
    .filter(([, name]) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)));
  const generated = new Map(all.map((c) => [c, Names.toDnsLabel(c)]));
  const counts = new Map<string, number>();
  for (const c of all) {
    const name = wanted.get(c) ?? generated.get(c)!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  all.forEach((chart, index) => {
    const target = wanted.get(chart);
    if (!target || counts.get(target)! > 1) return;
    // cdk8s prefixes the file with the chart's index when charts depend on each other.
    const prefix = `${String(index).padStart(4, '0')}-`;
    for (const p of ['', prefix]) {
      const from = path.join(app.outdir, `${p}${generated.get(chart)}${ext}`);
      if (fs.existsSync(from)) {
        fs.renameSync(from, path.join(app.outdir, `${p}${target}${ext}`));
        return;
      }
    }
  });
}
