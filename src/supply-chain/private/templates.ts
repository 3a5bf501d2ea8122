/**
 * The bodies of the chain's Cartographer templates and run templates: plain JSON with
 * Cartographer's `$(...)$` tags (a tag that is a whole string is replaced by the value it points
 * at; a tag inside a longer string by the value's text, JSON for objects). Tekton's own
 * `$(params.x)` references have no closing `$` and pass through Cartographer untouched.
 */
import { FETCH_HARBOR_REPORT_SCRIPT, FETCH_SOURCE_SCRIPT, GIT_WRITER_SCRIPT, GRYPE_GATE_PROGRAM, HARBOR_GATE_PROGRAM, RENDER_SCRIPT } from './scripts';
import { Image } from '../../imports/kpack-kpack.io';
import { RegistrySeverities, RegistrySeverity } from '../../registry/severity';
import { PlatformLabels } from '../../tenancy/labels';
import { SupplyChainTool, SupplyChainToolImages } from '../tool-images';

/** Names of everything one chain writes, derived once from the chain's name. */
export interface ChainNames {
  readonly chain: string;
  readonly sourceTemplate: string;
  readonly scanTemplate: string;
  readonly imageTemplate: string;
  readonly imageScanTemplate: string;
  readonly policyTemplate: string;
  readonly deployTemplate: string;
  readonly grypeRun: string;
  readonly harborRun: string;
  readonly gatorRun: string;
  readonly gitRun: string;
  /** Per namespace: the tool pods' ServiceAccount, the policy bundle, the settings, the Role. */
  readonly toolsServiceAccount: string;
  readonly policyBundle: string;
  readonly settings: string;
  readonly stamperRole: string;
}

export function chainNames(chain: string): ChainNames {
  return {
    chain,
    sourceTemplate: `${chain}-source`,
    scanTemplate: `${chain}-source-scan`,
    imageTemplate: `${chain}-image`,
    imageScanTemplate: `${chain}-image-scan`,
    policyTemplate: `${chain}-policy-check`,
    deployTemplate: `${chain}-deployer`,
    grypeRun: `${chain}-grype`,
    harborRun: `${chain}-harbor-report`,
    gatorRun: `${chain}-gator`,
    gitRun: `${chain}-git-writer`,
    toolsServiceAccount: `${chain}-tools`,
    policyBundle: `${chain}-policies`,
    settings: `${chain}-settings`,
    stamperRole: `${chain}-stamper`,
  };
}

/** Label of the per-namespace settings ConfigMap image-scan's Runnable selects (value: the chain). */
export const SETTINGS_LABEL = `${PlatformLabels.PREFIX}/supply-chain-settings`;
/** Keys of the settings ConfigMap. */
export const SETTINGS_KEYS = { username: 'harbor-robot', secretName: 'harbor-robot-ref-name', secretKey: 'harbor-robot-ref-key' } as const;
/** Label Cartographer puts on every object a Runnable stamps, and Tekton on the TaskRun's pod. */
export const RUN_TEMPLATE_LABEL = 'carto.run/run-template-name';
/** Files of the policy bundle ConfigMap, in the order gator reads them. */
export const BUNDLE_FILES = ['templates.yaml', 'expansions.yaml', 'constraints.yaml', 'namespace.yaml'] as const;

/** What the template bodies need from the chain. */
export interface TemplateContext {
  readonly names: ChainNames;
  readonly severity: RegistrySeverity;
  readonly registryHost: string;
  readonly builderName: string;
  readonly buildServiceAccountName: string;
  readonly tools: SupplyChainToolImages;
  readonly vulnerabilityDatabaseUrl: string;
  readonly sourceCredentialsSecretName?: string;
  /** Whether the workloads carry a Service (WEB) after the Deployment in `platform-config`. */
  readonly withService: boolean;
  readonly deploy: {
    readonly url: string;
    readonly ssh: boolean;
    readonly branch: string;
    readonly path: string;
    readonly secretName: string;
    readonly authorName: string;
    readonly authorEmail: string;
  };
}

const MANAGED = { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
const WORKLOAD = '$(workload.metadata.name)$';
const MOUNT = '/workspace/work';

/** Restricted Pod Security for every step; the tools write only to emptyDir volumes. */
const STEP_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

const POD_TEMPLATE = {
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  automountServiceAccountToken: false,
  // No service environment variables: the JSON payloads are the first variables of each step,
  // so a `$(VAR)` inside them has nothing to expand to.
  enableServiceLinks: false,
};

function resources(cpu: string, memory: string, cpuLimit: string, memoryLimit: string) {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

const SMALL = resources('50m', '64Mi', '500m', '256Mi');

function env(vars: Array<[string, string]>): Array<{ name: string; value: string }> {
  return vars.map(([name, value]) => ({ name, value }));
}

const WORK_VOLUMES = [
  { name: 'work', emptyDir: { sizeLimit: '4Gi' } },
  { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
];
const WORK_MOUNTS = [{ name: 'work', mountPath: MOUNT }, { name: 'tmp', mountPath: '/tmp' }];

/**
 * One step. Steps without a script name their command, so Tekton need not read the image's
 * entrypoint from the registry (the tools' images: /grype, /jq, /gator).
 */
function step(name: string, image: string, rest: { [key: string]: unknown }, computeResources = SMALL, extraMounts: unknown[] = []) {
  return { name, image, ...rest, volumeMounts: [...WORK_MOUNTS, ...extraMounts], securityContext: STEP_SECURITY, computeResources };
}

function taskRun(stage: string, params: Array<[string, string]>, taskSpec: { [key: string]: unknown }, serviceAccount: string, timeout: string) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { generateName: '$(runnable.metadata.name)$-', labels: { ...MANAGED, [`${PlatformLabels.PREFIX}/supply-chain-stage`]: stage } },
    spec: {
      serviceAccountName: serviceAccount,
      timeout,
      podTemplate: { ...POD_TEMPLATE, nodeSelector: '$(runnable.spec.inputs.node-selector)$', tolerations: '$(runnable.spec.inputs.tolerations)$' },
      params: params.map(([name, value]) => ({ name, value })),
      taskSpec: { params: params.map(([name]) => ({ name, type: 'string' })), ...taskSpec },
    },
  };
}

/**
 * The workload's node-pool placement (`node-selector`, `tolerations`: Workload parameters the
 * library writes when the runtime layer places the workload's tier on a pool), declared by every
 * template that stamps pods so the chain's tool pods and kpack build pods run on the tenant's pool
 * too. Empty by default: no placement.
 */
const PLACEMENT_PARAMS = [{ name: 'node-selector', default: {} }, { name: 'tolerations', default: [] }];
const PLACEMENT_INPUTS = { 'node-selector': '$(params.node-selector)$', 'tolerations': '$(params.tolerations)$' };

function runnable(stage: string, runTemplate: string, inputs: { [key: string]: unknown }, extra: { [key: string]: unknown } = {}) {
  return {
    apiVersion: 'carto.run/v1alpha1',
    kind: 'Runnable',
    metadata: { name: `${WORKLOAD}-${stage}`, labels: MANAGED },
    spec: {
      runTemplateRef: { kind: 'ClusterRunTemplate', name: runTemplate },
      serviceAccountName: '$(workload.spec.serviceAccountName)$',
      retentionPolicy: { maxFailedRuns: 5, maxSuccessfulRuns: 3 },
      ...extra,
      inputs: { ...inputs, ...PLACEMENT_INPUTS },
    },
  };
}

/** jq arguments of a gate: the threshold as a rank and by name, the program, the report. */
function gateArgs(severity: RegistrySeverity, program: string, report: string): string[] {
  return ['--exit-status', '--raw-output', '--argjson', 'threshold', String(RegistrySeverities.rank(severity)), '--arg', 'name', severity, program, report];
}

const paramOutput = (name: string) => `spec.params[?(@.name=="${name}")].value`;

/** source-provider: a Flux GitRepository of the Workload's git source. */
export function sourceProviderSpec(ctx: TemplateContext) {
  return {
    urlPath: '.status.artifact.url',
    revisionPath: '.status.artifact.revision',
    template: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: WORKLOAD, labels: MANAGED },
      spec: {
        url: '$(workload.spec.source.git.url)$',
        ref: '$(workload.spec.source.git.ref)$',
        interval: '1m0s',
        timeout: '60s',
        ...(ctx.sourceCredentialsSecretName ? { secretRef: { name: ctx.sourceCredentialsSecretName } } : {}),
      },
    },
  };
}

/** security-scan: a Runnable of the grype run template; its outputs exist only for a passed gate. */
export function securityScanSpec(ctx: TemplateContext) {
  return {
    params: PLACEMENT_PARAMS,
    urlPath: '.status.outputs.url',
    revisionPath: '.status.outputs.revision',
    template: runnable('security-scan', ctx.names.grypeRun, { url: '$(source.url)$', revision: '$(source.revision)$' }),
  };
}

/** The grype TaskRun: fetch the artifact, scan it, gate on the threshold. */
export function grypeRunSpec(ctx: TemplateContext) {
  const t = ctx.tools;
  return {
    outputs: { url: paramOutput('source-url'), revision: paramOutput('source-revision') },
    template: taskRun('security-scan', [['source-url', '$(runnable.spec.inputs.url)$'], ['source-revision', '$(runnable.spec.inputs.revision)$']], {
      volumes: WORK_VOLUMES,
      steps: [
        step('fetch-source', t.imageOf(SupplyChainTool.CURL), {
          env: env([['SOURCE_URL', '$(params.source-url)'], ['SOURCE_REVISION', '$(params.source-revision)'], ['WORK', MOUNT]]),
          script: FETCH_SOURCE_SCRIPT,
        }),
        step('scan', t.imageOf(SupplyChainTool.GRYPE), {
          command: ['/grype'],
          args: [`dir:${MOUNT}/source`, '--output', 'json', '--file', `${MOUNT}/grype.json`],
          env: env([
            ['GRYPE_DB_UPDATE_URL', ctx.vulnerabilityDatabaseUrl],
            ['GRYPE_DB_CACHE_DIR', `${MOUNT}/grype-db`],
            ['GRYPE_DB_AUTO_UPDATE', 'true'],
            ['GRYPE_DB_VALIDATE_AGE', 'true'],
            ['GRYPE_CHECK_FOR_APP_UPDATE', 'false'],
            ['TMPDIR', '/tmp'],
          ]),
        }, resources('500m', '1Gi', '2', '3Gi')),
        step('gate', t.imageOf(SupplyChainTool.JQ), { command: ['/jq'], args: gateArgs(ctx.severity, GRYPE_GATE_PROGRAM, `${MOUNT}/grype.json`) }),
      ],
    }, ctx.names.toolsServiceAccount, '30m'),
  };
}

/** image-builder: a kpack Image of the scanned source, signed (the build account carries the cosign key). */
export function imageBuilderSpec(ctx: TemplateContext) {
  const spec = {
    params: [{ name: 'image-repository', default: '' }, { name: 'source-sub-path', default: '' }, ...PLACEMENT_PARAMS],
    imagePath: '.status.latestImage',
    template: Image.manifest({
      metadata: { name: WORKLOAD, labels: { ...MANAGED, [PlatformLabels.TENANT]: '$(workload.metadata.namespace)$' } },
      spec: {
        tag: '$(params.image-repository)$',
        builder: { kind: 'ClusterBuilder', name: ctx.builderName },
        serviceAccountName: ctx.buildServiceAccountName,
        source: { blob: { url: '$(source.url)$' }, subPath: '$(params.source-sub-path)$' },
        cosign: { annotations: [{ name: PlatformLabels.TENANT, value: '$(workload.metadata.namespace)$' }] },
      },
    }),
  };
  // kpack's build pods run on the workload's node pool: whole-value expressions, which Cartographer
  // replaces with the parameters' object and list (the typed class cannot hold them).
  spec.template.spec.build = { nodeSelector: '$(params.node-selector)$', tolerations: '$(params.tolerations)$' };
  return spec;
}

/** image-scan: a Runnable of the Harbor report run template, selecting the namespace's settings. */
export function imageScanSpec(ctx: TemplateContext) {
  return {
    params: PLACEMENT_PARAMS,
    imagePath: '.status.outputs.image',
    template: runnable('image-scan', ctx.names.harborRun, { image: '$(image)$' }, {
      selector: { resource: { apiVersion: 'v1', kind: 'ConfigMap' }, matchingLabels: { [SETTINGS_LABEL]: ctx.names.chain } },
    }),
  };
}

/** The Harbor report TaskRun: read the scan overview of the digest with the tenant's robot, gate. */
export function harborRunSpec(ctx: TemplateContext) {
  const t = ctx.tools;
  return {
    outputs: { image: paramOutput('image') },
    template: taskRun('image-scan', [['image', '$(runnable.spec.inputs.image)$']], {
      volumes: WORK_VOLUMES,
      steps: [
        step('fetch-report', t.imageOf(SupplyChainTool.CURL), {
          env: [
            ...env([
              ['IMAGE', '$(params.image)'],
              ['REGISTRY_HOST', ctx.registryHost],
              ['REPORT', `${MOUNT}/harbor-report.json`],
              ['WORK', MOUNT],
              ['ATTEMPTS', '60'],
              ['INTERVAL', '10'],
              ['HARBOR_USERNAME', `$(selected.data.${SETTINGS_KEYS.username})$`],
            ]),
            {
              name: 'HARBOR_PASSWORD',
              valueFrom: { secretKeyRef: { name: `$(selected.data.${SETTINGS_KEYS.secretName})$`, key: `$(selected.data.${SETTINGS_KEYS.secretKey})$` } },
            },
          ],
          script: FETCH_HARBOR_REPORT_SCRIPT,
        }),
        step('gate', t.imageOf(SupplyChainTool.JQ), { command: ['/jq'], args: gateArgs(ctx.severity, HARBOR_GATE_PROGRAM, `${MOUNT}/harbor-report.json`) }),
      ],
    }, ctx.names.toolsServiceAccount, '20m'),
  };
}

/** The objects of `platform-config`, each as `---` and its JSON (Cartographer serializes a tag inside a string). */
function configInputs(ctx: TemplateContext): { [key: string]: string } {
  return {
    deployment: '---\n$(params.platform-config[0])$',
    ...(ctx.withService ? { service: '---\n$(params.platform-config[1])$' } : {}),
  };
}

/** policy-check: a Runnable of the gator run template; its outputs are the judged inputs. */
export function policyCheckSpec(ctx: TemplateContext) {
  return {
    params: [{ name: 'platform-config', default: [] }, { name: 'image-repository', default: '' }, ...PLACEMENT_PARAMS],
    configPath: '.status.outputs',
    template: runnable('policy-check', ctx.names.gatorRun, {
      'image': '$(image)$',
      'image-repository': '$(params.image-repository)$',
      ...configInputs(ctx),
    }),
  };
}

function configParams(ctx: TemplateContext, from: string): Array<[string, string]> {
  return [
    ['image', `$(${from}.image)$`],
    ['image-repository', `$(${from}.image-repository)$`],
    ['deployment', `$(${from}.deployment)$`],
    ...(ctx.withService ? [['service', `$(${from}.service)$`] as [string, string]] : []),
  ];
}

/** The payload variables, first in every rendering step (see POD_TEMPLATE). */
function configEnv(ctx: TemplateContext): Array<[string, string]> {
  return [
    ['DEPLOYMENT', '$(params.deployment)'],
    ['SERVICE', ctx.withService ? '$(params.service)' : ''],
    ['IMAGE', '$(params.image)'],
    ['IMAGE_REPOSITORY', '$(params.image-repository)'],
  ];
}

/** The gator TaskRun: render with the scanned image, judge with the bundled policies. */
export function gatorRunSpec(ctx: TemplateContext) {
  const t = ctx.tools;
  const params = configParams(ctx, 'runnable.spec.inputs');
  return {
    outputs: Object.fromEntries(params.map(([name]) => [name, paramOutput(name)])),
    template: taskRun('policy-check', params, {
      volumes: [...WORK_VOLUMES, { name: 'policies', configMap: { name: ctx.names.policyBundle } }],
      steps: [
        step('render', t.imageOf(SupplyChainTool.GIT), {
          env: env([...configEnv(ctx), ['CONFIG_FILE', `${MOUNT}/config.yaml`]]),
          script: RENDER_SCRIPT,
        }),
        step('gator', t.imageOf(SupplyChainTool.GATOR), {
          command: ['/gator'],
          args: ['test', `--filename=${MOUNT}/config.yaml`, ...BUNDLE_FILES.map((f) => `--filename=/policies/${f}`)],
          env: env([['TMPDIR', '/tmp']]),
        }, resources('100m', '128Mi', '1', '512Mi'), [{ name: 'policies', mountPath: '/policies', readOnly: true }]),
      ],
    }, ctx.names.toolsServiceAccount, '10m'),
  };
}

/** deployer: a Runnable of the git writer, given policy-check's judged inputs as one config. */
export function deployerSpec(ctx: TemplateContext) {
  return {
    params: PLACEMENT_PARAMS,
    template: runnable('deployer', ctx.names.gitRun, { config: '$(config)$', workload: WORKLOAD }),
  };
}

/** The git writer TaskRun: render the judged inputs again (same bytes) and commit them. */
export function gitRunSpec(ctx: TemplateContext) {
  const t = ctx.tools;
  const d = ctx.deploy;
  const params: Array<[string, string]> = [...configParams(ctx, 'runnable.spec.inputs.config'), ['workload-name', '$(runnable.spec.inputs.workload)$']];
  const credentials = d.ssh
    ? { volume: { name: 'git-credentials', secret: { secretName: d.secretName, defaultMode: 0o400 } }, env: [['GIT_SSH_DIR', '/git-credentials']] as Array<[string, string]> }
    : { volume: undefined, env: [] as Array<[string, string]> };
  const secretEnv = d.ssh ? [] : ['username', 'password'].map((key) => ({
    name: `GIT_${key.toUpperCase()}`,
    valueFrom: { secretKeyRef: { name: d.secretName, key } },
  }));
  return {
    template: taskRun('deployer', params, {
      volumes: [...WORK_VOLUMES, ...(credentials.volume ? [credentials.volume] : [])],
      steps: [
        step('write', t.imageOf(SupplyChainTool.GIT), {
          env: [
            ...env([
              ...configEnv(ctx),
              ['WORK', MOUNT],
              ['GITOPS_URL', d.url],
              ['GITOPS_BRANCH', d.branch],
              ['GITOPS_PATH', d.path],
              ['WORKLOAD_NAME', '$(params.workload-name)'],
              ['WORKLOAD_NAMESPACE', '$(context.taskRun.namespace)'],
              ['GIT_AUTHOR_NAME', d.authorName],
              ['GIT_AUTHOR_EMAIL', d.authorEmail],
              ...credentials.env,
            ]),
            ...secretEnv,
          ],
          script: GIT_WRITER_SCRIPT,
        }, SMALL, credentials.volume ? [{ name: 'git-credentials', mountPath: '/git-credentials', readOnly: true }] : []),
      ],
    }, ctx.names.toolsServiceAccount, '10m'),
  };
}
