/**
 * Runs the chain as Cartographer would, one resource after the other: stamps each template with
 * a sample Workload and the outputs of the resources before it, stamps the run templates from the
 * Runnables, and reads each output where Cartographer reads it (with the objects' status filled
 * in as the controllers would on success).
 */
import { App } from 'cdk8s';
import { evaluateOne, named, place, stamp } from './cartographer';
import { Setup, setup } from './fixtures';
import { synthObjects } from '../util';

export const ARTIFACT_SHA = '0123456789abcdef0123456789abcdef01234567';
export const IMAGE_DIGEST = `sha256:${'1'.repeat(64)}`;

/** The template context Cartographer builds for one resource (realizer/context.go). */
function context(template: any, workload: any, inputs: { sources?: any; images?: any; configs?: any }) {
  const given = new Map<string, unknown>((workload.spec.params ?? []).map((p: any) => [p.name, p.value]));
  const params = Object.fromEntries((template.spec.params ?? []).map((p: any) => [p.name, given.has(p.name) ? given.get(p.name) : p.default]));
  const ctx: any = { workload, deliverable: workload, params };
  Object.assign(ctx, { sources: inputs.sources ?? {}, images: inputs.images ?? {}, configs: inputs.configs ?? {} });
  const one = (m: any) => (m && Object.keys(m).length === 1 ? Object.values(m)[0] : undefined);
  if (one(inputs.sources)) ctx.source = one(inputs.sources);
  if (one(inputs.images)) ctx.image = (one(inputs.images) as any).image;
  if (one(inputs.configs)) ctx.config = (one(inputs.configs) as any).config;
  return ctx;
}

const succeeded = { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] };

export interface Flow {
  readonly setup: Setup;
  readonly objects: any[];
  readonly workload: any;
  readonly namespace: any;
  readonly settings: any;
  readonly templates: { [name: string]: any };
  readonly stamped: { [resource: string]: any };
  readonly runs: { [resource: string]: any };
  readonly outputs: { [resource: string]: any };
}

export function runFlow(options: Parameters<typeof setup>[0] = {}): Flow {
  const s = setup({ app: new App({ outdir: '/tmp/unused-supply-chain-flow' }), ...options });
  const objects = synthObjects(s.app);
  const byName = (kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name}`);
    return o;
  };
  const chain = byName('ClusterSupplyChain', s.chain.chainName);
  const templates: { [name: string]: any } = {};
  for (const r of chain.spec.resources) templates[r.name] = byName(r.templateRef.kind, r.templateRef.name);
  const ns = s.tenant.namespaceName;
  const workload = s.workload.cartographerWorkload();
  const cartoLabels = (resource: string, t: any) => ({
    'carto.run/workload-name': workload.metadata.name,
    'carto.run/workload-namespace': ns,
    'carto.run/supply-chain-name': chain.metadata.name,
    'carto.run/resource-name': resource,
    'carto.run/template-kind': t.kind,
    'carto.run/cluster-template-name': t.metadata.name,
  });
  const stamped: { [resource: string]: any } = {};
  const runs: { [resource: string]: any } = {};
  const outputs: { [resource: string]: any } = {};
  const settings = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === ns && o.metadata.name === `${s.chain.chainName}-settings`);

  const stampResource = (resource: string, inputs: Parameters<typeof context>[2]) => {
    const t = templates[resource];
    stamped[resource] = place(stamp(t.spec.template, context(t, workload, inputs)), ns, cartoLabels(resource, t));
    return stamped[resource];
  };
  /** Stamps the run template of a Runnable, "runs" it, and sets the Runnable's outputs. */
  const run = (resource: string) => {
    const runnable = stamped[resource];
    const runTemplate = byName('ClusterRunTemplate', runnable.spec.runTemplateRef.name);
    let selected: any;
    if (runnable.spec.selector) {
      const sel = runnable.spec.selector;
      const matches = objects.filter((o) => o.kind === sel.resource.kind && o.metadata.namespace === ns
        && Object.entries(sel.matchingLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
      if (matches.length !== 1) throw new Error(`selector of ${resource} matched ${matches.length} objects`);
      selected = matches[0];
    }
    const taskRun = named(place(stamp(runTemplate.spec.template, { runnable, selected }), ns, {
      'carto.run/runnable-name': runnable.metadata.name,
      'carto.run/run-template-name': runTemplate.metadata.name,
    }), 'x7k2p');
    runs[resource] = taskRun;
    const done = { ...taskRun, status: succeeded };
    const out = Object.fromEntries(Object.entries(runTemplate.spec.outputs ?? {}).map(([k, path]) => [k, evaluateOne(path as string, done)]));
    stamped[resource] = { ...runnable, status: { outputs: out } };
    return stamped[resource];
  };

  // source-provider: Flux fetches the revision and serves it as an artifact.
  const git = stampResource('source-provider', {});
  const withArtifact = {
    ...git,
    status: {
      artifact: {
        url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/${ns}/${git.metadata.name}/${ARTIFACT_SHA}.tar.gz`,
        revision: `main@sha1:${ARTIFACT_SHA}`,
        digest: `sha256:${'9'.repeat(64)}`,
      },
    },
  };
  const out = (resource: string, obj: any, paths: { [k: string]: string }) => {
    outputs[resource] = Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, evaluateOne(p, obj)]));
    return outputs[resource];
  };
  const t = templates;
  out('source-provider', withArtifact, { url: t['source-provider'].spec.urlPath, revision: t['source-provider'].spec.revisionPath });

  stampResource('security-scan', { sources: { source: { ...outputs['source-provider'], name: 'source' } } });
  out('security-scan', run('security-scan'), { url: t['security-scan'].spec.urlPath, revision: t['security-scan'].spec.revisionPath });

  const image = stampResource('image-builder', { sources: { source: { ...outputs['security-scan'], name: 'source' } } });
  out('image-builder', { ...image, status: { latestImage: `${image.spec.tag}@${IMAGE_DIGEST}` } }, { image: t['image-builder'].spec.imagePath });

  stampResource('image-scan', { images: { image: { image: outputs['image-builder'].image, name: 'image' } } });
  out('image-scan', run('image-scan'), { image: t['image-scan'].spec.imagePath });

  stampResource('policy-check', { images: { image: { image: outputs['image-scan'].image, name: 'image' } } });
  out('policy-check', run('policy-check'), { config: t['policy-check'].spec.configPath });

  stampResource('deployer', { configs: { config: { config: outputs['policy-check'].config, name: 'config' } } });
  run('deployer');

  const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns);
  return { setup: s, objects, workload, namespace, settings, templates, stamped, runs, outputs };
}

/** Tekton's substitution of `$(params.x)` and `$(context.taskRun.namespace)` in a step value. */
export function tektonValue(taskRun: any, value: string): string {
  const params = new Map<string, string>(taskRun.spec.params.map((p: any) => [p.name, p.value]));
  return value.replace(/\$\((params\.([\w-]+)|context\.taskRun\.namespace)\)/g, (_m, _all, name) => {
    if (name === undefined) return taskRun.metadata.namespace;
    if (!params.has(name)) throw new Error(`TaskRun has no param ${name}`);
    return params.get(name)!;
  });
}

/** A step's plain environment, with Tekton's substitutions applied (secret references left out). */
export function stepEnv(taskRun: any, stepName: string): { [name: string]: string } {
  const step = taskRun.spec.taskSpec.steps.find((s: any) => s.name === stepName);
  if (!step) throw new Error(`no step ${stepName}`);
  return Object.fromEntries((step.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, tektonValue(taskRun, e.value)]));
}

export function stepOf(taskRun: any, stepName: string): any {
  return taskRun.spec.taskSpec.steps.find((s: any) => s.name === stepName);
}
