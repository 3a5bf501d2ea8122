#!/usr/bin/env node
/**
 * `npx cdk8s-devsecops new-platform <folder>`: starts a platform repository in one command.
 *
 * It writes a `.projenrc.ts` using `DevSecOpsPlatformProject`, installs projen and this library,
 * lets projen write the project (src/main.ts, cdk8s.yaml, the test, the tasks), records the first
 * snapshot and synthesizes once. Needs only the npm registry.
 *
 * Options:
 *   --name <name>                   package name of the repository (default: the folder's name)
 *   --devsecops-version <spec>      npm spec of cdk8s-devsecops to depend on (default: ^<this version>)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LIBRARY, PLATFORM_TYPESCRIPT, testedVersion } from './library';

const USAGE = 'usage: cdk8s-devsecops new-platform <folder> [--name <name>] [--devsecops-version <npm spec>]';

function fail(message: string): never {
  console.error(`cdk8s-devsecops: ${message}`);
  process.exit(2);
}

/** A single-quoted TypeScript string literal (the house lint style). */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function run(cwd: string, command: string, args: string[]): void {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  // Without CI: under CI=true projen installs with `npm ci`, which refuses the lock file of a
  // project it is creating right now.
  const env = { ...process.env };
  delete env.CI;
  execFileSync(command, args, { cwd, stdio: 'inherit', env });
}

function newPlatform(argv: string[]): void {
  const opts: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--name' || a === '--devsecops-version') {
      if (i + 1 >= argv.length) fail(`${a} needs a value; ${USAGE}`);
      opts[a.slice(2)] = argv[++i];
    } else if (a.startsWith('-')) {
      fail(`unknown option ${a}; ${USAGE}`);
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) fail(`name the folder of the new platform repository; ${USAGE}`);
  const dir = path.resolve(positional[0]);
  const name = opts.name ?? path.basename(dir);
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) {
    fail(`'--name' must be a valid npm package name, got "${name}"; pass --name <lowercase-name>`);
  }
  for (const f of ['package.json', '.projenrc.ts', '.projenrc.js']) {
    if (fs.existsSync(path.join(dir, f))) fail(`${dir} already holds ${f}; run new-platform in a new or empty folder`);
  }

  const spec: string = opts['devsecops-version'] ?? `^${LIBRARY.version}`;

  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), [
    "import { DevSecOpsPlatformProject } from 'cdk8s-devsecops/projen';",
    '',
    'const project = new DevSecOpsPlatformProject({',
    `  name: ${quote(name)},`,
    `  devsecopsVersion: ${quote(spec)},`,
    '});',
    '',
    'project.synth();',
    '',
  ].join('\n'));
  // Just enough for projen to run .projenrc.ts; projen then owns package.json.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name,
    private: true,
    devDependencies: {
      'cdk8s-devsecops': spec,
      'projen': testedVersion('projen'),
      'ts-node': testedVersion('ts-node'),
      'typescript': PLATFORM_TYPESCRIPT,
    },
  }, undefined, 2) + '\n');

  run(dir, 'npm', ['install', '--no-audit', '--no-fund']);
  // The first projen synthesis (later ones are `npx projen`, once .projen/tasks.json exists).
  run(dir, 'npx', ['ts-node', '--transpile-only', '-O', '{"module":"commonjs","moduleResolution":"node"}', '.projenrc.ts']);
  // The first snapshot of the platform; from now on `npx projen test` never rewrites it.
  run(dir, 'npx', ['projen', 'test:update']);
  run(dir, 'npx', ['projen', 'synth']);
  console.log(`\nplatform repository ready in ${dir}:`
    + '\n  src/platform.ts   your platform (tenants, registry, policies)'
    + '\n  npx projen synth  writes manifests/ (commit it: it is what Flux applies) and manifests-reports/'
    + '\n  npx projen test   snapshot and checks of the whole platform'
    + '\n  npx projen diff   what a change does to the manifests and reports');
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === 'new-platform') return newPlatform(rest);
  fail(command ? `unknown command ${command}; ${USAGE}` : USAGE);
}

main(process.argv.slice(2));
