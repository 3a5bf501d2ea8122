/**
 * A projen project type for platform repositories: the repository a platform team keeps its
 * `DevSecOpsPlatform` program in, whose synthesized manifests Flux or Argo CD apply.
 *
 * This module is the package's `cdk8s-devsecops/projen` entry point. It is not part of the jsii
 * API (projen runs it with Node in the platform repository, never through another language) and it
 * loads `projen` from the platform repository, whose toolchain runs it.
 */
import { cdk8s, javascript, SampleFile } from 'projen';
import { LIBRARY as lib, PLATFORM_TYPESCRIPT, testedVersion as tested } from './library';
import { mainSample, platformSample, testSample } from './samples';

/** Options of a platform repository. */
export interface DevSecOpsPlatformProjectOptions extends Omit<cdk8s.Cdk8sTypeScriptAppOptions,
'cdk8sVersion' | 'defaultReleaseBranch'> {
  /**
   * The npm version spec of cdk8s-devsecops the platform depends on.
   * @default - `^` this library's version
   */
  readonly devsecopsVersion?: string;
  /**
   * cdk8s version.
   * @default - the version this library is built and tested with
   */
  readonly cdk8sVersion?: string;
  /** @default 'main' */
  readonly defaultReleaseBranch?: string;
  /**
   * Folder the manifests are written to. Committed: it is what the GitOps controller applies.
   * @default 'manifests'
   */
  readonly manifestsDir?: string;
  /**
   * Folders beside the manifests that the program writes reports or control-plane files to; the
   * `diff` task compares them too.
   * @default - [`<manifestsDir>-reports`], where the library writes its reports
   */
  readonly reportDirs?: string[];
}

/**
 * A platform repository: `src/main.ts` with a starter platform, TypeScript pinned to a version
 * ts-jest and ts-node can run, `cdk8s.yaml` running the library's Gatekeeper evaluator as a
 * validation plugin, a snapshot test of the whole platform, and the tasks `synth`, `test` and
 * `diff` (what changes in the manifests and reports against the last commit).
 */
export class DevSecOpsPlatformProject extends cdk8s.Cdk8sTypeScriptApp {
  /** Folder the manifests are written to. */
  public readonly manifestsDir: string;
  /** Folders of reports and control-plane files. */
  public readonly reportDirs: string[];

  constructor(options: DevSecOpsPlatformProjectOptions) {
    const manifestsDir = options.manifestsDir ?? 'manifests';
    const reportDirs = options.reportDirs ?? [`${manifestsDir}-reports`];
    super({
      defaultReleaseBranch: 'main',
      cdk8sVersion: tested('cdk8s'),
      constructsVersion: tested('constructs'),
      cdk8sCliVersion: tested('cdk8s-cli'),
      k8sMinorVersion: 28,
      cdk8sPlusVersion: tested('cdk8s-plus-28'),
      // Exactly the versions this library was tested with; upgrading them is a reviewed change.
      cdk8sVersionPinning: true,
      constructsVersionPinning: true,
      cdk8sPlusVersionPinning: true,
      cdk8sCliVersionPinning: true,
      typescriptVersion: PLATFORM_TYPESCRIPT,
      // Without it projen asks npm for a non-existent `@types/node@ts5.9`.
      minNodeVersion: '20.0.0',
      packageManager: javascript.NodePackageManager.NPM,
      projenrcTs: true,
      github: false,
      release: false,
      // A snapshot change is reviewed like code: `test` never rewrites one (`test:update` does).
      jestOptions: { updateSnapshot: javascript.UpdateSnapshot.NEVER },
      // `test` checks; it never rewrites sources.
      eslintOptions: { dirs: ['src', 'test'], commandOptions: { fix: false } },
      ...options,
      sampleCode: false,
    });
    this.manifestsDir = manifestsDir;
    this.reportDirs = reportDirs;

    this.addDeps(`${lib.name}@${options.devsecopsVersion ?? `^${lib.version}`}`);

    // cdk8s.yaml: the output folder, and the evaluator as a validation plugin, loaded from the
    // version the platform depends on (a local path: no second install, no version drift).
    const cdk8sYaml = this.tryFindObjectFile('cdk8s.yaml')!;
    cdk8sYaml.addOverride('output', manifestsDir);
    cdk8sYaml.addDeletionOverride('imports');
    cdk8sYaml.addOverride('validations', [{
      package: `./node_modules/${lib.name}`,
      version: lib.version,
      class: 'GatekeeperValidationPlugin',
    }]);
    // The manifests are the GitOps source: committed, unlike projen's build artifacts.
    this.gitignore.include(`/${manifestsDir}/`);
    for (const dir of reportDirs) this.gitignore.include(`/${dir}/`);

    // synth compiles first, so `npx projen synth` never runs a stale lib/main.js. (No
    // CDK8S_RECORD_CONSTRUCT_METADATA: cdk8s-cli would write construct-metadata.json among the
    // manifests, which `kubectl apply -f` and Flux read as an object. The in-process policy gate
    // already names the construct of every violation.)
    const synth = this.tasks.tryFind('synth')!;
    synth.reset();
    synth.spawn(this.compileTask);
    synth.exec('cdk8s synth --no-check-upgrade');

    this.addTask('diff', {
      description: `What synth changes in ${[manifestsDir, ...reportDirs].join(', ')} against the last commit`,
      steps: [
        { spawn: 'synth' },
        { exec: `node ./node_modules/${lib.name}/lib/projen/platform-diff.js ${[manifestsDir, ...reportDirs].join(' ')}` },
      ],
    });

    new SampleFile(this, 'src/platform.ts', { contents: platformSample() });
    new SampleFile(this, `src/${this.appEntrypoint}`, { contents: mainSample() });
    new SampleFile(this, 'test/platform.test.ts', { contents: testSample() });
  }
}
