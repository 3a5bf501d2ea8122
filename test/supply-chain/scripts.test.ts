/**
 * The chain's task programs, run here as far as they can be: the shell scripts with `sh` (with a
 * fake `curl` on PATH where they reach the network) and the gates with `jq`, on the arguments
 * and environment the stamped TaskRuns give them and on sample grype and Harbor reports.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { HOST } from './fixtures';
import { IMAGE_DIGEST, runFlow, stepEnv, stepOf } from './flow';
import { evaluatePolicies } from '../../src/policy/private/engine';
import { FETCH_HARBOR_REPORT_SCRIPT, FETCH_SOURCE_SCRIPT, GIT_WRITER_SCRIPT, RENDER_SCRIPT } from '../../src/supply-chain/private/scripts';
import { HAS_SHARED, kubeValidate } from '../util';

const FIXTURES = path.join(__dirname, 'fixtures');
const has = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
const HAS_JQ = has('jq');
const HAS_GIT = has('git');
const flow = runFlow();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'chain-script-'));

interface Result { status: number | null; stdout: string; stderr: string }

/** Runs `script` with `sh`, `env` added to a minimal environment and `bin` first on PATH. */
function sh(script: string, env: { [k: string]: string }, bin?: string): Result {
  const dir = tmp();
  const file = path.join(dir, 'script.sh');
  fs.writeFileSync(file, script);
  const PATH = `${bin ? `${bin}:` : ''}${process.env.PATH}`;
  const r = spawnSync('sh', [file], { env: { PATH, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs jq with a gate's arguments from the stamped TaskRun, reading `report`. */
function gate(stage: string, report: string, threshold?: [number, string]): Result {
  const args = [...stepOf(flow.runs[stage], 'gate').args];
  args[args.length - 1] = path.join(FIXTURES, report);
  if (threshold) { args[4] = String(threshold[0]); args[7] = threshold[1]; }
  const r = spawnSync('jq', args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fake command on a fresh PATH directory. */
function fakeBin(name: string, body: string): string {
  const bin = tmp();
  fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}`, { mode: 0o755 });
  return bin;
}

const jqTest = HAS_JQ ? test : test.skip;
const gitTest = HAS_GIT ? test : test.skip;

describe('security-scan gate (jq on grype JSON)', () => {
  jqTest('stops the chain on findings at or above HIGH, naming them', () => {
    const r = gate('security-scan', 'grype-critical.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('security-scan: 3 findings, 2 at or above high');
    expect(r.stdout).toContain('blocked: Critical CVE-2021-44228 in log4j-core 2.14.1');
    expect(r.stdout).toContain('blocked: High CVE-2022-42889 in commons-text 1.9');
    expect(r.stdout).not.toContain('CVE-2024-0001');
    expect(r.stdout.trim().split('\n').pop()).toBe('false');
  });

  jqTest('passes findings below the threshold, and an empty report', () => {
    expect(gate('security-scan', 'grype-clean.json').status).toBe(0);
    expect(gate('security-scan', 'grype-empty.json').status).toBe(0);
  });

  jqTest.each([
    [4, 'critical', 'grype-critical.json', 1],
    [4, 'critical', 'grype-clean.json', 0],
    [2, 'medium', 'grype-clean.json', 1],
    [1, 'low', 'grype-clean.json', 1],
    // NONE blocks every finding, Negligible included.
    [0, 'none', 'grype-clean.json', 1],
    [0, 'none', 'grype-empty.json', 0],
  ] as Array<[number, string, string, number]>)('threshold %s (%s) on %s exits %s', (rank, name, report, status) => {
    expect(gate('security-scan', report, [rank, name]).status).toBe(status);
  });

  jqTest('fails closed on a report it cannot read', () => {
    const r = gate('security-scan', 'not-grype.json');
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('the report is not grype JSON');
  });
});

describe('image-scan gate (jq on Harbor\'s artifact with scan overview)', () => {
  jqTest('stops the chain on High findings at threshold HIGH', () => {
    const r = gate('image-scan', 'harbor-artifact-high.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('image-scan: 9 findings by Trivy v0.58.1, 1 severities at or above high');
    expect(r.stdout).toContain('blocked: 2 High');
  });

  jqTest('passes a report under the threshold; CRITICAL lets High through, NONE blocks anything', () => {
    expect(gate('image-scan', 'harbor-artifact-clean.json').status).toBe(0);
    expect(gate('image-scan', 'harbor-artifact-high.json', [4, 'critical']).status).toBe(0);
    expect(gate('image-scan', 'harbor-artifact-clean.json', [0, 'none']).status).toBe(1);
  });

  jqTest.each([
    ['harbor-artifact-running.json', 'scan status is Running'],
    ['harbor-artifact-error.json', 'scan status is Error'],
    ['harbor-artifact-unscanned.json', 'no vulnerability report'],
  ])('fails closed on %s', (report, message) => {
    const r = gate('image-scan', report);
    expect(r.status).toBe(5);
    expect(r.stderr).toContain(message);
  });
});

describe('image-scan: reading Harbor\'s report', () => {
  const run = flow.runs['image-scan'];
  /** A fake curl that records its arguments and the netrc it was given, then serves reports in turn. */
  const FAKE_CURL = `
out=''; netrc=''; url=''
while [ $# -gt 0 ]; do
  case "$1" in
    --output) out="$2"; shift ;;
    --netrc-file) netrc="$2"; shift ;;
    --header) shift ;;
    -*) ;;
    *) url="$1" ;;
  esac
  shift
done
n=$(cat "$STATE/count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STATE/count"
echo "$url" >> "$STATE/urls"
stat -c %a "$netrc" > "$STATE/seen-netrc-mode"; cat "$netrc" > "$STATE/seen-netrc"
report=$(sed -n "\${n}p" "$STATE/reports"); [ -n "$report" ] || report=$(tail -n 1 "$STATE/reports")
cp "$report" "$out"
`;
  const bin = fakeBin('curl', FAKE_CURL);

  function fetch(reports: string[], overrides: { [k: string]: string } = {}) {
    const state = tmp();
    fs.writeFileSync(path.join(state, 'reports'), reports.map((r) => path.join(FIXTURES, r)).join('\n') + '\n');
    const env = { ...stepEnv(run, 'fetch-report'), HARBOR_PASSWORD: 's3cret', WORK: state, REPORT: path.join(state, 'report.json'), INTERVAL: '0', STATE: state, ...overrides };
    const result = sh(FETCH_HARBOR_REPORT_SCRIPT, env, bin);
    const read = (f: string) => (fs.existsSync(path.join(state, f)) ? fs.readFileSync(path.join(state, f), 'utf8') : '');
    return { ...result, urls: read('urls').trim().split('\n').filter(Boolean), netrc: read('seen-netrc'), netrcMode: read('seen-netrc-mode').trim(), state };
  }

  test('asks Harbor\'s API for the scanned digest with the robot in a private netrc it removes', () => {
    const r = fetch(['harbor-artifact-high.json']);
    expect(r.status).toBe(0);
    expect(r.urls).toEqual([`https://${HOST}/api/v2.0/projects/payments/repositories/ledger/artifacts/${IMAGE_DIGEST}?with_scan_overview=true`]);
    expect(r.netrc).toBe(`machine ${HOST} login robot$payments+pull password s3cret\n`);
    expect(r.netrcMode).toBe('600');
    expect(fs.existsSync(path.join(r.state, 'netrc'))).toBe(false);
    expect(fs.readFileSync(path.join(r.state, 'report.json'), 'utf8')).toContain('"scan_status": "Success"');
  });

  test('encodes a nested repository twice, as Harbor wants', () => {
    const r = fetch(['harbor-artifact-clean.json'], { IMAGE: `${HOST}/payments/team/ledger@${IMAGE_DIGEST}` });
    expect(r.urls[0]).toContain('/projects/payments/repositories/team%252Fledger/artifacts/');
  });

  test('waits while Harbor scans, and gives up after ATTEMPTS reads', () => {
    const waited = fetch(['harbor-artifact-running.json', 'harbor-artifact-high.json']);
    expect(waited.status).toBe(0);
    expect(waited.urls).toHaveLength(2);
    const gaveUp = fetch(['harbor-artifact-running.json'], { ATTEMPTS: '3' });
    expect(gaveUp.status).toBe(3);
    expect(gaveUp.urls).toHaveLength(3);
    expect(gaveUp.stderr).toContain('has not finished scanning');
  });

  test.each([
    [`${HOST}/payments/ledger:1.0`, 'not pinned by digest'],
    [`registry.evil.example/payments/ledger@${IMAGE_DIGEST}`, 'not on the platform registry'],
    [`${HOST}/ledger@${IMAGE_DIGEST}`, 'names no repository inside a project'],
  ])('refuses %s (%s) before any request', (image, message) => {
    const r = fetch(['harbor-artifact-clean.json'], { IMAGE: image });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.urls).toEqual([]);
  });
});

describe('security-scan: fetching the source artifact', () => {
  const run = flow.runs['security-scan'];
  const src = tmp();
  fs.mkdirSync(path.join(src, 'app'));
  fs.writeFileSync(path.join(src, 'app', 'pom.xml'), '<project/>');
  const tarball = path.join(tmp(), 'artifact.tar.gz');
  spawnSync('tar', ['-czf', tarball, '-C', src, '.']);
  const bin = fakeBin('curl', `while [ $# -gt 0 ]; do [ "$1" = --output ] && out="$2"; shift; done; [ "$FAIL" = 1 ] && exit 22; cp "${tarball}" "$out"`);

  test('downloads and unpacks the artifact Flux serves', () => {
    const work = tmp();
    const r = sh(FETCH_SOURCE_SCRIPT, { ...stepEnv(run, 'fetch-source'), WORK: work }, bin);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(work, 'source', 'app', 'pom.xml'), 'utf8')).toBe('<project/>');
    expect(r.stdout).toContain('fetched revision main@sha1:');
  });

  test('refuses a URL that is not http(s), and fails when the download fails', () => {
    expect(sh(FETCH_SOURCE_SCRIPT, { ...stepEnv(run, 'fetch-source'), WORK: tmp(), SOURCE_URL: 'file:///etc/passwd' }, bin).status).toBe(2);
    expect(sh(FETCH_SOURCE_SCRIPT, { ...stepEnv(run, 'fetch-source'), WORK: tmp(), FAIL: '1' }, bin).status).not.toBe(0);
  });
});

describe('policy-check: rendering with the scanned image', () => {
  const run = flow.runs['policy-check'];
  const repo = `${HOST}/payments/ledger`;
  const render = (overrides: { [k: string]: string } = {}) => {
    const file = path.join(tmp(), 'config.yaml');
    const r = sh(RENDER_SCRIPT, { ...stepEnv(run, 'render'), CONFIG_FILE: file, ...overrides });
    return { ...r, file, text: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '' };
  };
  const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON());

  test('replaces the application image with the digest and nothing else', () => {
    const r = render();
    expect(r.status).toBe(0);
    const [deployment, service] = docs(r.text);
    const [expectedDeployment, expectedService] = flow.setup.workload.platformConfig();
    expect(deployment.spec.template.spec.containers[0].image).toBe(`${repo}@${IMAGE_DIGEST}`);
    expectedDeployment.spec.template.spec.containers[0].image = `${repo}@${IMAGE_DIGEST}`;
    expect(deployment).toEqual(expectedDeployment);
    expect(service).toEqual(expectedService);
    expect(r.stdout).toContain('rendered 2 objects');
  });

  test('the rendered objects are valid and pass the bundled policies the synth-time evaluator runs', () => {
    const r = render();
    const bundle = flow.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'secure-web-policies');
    const policies = Object.values(bundle.data as { [f: string]: string }).flatMap(docs);
    expect(policies.filter((p) => p.kind === 'Namespace').map((p) => p.metadata.name)).toEqual(['payments']);
    const judge = (objects: any[]) => evaluatePolicies([...policies, ...objects].map((json, i) => ({ json, path: `doc${i}` })))
      .violations.filter((v) => v.enforcement === 'deny');
    expect(judge(docs(r.text))).toEqual([]);
    // The same bundle refuses what admission refuses: a privileged container.
    const bad = docs(r.text);
    bad[0].spec.template.spec.containers[0].securityContext.privileged = true;
    expect(judge(bad).map((v) => v.constraintKind)).toContain('DevSecOpsPrivilegedContainers');
    if (HAS_SHARED) {
      const dir = tmp();
      fs.writeFileSync(path.join(dir, 'namespace.yaml'), bundle.data['namespace.yaml']);
      fs.copyFileSync(r.file, path.join(dir, 'config.yaml'));
      expect(kubeValidate(dir)).toMatch(/ 0 errors/);
    }
  });

  test.each([
    ['an image of another repository', { IMAGE: `${HOST}/payments/other@${IMAGE_DIGEST}` }, 'is not a digest of'],
    ['a short digest', { IMAGE: `${repo}@sha256:abc` }, 'no sha256 digest of 64'],
    ['a digest with upper-case hex', { IMAGE: `${repo}@sha256:${'A'.repeat(64)}` }, 'no sha256 digest of 64'],
  ])('refuses %s', (_what, overrides, message) => {
    const r = render(overrides);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('refuses a Deployment naming the repository other than once', () => {
    const env = stepEnv(run, 'render');
    const twice = env.DEPLOYMENT.replace('"containers":[', `"containers":[{"image":"${repo}","name":"sidecar"},`);
    const none = env.DEPLOYMENT.split(`"image":"${repo}"`).join('"image":"busybox:1"');
    expect(render({ DEPLOYMENT: twice }).stderr).toContain('names image harbor.bank.example/payments/ledger 2 times');
    expect(render({ DEPLOYMENT: none }).status).toBe(2);
  });
});

describe('deployer: the git writer', () => {
  const run = flow.runs.deployer;

  function gitops(): string {
    const root = tmp();
    const bare = path.join(root, 'gitops.git');
    const git = (args: string[], cwd = root) => spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: '1' } });
    git(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const seed = path.join(root, 'seed');
    git(['clone', '--quiet', bare, seed]);
    fs.writeFileSync(path.join(seed, 'README.md'), 'gitops\n');
    git(['add', '.'], seed);
    git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init'], seed);
    git(['push', '--quiet', 'origin', 'HEAD:main'], seed);
    return bare;
  }

  gitTest('commits exactly the bytes policy-check judged, once', () => {
    const bare = gitops();
    const sshDir = tmp();
    fs.writeFileSync(path.join(sshDir, 'ssh-privatekey'), 'not used by file://');
    const env = { ...stepEnv(run, 'write'), GITOPS_URL: `file://${bare}`, GIT_SSH_DIR: sshDir, GIT_CONFIG_NOSYSTEM: '1' };
    const first = sh(GIT_WRITER_SCRIPT, { ...env, WORK: tmp() });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('pushed clusters/prod/workloads/payments/ledger.yaml');
    const show = (ref: string) => spawnSync('git', ['--git-dir', bare, 'show', ref], { encoding: 'utf8' }).stdout;
    const judged = path.join(tmp(), 'config.yaml');
    sh(RENDER_SCRIPT, { ...stepEnv(flow.runs['policy-check'], 'render'), CONFIG_FILE: judged });
    expect(show('main:clusters/prod/workloads/payments/ledger.yaml')).toBe(fs.readFileSync(judged, 'utf8'));
    expect(show('main')).toContain(`Deploy payments/ledger ${HOST}/payments/ledger@${IMAGE_DIGEST}`);

    const again = sh(GIT_WRITER_SCRIPT, { ...env, WORK: tmp() });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already up to date');
    expect(spawnSync('git', ['--git-dir', bare, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).stdout.trim()).toBe('2');
  });

  test('refuses an https target without credentials before touching git', () => {
    const r = sh(GIT_WRITER_SCRIPT, { ...stepEnv(run, 'write'), WORK: tmp() }, fakeBin('git', 'echo "git must not run" >&2; exit 99'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no username or password');
  });

  test('refuses to write a configuration it cannot render', () => {
    const r = sh(GIT_WRITER_SCRIPT, { ...stepEnv(run, 'write'), WORK: tmp(), IMAGE: `${HOST}/payments/ledger:latest` }, fakeBin('git', 'exit 99'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('render:');
  });
});

test('the fixtures exercise the gate through the stamped TaskRun step', () => {
  expect(stepOf(flow.runs['security-scan'], 'gate').args.at(-1)).toBe('/workspace/work/grype.json');
  expect(stepOf(flow.runs['image-scan'], 'gate').args.at(-1)).toBe('/workspace/work/harbor-report.json');
});
