/**
 * The pods Tekton creates for the chain's TaskRuns are not in the manifests, so the synth-time
 * policy gate never sees them. This test builds each pod as Tekton would from the stamped TaskRun
 * (its steps as containers, the pod template, the service account; Tekton's own injected init
 * containers aside) and judges it with the tenant's Pod Security level (kube-validate --pss) and
 * with the platform's policies from the chain's own bundle.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { HOST, PINNED_GATOR } from './fixtures';
import { runFlow } from './flow';
import { SupplyChainTool, SupplyChainToolImages, Tier } from '../../src';
import { evaluatePolicies } from '../../src/policy/private/engine';
import { HAS_SHARED, kubeValidate } from '../util';

function podOf(taskRun: any): any {
  const spec = taskRun.spec;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${taskRun.metadata.name}-pod`, namespace: taskRun.metadata.namespace, labels: taskRun.metadata.labels },
    spec: {
      serviceAccountName: spec.serviceAccountName,
      restartPolicy: 'Never',
      ...spec.podTemplate,
      volumes: spec.taskSpec.volumes,
      containers: spec.taskSpec.steps.map((s: any) => ({
        name: `step-${s.name}`,
        image: s.image,
        ...(s.command ? { command: s.command } : { command: ['/bin/sh', `/tekton/scripts/script-${s.name}`] }),
        ...(s.args ? { args: s.args } : {}),
        env: s.env,
        resources: s.computeResources,
        securityContext: s.securityContext,
        volumeMounts: s.volumeMounts,
      })),
    },
  };
}

/** Every tool copied into the tenant's own project and pinned (what a SENSITIVE tenant needs). */
const relocated = (tenant: string) => SupplyChainToolImages.tools().map((tool) => ({ tool, image: `${HOST}/${tenant}/tools/${tool}:1@sha256:${'c'.repeat(64)}` }));

function judge(flow: ReturnType<typeof runFlow>) {
  const bundle = flow.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'secure-web-policies');
  const policies = Object.values(bundle.data as { [f: string]: string }).flatMap((t) => parseAllDocuments(t).map((d) => d.toJSON()));
  const pods = Object.values(flow.runs).map(podOf);
  const report = evaluatePolicies([...policies, ...pods].map((json, i) => ({ json, path: `doc${i}` })));
  return { pods, deny: report.violations.filter((v) => v.enforcement === 'deny') };
}

test('tool pods pass the tenant\'s restricted Pod Security level', () => {
  if (!HAS_SHARED) return;
  const flow = runFlow();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-pods-'));
  fs.writeFileSync(path.join(dir, 'pods.yaml'), [flow.namespace, ...Object.values(flow.runs).map(podOf)].map((o) => stringify(o)).join('---\n'));
  expect(flow.namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  expect(kubeValidate(dir)).toMatch(/5 objects, 2 kinds, 0 errors/);
});

test('with the tools in the tenant\'s project, tool pods pass every platform policy of the SENSITIVE tier', () => {
  const { pods, deny } = judge(runFlow({ tier: Tier.SENSITIVE, props: { toolImages: relocated('payments') } }));
  expect(pods).toHaveLength(4);
  expect(deny).toEqual([]);
});

test('with the library\'s default images, only the allowed-repositories policy refuses them (the tools must be copied into the registry)', () => {
  const { deny } = judge(runFlow({ tier: Tier.STANDARD, props: { toolImages: [{ tool: SupplyChainTool.GATOR, image: PINNED_GATOR }] } }));
  expect(new Set(deny.map((v) => v.constraintKind))).toEqual(new Set(['DevSecOpsAllowedRepositories']));
  expect(deny).toHaveLength(4);
});
