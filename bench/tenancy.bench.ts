/**
 * Benchmark: synthesize a platform of 100, 1,000 and 5,000 tenants through the library, and the
 * very same objects as plain cdk8s ApiObjects, and print for each: objects, wall time, peak RSS,
 * objects/s and the library/plain ratio.
 *
 * Every measurement runs in its own child process, so peak RSS is that run's alone. The plain
 * baseline gets the library's output as JSON (loaded before its clock starts) and builds one
 * Chart per tenant with one ApiObject per manifest object, then synthesizes to disk like the
 * library run. The policy share is the PolicyGate's own evaluation time within the library run.
 * Run with `npx projen bench`; sizes can be passed to the script as arguments.
 */
import { fork } from 'child_process';
import { createHash, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CosignKeyPair, DevSecOpsPlatform, KpackClusterLifecycle, KpackClusterStack, KpackClusterStore, KpackGitSource,
  NetworkPeer, NetworkPort, PolicyGate, Tier,
} from '../src';

interface Result { readonly objects: number; readonly ms: number; readonly rssMb: number; readonly policyMs?: number }

const TIERS = [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV];

const HOST = 'harbor.bank.example';
const pinned = (name: string) => `${HOST}/platform/${name}@sha256:${createHash('sha256').update(name).digest('hex')}`;

/**
 * The platform measured: n tenants, tiers in rotation, each tenant allowed to call the previous
 * one and building one signed image, Harbor managed as code (a project and robots per tenant),
 * with the admission policy catalog and the supply-chain checks evaluated at synth (the policy
 * share is reported).
 */
function buildLibrary(app: App, n: number, evaluateOnSynth = true): void {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const platform = new DevSecOpsPlatform(app, 'bench', {
    registry: { host: HOST, harbor: { providerCredentialsSecretName: 'harbor-provider-credentials' } },
    signing: { key: CosignKeyPair.fromPublicKeyPem(pem, { privateKeySecretName: 'cosign-signing-key' }) },
    builds: { egress: [{ peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] }] },
    policy: { evaluateOnSynth },
  });
  const builder = platform.addBuilder('base', {
    stack: new KpackClusterStack(platform.components, 'stack', { stackId: 'io.buildpacks.stacks.jammy', buildImage: pinned('build'), runImage: pinned('run') }),
    store: new KpackClusterStore(platform.components, 'store', { buildpackages: [{ image: pinned('java'), buildpackIds: ['paketo-buildpacks/java'] }] }),
    lifecycle: new KpackClusterLifecycle(platform.components, 'lifecycle', { image: pinned('lifecycle') }),
    order: [{ group: [{ id: 'paketo-buildpacks/java' }] }],
  });
  let previous;
  for (let i = 0; i < n; i++) {
    const t = platform.addTenant(`tenant-${i}`, { tier: TIERS[i % 3], team: `team-${i % 50}` });
    if (previous) t.allowTo(NetworkPeer.tenant(previous), [NetworkPort.tcp(8443)]);
    platform.addImage(t, 'app', { builder, source: KpackGitSource.branch(`https://git.bank.example/tenant-${i}/app.git`, 'main') });
    previous = t;
  }
}

function countYamlDocs(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml'))) n += fs.readFileSync(path.join(dir, f), 'utf8').split(/^---$/m).length;
  return n;
}

function child(mode: string, n: number, input?: string): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${mode}-`));
  let charts: any[][] = [];
  if (mode === 'plain') charts = JSON.parse(fs.readFileSync(input!, 'utf8'));
  const start = process.hrtime.bigint();
  const app = new App({ outdir });
  if (mode === 'library') {
    buildLibrary(app, n);
  } else {
    charts.forEach((objects, ci) => {
      const chart = new Chart(app, `chart-${ci}`);
      objects.forEach((o, oi) => new ApiObject(chart, `o${oi}`, o));
    });
  }
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const objects = countYamlDocs(outdir);
  for (const dir of [outdir, `${outdir}-reports`]) fs.rmSync(dir, { recursive: true, force: true });
  const policyMs = mode === 'library' ? PolicyGate.of(app).lastEvaluationMillis : undefined;
  const result: Result = { objects, ms, rssMb: process.resourceUsage().maxRSS / 1024, policyMs };
  process.send!(result);
}

function run(mode: string, n: number, input?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = fork(__filename, ['--child', mode, String(n), input ?? ''], { execArgv: process.execArgv });
    p.on('message', (m) => resolve(m as Result));
    p.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`${mode} ${n} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  const ns = sizes.length ? sizes : [100, 1000, 5000];
  const rows: string[] = [];
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}`);
  console.log('| tenants | synthesized as | objects | wall (ms) | peak RSS (MB) | objects/s | library/plain | policy evaluation share |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of ns) {
    // The plain baseline's input: the library's objects, grouped per file (chart), as plain JSON.
    // (Read back from a synth: calling Chart.toJson() per chart re-validates the whole App each time.)
    const inputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-input-'));
    const app = new App({ outdir: inputDir });
    buildLibrary(app, n, false);
    app.synth();
    const charts = fs.readdirSync(inputDir).filter((f) => f.endsWith('.yaml')).sort()
      .map((f) => parseAllDocuments(fs.readFileSync(path.join(inputDir, f), 'utf8')).map((d) => d.toJSON()));
    for (const dir of [inputDir, `${inputDir}-reports`]) fs.rmSync(dir, { recursive: true, force: true });
    const input = path.join(os.tmpdir(), `bench-plain-${n}.json`);
    fs.writeFileSync(input, JSON.stringify(charts));
    const lib = await run('library', n);
    const plain = await run('plain', n, input);
    fs.rmSync(input);
    const share = `${(100 * lib.policyMs! / lib.ms).toFixed(1)}% (${lib.policyMs!.toFixed(0)} ms)`;
    const runs: Array<[string, Result]> = [['library', lib], ['plain ApiObject', plain]];
    for (const [name, r] of runs) {
      const ratio = name === 'plain ApiObject' ? '' : `${(r.ms / plain.ms).toFixed(2)}x time, ${(r.rssMb / plain.rssMb).toFixed(2)}x RSS`;
      const row = `| ${n} | ${name} | ${r.objects} | ${r.ms.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${Math.round(r.objects / (r.ms / 1000))} | ${ratio} | ${name === 'library' ? share : ''} |`;
      rows.push(row);
      console.log(row);
    }
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4]), process.argv[5] || undefined);
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
