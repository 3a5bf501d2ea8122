import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';

/** Every manifest object of every chart in the app, in synthesis order. */
export function synthObjects(app: App): any[] {
  return app.charts.flatMap((c: Chart) => c.toJson());
}

/** Objects of one kind (and optionally one namespace). */
export function ofKind(objects: any[], kind: string, namespace?: string): any[] {
  return objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
}

export function named(objects: any[], kind: string, name: string, namespace?: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (!found) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${name}`);
  return found;
}

/** The strict validator of ../shared, when this checkout sits beside it (user clones do not). */
export const KUBE_VALIDATE = path.resolve(__dirname, '..', '..', 'shared', 'tools', 'kube-validate.cjs');
export const HAS_SHARED = fs.existsSync(KUBE_VALIDATE);

/** Builds an app with `build` and synthesizes it into a fresh temp dir; returns the directory. */
export function synthToDir(build: (app: App) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devsecops-test-'));
  const app = new App({ outdir: dir });
  build(app);
  app.synth();
  return dir;
}

/** Every file under `dir`, relative path -> content. */
export function readTree(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile()) out[f] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

/** Runs kube-validate --pss on a directory; returns its last line. Throws with the report on errors. */
export function kubeValidate(dir: string): string {
  try {
    const out = execFileSync(process.execPath, [KUBE_VALIDATE, '--pss', '--quiet', dir], { encoding: 'utf8' });
    return out.trim().split('\n').pop()!;
  } catch (e: any) {
    throw new Error(`kube-validate failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
