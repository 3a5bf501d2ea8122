/**
 * Helpers of the chart render test: finding the chart source of a HelmRelease, perturbing values,
 * comparing renders and running kube-validate on rendered objects.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { KUBE_VALIDATE } from '../util';

/** The upstream chart sources at the pinned tags. */
export const CHARTS = path.resolve(__dirname, '..', '..', '..', 'shared', 'charts');

/** One HelmRelease to render, with the Namespace the library gives it. */
export interface ReleaseCase {
  readonly app: string;
  readonly chart: string;
  readonly version: string;
  readonly release: string;
  readonly namespace: any;
  readonly values: any;
}

export function releasesOf(appName: string, objects: any[]): ReleaseCase[] {
  return objects.filter((o) => o.kind === 'HelmRelease').map((r) => {
    const ns = r.metadata.namespace;
    let chart: string;
    let version: string;
    if (r.spec.chartRef) {
      const oci = objects.find((o) => o.kind === 'OCIRepository' && o.metadata.namespace === ns && o.metadata.name === r.spec.chartRef.name);
      chart = oci.spec.url.split('/').pop();
      version = oci.spec.ref.tag;
    } else {
      chart = r.spec.chart.spec.chart;
      version = r.spec.chart.spec.version;
    }
    const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns);
    return { app: appName, chart, version, release: r.spec.releaseName, namespace, values: r.spec.values ?? {} };
  });
}

/** The chart source for `chart`, adapted where the repository copy differs from the release. */
const prepared = new Map<string, string>();
export function chartDir(chart: string, version: string): string {
  const key = `${chart}@${version}`;
  if (prepared.has(key)) return prepared.get(key)!;
  const src = path.join(CHARTS, chart);
  let dir = src;
  const meta = fs.readFileSync(path.join(src, 'Chart.yaml'), 'utf8');
  if (chart === 'crossplane' || /^dependencies:/m.test(meta)) {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chart-src-')), chart);
    fs.cpSync(src, dir, { recursive: true });
    let text = meta;
    // external-secrets: its optional dependency (bitwarden-sdk-server, off by default) is not in ../shared.
    text = text.replace(/^dependencies:\n(?:[ -].*\n?)*/m, '');
    fs.rmSync(path.join(dir, 'Chart.lock'), { force: true });
    // crossplane: the repository carries 0.0.1; the release stamps the tag's version.
    if (chart === 'crossplane') text = text.replace(/^version: .*$/m, `version: ${version}`).replace(/^appVersion: .*$/m, `appVersion: ${version}`);
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), text);
  }
  prepared.set(key, dir);
  return dir;
}

export function parseStream(yaml: string): any[] {
  return parseAllDocuments(yaml).map((d) => d.toJSON()).filter((d) => d && typeof d === 'object' && d.kind);
}

/** Leaf paths of a values object (arrays and empty objects are leaves). */
export function leaves(v: any, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0) return [prefix];
  return Object.keys(v).flatMap((k) => leaves(v[k], [...prefix, k]));
}

export function perturb(v: any): any {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return `${v}x`;
  if (Array.isArray(v)) return v.length > 0 ? [] : ['x'];
  if (v === null) return 'x';
  return { x: 'y' };
}

export function withPath(values: any, p: string[], value: any): any {
  const copy = JSON.parse(JSON.stringify(values));
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k];
  o[p[p.length - 1]] = value;
  return copy;
}

/** Paths (JSON pointers into the document list) whose value differs between two renders. */
export function diffPaths(a: any, b: any, at = '', out = new Set<string>()): Set<string> {
  if (a === b) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffPaths(a[k], b[k], `${at}/${k}`, out);
    return out;
  }
  out.add(at);
  return out;
}

/** The rendered documents with the paths that vary between identical renders (generated certificates, random secrets, their checksums) blanked. */
export function masked(docs: any[], noisy: Set<string>): string {
  const copy = JSON.parse(JSON.stringify(docs));
  for (const p of noisy) {
    const parts = p.split('/').slice(1);
    let o = copy;
    for (const k of parts.slice(0, -1)) o = o?.[k];
    if (o && typeof o === 'object') o[parts[parts.length - 1]] = '<varies>';
  }
  return JSON.stringify(copy);
}

export function kubeValidatePss(docs: any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-pss-'));
  try {
    fs.writeFileSync(path.join(dir, 'rendered.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n');
    return execFileSync(process.execPath, [KUBE_VALIDATE, '--pss', '--quiet', dir], { encoding: 'utf8' });
  } catch (e: any) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An image reference with Docker Hub's implicit registry made explicit. */
export function qualified(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? image : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
}

/** The chart's own values.yaml. */
export function chartDefaults(chart: string): any {
  return parse(fs.readFileSync(path.join(CHARTS, chart, 'values.yaml'), 'utf8')) ?? {};
}

export function getPath(values: any, p: string[]): any {
  return p.reduce((o, k) => o?.[k], values);
}
