import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import { DevSecOpsPlatformProject } from '../../src/projen';

const LIB = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

function project(options: Partial<ConstructorParameters<typeof DevSecOpsPlatformProject>[0]> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-project-'));
  const p = new DevSecOpsPlatformProject({ name: 'bank-platform', outdir, ...options });
  return { p, files: Testing.synth(p) };
}

function taskSteps(files: Record<string, any>, name: string): any[] {
  return files['.projen/tasks.json'].tasks[name].steps;
}

describe('DevSecOpsPlatformProject', () => {
  const { p, files } = project();

  test('depends on this library and on the toolchain it is tested with', () => {
    const pkg = files['package.json'];
    expect(pkg.dependencies['cdk8s-devsecops']).toBe(`^${LIB.version}`);
    expect(pkg.dependencies.cdk8s).toBe(LIB.devDependencies.cdk8s.replace(/^[~^]/, ''));
    expect(pkg.dependencies['cdk8s-plus-28']).toBe(LIB.devDependencies['cdk8s-plus-28'].replace(/^[~^]/, ''));
    expect(pkg.dependencies.constructs).toBe(LIB.devDependencies.constructs.replace(/^[~^]/, ''));
    // TypeScript pinned below 7 (which ts-jest and ts-node cannot run).
    expect(pkg.devDependencies.typescript).toBe('~5.9.3');
  });

  test('devsecopsVersion sets the dependency spec', () => {
    const custom = project({ devsecopsVersion: 'file:../cdk8s-devsecops.tgz' });
    expect(custom.files['package.json'].dependencies['cdk8s-devsecops']).toBe('file:../cdk8s-devsecops.tgz');
  });

  test('cdk8s.yaml writes to manifests/ and runs the Gatekeeper evaluator as a validation plugin', () => {
    const yaml = files['cdk8s.yaml'];
    expect(yaml).toContain('output: manifests\n');
    expect(yaml).toContain('validations:\n  - package: ./node_modules/cdk8s-devsecops\n');
    expect(yaml).toContain('class: GatekeeperValidationPlugin');
    expect(yaml).not.toContain('imports:');
    expect(p.manifestsDir).toBe('manifests');
  });

  test('the manifests are committed (not ignored), the reports too', () => {
    const ignore: string = files['.gitignore'];
    expect(ignore).toContain('!/manifests/');
    expect(ignore).toContain('!/manifests-reports/');
  });

  test('synth compiles before cdk8s synth; diff synthesizes then compares manifests and reports', () => {
    expect(taskSteps(files, 'synth')).toEqual([{ spawn: 'compile' }, { exec: 'cdk8s synth --no-check-upgrade' }]);
    expect(taskSteps(files, 'diff')).toEqual([
      { spawn: 'synth' },
      { exec: 'node ./node_modules/cdk8s-devsecops/lib/projen/platform-diff.js manifests manifests-reports' },
    ]);
  });

  test('test never rewrites snapshots or sources', () => {
    const steps = JSON.stringify(taskSteps(files, 'test'));
    expect(steps).toContain('--ci');
    expect(steps).not.toContain('--updateSnapshot');
    expect(JSON.stringify(taskSteps(files, 'eslint'))).not.toContain('--fix');
  });

  test('writes a starter platform, its entry point and a snapshot test', () => {
    expect(files['src/platform.ts']).toContain("from 'cdk8s-devsecops'");
    expect(files['src/platform.ts']).toContain('export function buildPlatform(scope: Construct)');
    expect(files['src/main.ts']).toContain('buildPlatform(app);');
    expect(files['test/platform.test.ts']).toContain('app.synthYaml()');
  });

  test('manifestsDir and reportDirs reach cdk8s.yaml and diff', () => {
    const custom = project({ manifestsDir: 'clusters/prod', reportDirs: ['evidence'] });
    expect(custom.files['cdk8s.yaml']).toContain('output: clusters/prod\n');
    expect(taskSteps(custom.files, 'diff')[1].exec).toMatch(/platform-diff\.js clusters\/prod evidence$/);
  });
});

describe('platform-diff', () => {
  const script = path.join(__dirname, '..', '..', 'src', 'projen', 'platform-diff.ts');
  const tsNode = ['-r', require.resolve('ts-node/register/transpile-only'), script];

  function repo(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-diff-'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    fs.mkdirSync(path.join(dir, 'manifests'));
    return dir;
  }
  function commit(dir: string) {
    execFileSync('git', ['add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@invalid', 'commit', '-qm', 'c'], { cwd: dir });
  }
  function diff(dir: string, ...dirs: string[]): string {
    return execFileSync(process.execPath, [...tsNode, ...dirs], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
    });
  }
  const cm = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\ndata:\n  k: ${value}\n`;

  test('reports added, removed and changed objects with the changed fields', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'manifests', 'a.yaml'), cm('one', 'x') + '---\n' + cm('two', 'x'));
    commit(dir);
    fs.writeFileSync(path.join(dir, 'manifests', 'a.yaml'), cm('one', 'y') + '---\n' + cm('three', 'x'));
    const out = diff(dir, 'manifests');
    expect(out).toContain('manifests/a.yaml: changed');
    expect(out).toContain('  ~ ConfigMap a/one (v1): data.k');
    expect(out).toContain('  - ConfigMap a/two (v1)');
    expect(out).toContain('  + ConfigMap a/three (v1)');
    expect(out).toContain('objects: 1 added, 1 changed, 1 removed');
  });

  test('says so when nothing changed, and sees new report files', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'manifests', 'a.yaml'), cm('one', 'x'));
    commit(dir);
    expect(diff(dir, 'manifests', 'reports')).toContain('no change in manifests, reports against the last commit');
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.writeFileSync(path.join(dir, 'reports', 'policy-report.json'), '{}\n');
    expect(diff(dir, 'manifests', 'reports')).toContain('reports/policy-report.json: added');
  });
});

describe('cdk8s-devsecops new-platform', () => {
  const cli = path.join(__dirname, '..', '..', 'src', 'projen', 'cli.ts');
  function run(args: string[], cwd: string): { status: number; stderr: string } {
    try {
      execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), cli, ...args], {
        cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
      });
      return { status: 0, stderr: '' };
    } catch (e: any) {
      return { status: e.status, stderr: e.stderr };
    }
  }

  test('fails if the folder already holds a project, and writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'new-platform-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    const r = run(['new-platform', dir, '--name', 'bank-platform'], os.tmpdir());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${dir} already holds package.json; run new-platform in a new or empty folder`);
    expect(fs.readdirSync(dir)).toEqual(['package.json']);
  });

  test('fails on a name npm refuses, and on unknown commands or options', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'new-platform-')), 'Bank Platform');
    const r = run(['new-platform', dir], os.tmpdir());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'--name' must be a valid npm package name, got \"Bank Platform\"; pass --name <lowercase-name>");
    expect(fs.existsSync(dir)).toBe(false);
    expect(run(['init'], os.tmpdir()).stderr).toContain('unknown command init; usage: cdk8s-devsecops new-platform <folder>');
    expect(run(['new-platform', dir, '--force'], os.tmpdir()).stderr).toContain('unknown option --force');
  });
});
