import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { stamp } from './cartographer';
import { HOST, PINNED_GATOR } from './fixtures';
import { ARTIFACT_SHA, IMAGE_DIGEST, runFlow, stepEnv, stepOf } from './flow';
import { SupplyChainTool, SupplyChainToolImages, WorkloadType } from '../../src';
import {
  FETCH_HARBOR_REPORT_SCRIPT, FETCH_SOURCE_SCRIPT, GIT_WRITER_SCRIPT, GRYPE_GATE_PROGRAM, HARBOR_GATE_PROGRAM, RENDER_SCRIPT,
} from '../../src/supply-chain/private/scripts';
import { HAS_SHARED, kubeValidate } from '../util';

const flow = runFlow();
const STAGES = ['source-provider', 'security-scan', 'image-builder', 'image-scan', 'policy-check', 'deployer'];

describe('the ClusterSupplyChain', () => {
  const chain = flow.objects.find((o) => o.kind === 'ClusterSupplyChain');

  test('lists the seed\'s six stages in order, each with its template kind and the output it consumes', () => {
    expect(chain.apiVersion).toBe('carto.run/v1alpha1');
    expect(chain.spec.resources.map((r: any) => r.name)).toEqual(STAGES);
    expect(chain.spec.resources.map((r: any) => r.templateRef)).toEqual([
      { kind: 'ClusterSourceTemplate', name: 'secure-web-source' },
      { kind: 'ClusterSourceTemplate', name: 'secure-web-source-scan' },
      { kind: 'ClusterImageTemplate', name: 'secure-web-image' },
      { kind: 'ClusterImageTemplate', name: 'secure-web-image-scan' },
      { kind: 'ClusterConfigTemplate', name: 'secure-web-policy-check' },
      { kind: 'ClusterTemplate', name: 'secure-web-deployer' },
    ]);
    const inputs = chain.spec.resources.map((r: any) => ({ sources: r.sources, images: r.images, configs: r.configs }));
    expect(inputs).toEqual([
      {},
      { sources: [{ resource: 'source-provider', name: 'source' }] },
      { sources: [{ resource: 'security-scan', name: 'source' }] },
      { images: [{ resource: 'image-builder', name: 'image' }] },
      { images: [{ resource: 'image-scan', name: 'image' }] },
      { configs: [{ resource: 'policy-check', name: 'config' }] },
    ].map((i) => ({ sources: undefined, images: undefined, configs: undefined, ...i })));
  });

  test('selects on the workload-type label alone', () => {
    expect(chain.spec.selector).toEqual({ 'apps.tanzu.vmware.com/workload-type': 'web' });
    expect(chain.spec.selectorMatchExpressions).toBeUndefined();
    expect(flow.setup.chain.selector).toEqual(chain.spec.selector);
    const worker = runFlow({ type: WorkloadType.WORKER });
    expect(worker.objects.find((o) => o.kind === 'ClusterSupplyChain').spec.selector).toEqual({ 'apps.tanzu.vmware.com/workload-type': 'worker' });
  });

  test('the image-builder is not reachable but through security-scan: it builds only the scanned source', () => {
    const builder = chain.spec.resources.find((r: any) => r.name === 'image-builder');
    expect(builder.sources.map((s: any) => s.resource)).toEqual(['security-scan']);
    expect(flow.stamped['image-builder'].spec.source.blob.url).toBe(flow.outputs['security-scan'].url);
  });
});

describe('stamped with a sample workload', () => {
  test('every object the chain stamps is valid for its kind (kube-validate --pss, 0 errors)', () => {
    if (!HAS_SHARED) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stamped-'));
    const objects = [flow.namespace, ...STAGES.map((s) => flow.stamped[s]), ...Object.values(flow.runs)]
      .map(({ status, ...o }: any) => o);
    fs.writeFileSync(path.join(dir, 'stamped.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    const kinds = objects.map((o) => `${o.apiVersion} ${o.kind}`);
    expect(kinds).toEqual([
      'v1 Namespace', 'source.toolkit.fluxcd.io/v1 GitRepository', 'carto.run/v1alpha1 Runnable', 'kpack.io/v1alpha2 Image',
      'carto.run/v1alpha1 Runnable', 'carto.run/v1alpha1 Runnable', 'carto.run/v1alpha1 Runnable',
      'tekton.dev/v1 TaskRun', 'tekton.dev/v1 TaskRun', 'tekton.dev/v1 TaskRun', 'tekton.dev/v1 TaskRun',
    ]);
    expect(kubeValidate(dir)).toMatch(/ 0 errors, 0 warnings$/);
  });

  test('source-provider: a Flux GitRepository of the Workload\'s URL and ref', () => {
    const git = flow.stamped['source-provider'];
    expect(git.spec).toEqual({ url: 'https://git.bank.example/payments/ledger.git', ref: { branch: 'main' }, interval: '1m0s', timeout: '60s' });
    expect(git.metadata.name).toBe('ledger');
  });

  test('security-scan passes on exactly the artifact it scanned, read back from the succeeded TaskRun', () => {
    const run = flow.runs['security-scan'];
    expect(run.spec.params).toEqual([
      { name: 'source-url', value: flow.outputs['source-provider'].url },
      { name: 'source-revision', value: `main@sha1:${ARTIFACT_SHA}` },
    ]);
    expect(flow.outputs['security-scan']).toEqual(flow.outputs['source-provider']);
    expect(stepEnv(run, 'fetch-source')).toMatchObject({ SOURCE_URL: flow.outputs['source-provider'].url });
  });

  test('image-builder: a kpack Image tagged in the tenant\'s project, built under kpack-build, signed with the tenant annotation', () => {
    const image = flow.stamped['image-builder'];
    expect(image.metadata).toMatchObject({ name: 'ledger', namespace: 'payments', labels: { 'devsecops.cdk8s.io/tenant': 'payments' } });
    expect(image.spec).toEqual({
      tag: `${HOST}/payments/ledger`,
      builder: { kind: 'ClusterBuilder', name: 'paketo-jammy' },
      serviceAccountName: 'kpack-build',
      source: { blob: { url: flow.outputs['security-scan'].url }, subPath: '' },
      cosign: { annotations: [{ name: 'devsecops.cdk8s.io/tenant', value: 'payments' }] },
      build: { nodeSelector: {}, tolerations: [] },
    });
  });

  test('the chain\'s build pods and tool pods take the workload\'s node-pool placement from its parameters', () => {
    const placement = { 'node-selector': { pool: 'payments' }, 'tolerations': [{ key: 'pool', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }] };
    const paramsOf = (t: any) => ({ ...Object.fromEntries((t.spec.params ?? []).map((p: any) => [p.name, p.default])), ...placement });
    const builder = flow.templates['image-builder'];
    const image = stamp(builder.spec.template, { workload: flow.workload, params: paramsOf(builder), source: { url: 'https://flux/a.tgz' } });
    expect(image.spec.build).toEqual({ nodeSelector: { pool: 'payments' }, tolerations: placement.tolerations });
    const scan = flow.templates['security-scan'];
    const runnable = stamp(scan.spec.template, { workload: flow.workload, params: paramsOf(scan), source: { url: 'https://flux/a.tgz', revision: 'main@sha1:0' } });
    const runTemplate = flow.objects.find((o: any) => o.kind === 'ClusterRunTemplate' && o.metadata.name === runnable.spec.runTemplateRef.name);
    const taskRun = stamp(runTemplate.spec.template, { runnable });
    expect(taskRun.spec.podTemplate.nodeSelector).toEqual({ pool: 'payments' });
    expect(taskRun.spec.podTemplate.tolerations).toEqual(placement.tolerations);
  });

  test('image-scan reads the robot from the namespace\'s settings and its secret from a Secret, never from the template', () => {
    const runnable = flow.stamped['image-scan'];
    expect(runnable.spec.selector).toEqual({ resource: { apiVersion: 'v1', kind: 'ConfigMap' }, matchingLabels: { 'devsecops.cdk8s.io/supply-chain-settings': 'secure-web' } });
    const step = stepOf(flow.runs['image-scan'], 'fetch-report');
    const env = Object.fromEntries(step.env.map((e: any) => [e.name, e]));
    expect(env.HARBOR_USERNAME.value).toBe('robot$payments+pull');
    expect(env.HARBOR_PASSWORD).toEqual({ name: 'HARBOR_PASSWORD', valueFrom: { secretKeyRef: { name: 'harbor-payments.pull-connection', key: 'attribute.secret' } } });
    expect(flow.outputs['image-scan'].image).toBe(`${HOST}/payments/ledger@${IMAGE_DIGEST}`);
  });

  test('policy-check hands gator the Deployment and the Service as documents, and its output carries the judged inputs together', () => {
    const run = flow.runs['policy-check'];
    const params = Object.fromEntries(run.spec.params.map((p: any) => [p.name, p.value]));
    expect(params.image).toBe(`${HOST}/payments/ledger@${IMAGE_DIGEST}`);
    expect(params['image-repository']).toBe(`${HOST}/payments/ledger`);
    expect(params.deployment.startsWith('---\n{"apiVersion":"apps/v1","kind":"Deployment"')).toBe(true);
    expect(JSON.parse(params.deployment.slice(4))).toEqual(flow.setup.workload.platformConfig()[0]);
    expect(JSON.parse(params.service.slice(4))).toEqual(flow.setup.workload.platformConfig()[1]);
    expect(flow.outputs['policy-check'].config).toEqual(params);
    const gator = stepOf(run, 'gator');
    expect(gator.image).toBe(PINNED_GATOR);
    expect(gator.args).toEqual(['test', '--filename=/workspace/work/config.yaml', '--filename=/policies/templates.yaml',
      '--filename=/policies/expansions.yaml', '--filename=/policies/constraints.yaml', '--filename=/policies/namespace.yaml']);
    expect(run.spec.taskSpec.volumes).toContainEqual({ name: 'policies', configMap: { name: 'secure-web-policies' } });
  });

  test('a WORKER chain passes the Deployment alone', () => {
    const worker = runFlow({ type: WorkloadType.WORKER });
    const names = worker.runs['policy-check'].spec.params.map((p: any) => p.name);
    expect(names).toEqual(['image', 'image-repository', 'deployment']);
    expect(stepEnv(worker.runs['policy-check'], 'render').SERVICE).toBe('');
  });

  test('deployer writes the judged inputs with credentials from the Secret only', () => {
    const run = flow.runs.deployer;
    const params = Object.fromEntries(run.spec.params.map((p: any) => [p.name, p.value]));
    const judged = flow.outputs['policy-check'].config;
    expect(params).toEqual({ ...judged, 'workload-name': 'ledger' });
    const step = stepOf(run, 'write');
    expect(stepEnv(run, 'write')).toMatchObject({
      GITOPS_URL: 'https://git.bank.example/platform/gitops.git',
      GITOPS_BRANCH: 'main',
      GITOPS_PATH: 'clusters/prod/workloads',
      WORKLOAD_NAME: 'ledger',
      WORKLOAD_NAMESPACE: 'payments',
    });
    const secretEnv = step.env.filter((e: any) => e.valueFrom);
    expect(secretEnv).toEqual([
      { name: 'GIT_USERNAME', valueFrom: { secretKeyRef: { name: 'gitops-writer', key: 'username' } } },
      { name: 'GIT_PASSWORD', valueFrom: { secretKeyRef: { name: 'gitops-writer', key: 'password' } } },
    ]);
    // The payloads come first, so `$(VAR)` inside them cannot expand to a variable (not even a secret).
    expect(step.env.slice(0, 4).map((e: any) => e.name)).toEqual(['DEPLOYMENT', 'SERVICE', 'IMAGE', 'IMAGE_REPOSITORY']);
  });

  test('an ssh deploy target mounts the ssh-auth Secret read-only instead', () => {
    const ssh = runFlow({ props: { deployTarget: { repositoryUrl: 'ssh://git@git.bank.example/platform/gitops.git', branch: 'main', path: 'apps', credentialsSecretName: 'gitops-ssh' } } });
    const run = ssh.runs.deployer;
    const step = stepOf(run, 'write');
    expect(step.env.filter((e: any) => e.valueFrom)).toEqual([]);
    expect(stepEnv(run, 'write').GIT_SSH_DIR).toBe('/git-credentials');
    expect(run.spec.taskSpec.volumes).toContainEqual({ name: 'git-credentials', secret: { secretName: 'gitops-ssh', defaultMode: 0o400 } });
    expect(step.volumeMounts).toContainEqual({ name: 'git-credentials', mountPath: '/git-credentials', readOnly: true });
  });

  test('scripts and jq programs reach the TaskRuns byte for byte (no accidental Cartographer tag)', () => {
    const r = flow.runs;
    expect(stepOf(r['security-scan'], 'fetch-source').script).toBe(FETCH_SOURCE_SCRIPT);
    expect(stepOf(r['security-scan'], 'gate').args).toContain(GRYPE_GATE_PROGRAM);
    expect(stepOf(r['image-scan'], 'fetch-report').script).toBe(FETCH_HARBOR_REPORT_SCRIPT);
    expect(stepOf(r['image-scan'], 'gate').args).toContain(HARBOR_GATE_PROGRAM);
    expect(stepOf(r['policy-check'], 'render').script).toBe(RENDER_SCRIPT);
    expect(stepOf(r.deployer, 'write').script).toBe(GIT_WRITER_SCRIPT);
  });

  test('steps without a script name the tool\'s binary', () => {
    const commands = Object.values(flow.runs)
      .flatMap((run) => run.spec.taskSpec.steps.filter((x: any) => !x.script).map((x: any) => [x.name, x.command]));
    expect(commands).toEqual([['scan', ['/grype']], ['gate', ['/jq']], ['gate', ['/jq']], ['gator', ['/gator']]]);
  });

  test('both gates carry the chain\'s threshold (HIGH: rank 3)', () => {
    for (const stage of ['security-scan', 'image-scan']) {
      const args = stepOf(flow.runs[stage], 'gate').args;
      expect(args.slice(0, 8)).toEqual(['--exit-status', '--raw-output', '--argjson', 'threshold', '3', '--arg', 'name', 'high']);
    }
  });
});

describe('tool pods', () => {
  const all = Object.entries(flow.runs);

  test.each(all.map(([stage]) => stage))('%s: restricted security context, resources, no API token, no service links', (stage) => {
    const run = flow.runs[stage];
    expect(run.spec.serviceAccountName).toBe('secure-web-tools');
    expect(run.spec.podTemplate).toEqual({
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      nodeSelector: {},
      tolerations: [],
    });
    for (const step of run.spec.taskSpec.steps) {
      expect(step.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(Object.keys(step.computeResources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(step.computeResources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(step.volumeMounts).toEqual(expect.arrayContaining([{ name: 'tmp', mountPath: '/tmp' }]));
    }
  });

  test('each step runs the table\'s image for its tool (gator overridden)', () => {
    const images = all.flatMap(([, run]) => run.spec.taskSpec.steps.map((s: any) => s.image));
    const defaults = SupplyChainToolImages.tools().filter((t) => t !== SupplyChainTool.GATOR).map((t) => SupplyChainToolImages.defaultImage(t));
    const table = new Set([...defaults, PINNED_GATOR]);
    expect(new Set(images)).toEqual(table);
  });

  test('TaskRun pods carry the run template label the egress rules select', () => {
    for (const [, run] of all) expect(run.metadata.labels['carto.run/run-template-name']).toMatch(/^secure-web-(grype|harbor-report|gator|git-writer)$/);
  });
});
