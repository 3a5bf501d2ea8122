import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { DEV_POOL, HOST, image, podSpecOf, runtimeBank, RUNTIME, SENSITIVE_POOL, STANDARD_POOL } from './fixtures';
import {
  AuditLevel, BuiltInPolicy, DevSecOpsPlatform, FalcoOutput, FalcoPriority, KpackGitSource, NodeTaintEffect,
  PolicyEvaluator, TetragonEnforcement, Tier,
} from '../../src';
import { podSpecsOf } from '../../src/runtime/private/placement';
import { addBuilder, chainPlatformProps } from '../supply-chain/fixtures';
import { HAS_SHARED, kubeValidate, named, ofKind, readTree, synthObjects } from '../util';

const POOL = 'devsecops.cdk8s.io/pool';

describe('tiers become node pools', () => {
  test('every workload gets the node selector and toleration of its tier\'s pool, through IWorkload', () => {
    const b = runtimeBank();
    // before any synth: the workload layer's addNodeSelector/addToleration did it when the workload was added
    const payments = podSpecOf(b.w.payments);
    expect(payments.nodeSelector).toEqual({ [POOL]: 'sensitive' });
    expect(payments.tolerations).toEqual([{ key: 'devsecops.cdk8s.io/tier', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' }]);
    expect(podSpecOf(b.w['core-banking']).nodeSelector).toEqual({ [POOL]: 'standard' });
    expect(podSpecOf(b.w['dev-sandbox']).nodeSelector).toEqual({ [POOL]: 'dev' });
    expect(podSpecOf(b.w['dev-sandbox']).tolerations).toBeUndefined(); // the dev pool has no taint
    b.app.synth();
  });

  test('any other pod-running object of the tenant\'s chart is placed at synth, once, and deterministically', () => {
    const b = runtimeBank();
    const cron = (tenant: string) => new k8s.KubeCronJob(b.t[tenant], 'Report', {
      metadata: { name: 'report' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'r', image: `${HOST}/${tenant}/report@sha256:${'cd'.repeat(32)}` }] } } } } },
    });
    const jobs: { [ns: string]: ApiObject } = { 'payments': cron('payments'), 'dev-sandbox': cron('dev-sandbox') };
    // ApiObject.toJson: the object as written, without the App validation Chart.toJson runs
    const spec = (ns: string) => jobs[ns].toJson().spec.jobTemplate.spec.template.spec;
    expect(spec('payments').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    // the pass is part of the platform's synth-time validation (checks), run once per synth
    expect(b.platform.runtime!.checks()).toEqual([]);
    const first = spec('payments');
    expect(first.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', [POOL]: 'sensitive' });
    expect(first.tolerations).toEqual([{ key: 'devsecops.cdk8s.io/tier', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' }]);
    expect(b.platform.runtime!.checks()).toEqual([]);
    expect(spec('payments')).toEqual(first);
    // through a whole synth (DEV warns on the report's missing hardening, so the synth succeeds)
    b.t.payments.node.tryRemoveChild('Report');
    b.app.synth();
    expect(spec('dev-sandbox').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', [POOL]: 'dev' });
    expect(spec('dev-sandbox').tolerations).toBeUndefined();
  });

  test('a built workload: the Deployment its supply chain deploys carries the placement, and the placement check reads it', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', chainPlatformProps({ runtime: RUNTIME }));
    addBuilder(platform);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    payments.addWorkload('ledger', { source: KpackGitSource.branch('https://git.bank.example/payments/ledger.git', 'main'), ports: [{ port: 8443 }] });
    const carto = ofKind(synthObjects(app), 'Workload').find((w) => w.apiVersion === 'carto.run/v1alpha1');
    const config = carto.spec.params.find((p: any) => p.name === 'platform-config').value;
    const deployment = config.find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ [POOL]: 'sensitive' });
    expect(deployment.spec.template.spec.tolerations).toEqual([{ key: 'devsecops.cdk8s.io/tier', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' }]);
    expect(platform.runtime!.checks()).toEqual([]);
    // the check reads the chain's Deployment (and the kpack build pods' spec.build), never patches them
    const refs = podSpecsOf(payments).map((r) => [r.path, r.object === undefined]);
    expect(refs).toEqual(expect.arrayContaining([['bank/payments/Workload-ledger/Resource/platform-config/Deployment', true]]));
  });

  test('a pod that selects another tier\'s pool fails synth, naming the object and both pools; nothing is written', () => {
    const b = runtimeBank();
    new k8s.KubePod(b.t['dev-sandbox'], 'Sneaky', {
      metadata: { name: 'sneaky' },
      spec: { nodeSelector: { [POOL]: 'sensitive' }, containers: [{ name: 'c', image: `${HOST}/dev-sandbox/x:1.0` }] },
    });
    expect(() => b.app.synth()).toThrow(/\[bank\/dev-sandbox\/Sneaky\] 'placement' Pod sneaky of dev tenant "dev-sandbox" does not run on pool "dev".*\n?.*Pod sneaky of dev tenant "dev-sandbox" selects pool "sensitive" of tiers sensitive/s);
    expect(fs.existsSync(b.reports)).toBe(false);
  });

  test('the catalog refuses a SENSITIVE pod without its pool placement at admission and at synth', () => {
    const b = runtimeBank();
    const constraint = named(synthObjects(b.app), 'DevSecOpsNodePlacement', 'node-placement-sensitive');
    expect(constraint.spec.parameters).toEqual({
      nodeSelector: { [POOL]: 'sensitive' },
      tolerations: [{ key: 'devsecops.cdk8s.io/tier', value: 'sensitive', effect: 'NoSchedule' }],
    });
    expect(constraint.spec.match.namespaceSelector.matchLabels).toEqual({ 'devsecops.cdk8s.io/tier': 'sensitive' });
    const template = b.platform.policies.template(BuiltInPolicy.NODE_PLACEMENT).resource.toJson();
    const pod = (spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'payments' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } });
    const anyNamespace = { ...constraint, spec: { ...constraint.spec, match: { kinds: constraint.spec.match.kinds } } };
    const unlabelled = PolicyEvaluator.evaluateManifests([template, anyNamespace, pod({})]);
    expect(unlabelled.violations.map((v) => v.message).sort()).toEqual([
      'pods of this tier run on its node pool: add a toleration of the taint devsecops.cdk8s.io/tier=sensitive:NoSchedule',
      'pods of this tier run on its node pool: nodeSelector must have devsecops.cdk8s.io/pool=sensitive (the runtime agents watch only that pool)',
    ]);
    // at synth: a pod whose selector conflicts with the pool is judged by the gate as well
    new k8s.KubePod(b.t.payments, 'Elsewhere', { metadata: { name: 'elsewhere' }, spec: { nodeSelector: { [POOL]: 'standard' }, containers: [{ name: 'c', image: `${HOST}/payments/x@sha256:${'cd'.repeat(32)}` }] } });
    expect(() => b.app.synth()).toThrow(/DevSecOpsNodePlacement "node-placement-sensitive" \(deny\): pods of this tier run on its node pool/);
  });
});

describe('Falco per pool', () => {
  const b = runtimeBank();
  const objects = synthObjects(b.app);

  test('one Falco DaemonSet per pool with Falco, on the pool\'s nodes, with the tier\'s limits; none on DEV', () => {
    const falcos = ofKind(objects, 'Falco');
    expect(falcos.map((f) => f.metadata.namespace)).toEqual(['falco-sensitive', 'falco-standard']);
    const [sensitive, standard] = falcos.map((f) => f.spec);
    expect(sensitive.type).toBe('DaemonSet');
    expect(sensitive.version).toBe('0.44.1');
    expect(sensitive.podTemplateSpec.spec.nodeSelector).toEqual({ [POOL]: 'sensitive' });
    expect(sensitive.podTemplateSpec.spec.tolerations).toEqual([{ key: 'devsecops.cdk8s.io/tier', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' }]);
    expect(sensitive.podTemplateSpec.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    expect(standard.podTemplateSpec.spec.containers[0].resources).toEqual({ requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(named(objects, 'Namespace', 'falco-sensitive').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(objects.filter((o) => o.metadata?.namespace === 'falco-dev')).toEqual([]);
  });

  test('modern_ebpf, JSON on stdout, and per-tier minimum priority', () => {
    const configs = ofKind(objects, 'Config').filter((c) => c.apiVersion.startsWith('artifact.falcosecurity.dev'));
    const fields = (c: any) => [c.metadata.namespace, c.spec.config.engine.kind, c.spec.config.priority, c.spec.config.json_output,
      c.spec.config.stdout_output.enabled, c.spec.config.http_output.enabled];
    expect(configs.map(fields))
      .toEqual([['falco-sensitive', 'modern_ebpf', 'debug', true, true, false], ['falco-standard', 'modern_ebpf', 'warning', true, true, false]]);
    expect(configs[0].spec.config.rule_matching).toBe('all');
  });

  test('SENSITIVE runs the upstream ruleset and the platform rules scoped to SENSITIVE namespaces; STANDARD only the upstream one', () => {
    const rulesfiles = ofKind(objects, 'Rulesfile');
    expect(rulesfiles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`)).toEqual(['falco-sensitive/falco-rules', 'falco-sensitive/platform-rules', 'falco-standard/falco-rules']);
    expect(rulesfiles[0].spec.ociArtifact).toEqual({ image: { repository: 'falcosecurity/rules/falco-rules', tag: '5.1.0' }, registry: { name: 'ghcr.io' } });
    const inline = rulesfiles[1].spec.inlineRules;
    expect(inline.find((i: any) => i.list === 'devsecops_sensitive_namespaces').items).toEqual(['payments']);
    expect(inline.filter((i: any) => i.rule).length).toBe(5);
  });

  test('a webhook output is typed and https only', () => {
    const c = runtimeBank([['payments', Tier.SENSITIVE]], { ...RUNTIME, falco: { output: FalcoOutput.webhook('https://siem.bank.example/falco') } });
    const config = ofKind(synthObjects(c.app), 'Config').find((x) => x.metadata.namespace === 'falco-sensitive');
    expect(config.spec.config.http_output).toEqual({ enabled: true, url: 'https://siem.bank.example/falco', insecure: false });
    expect(() => FalcoOutput.webhook('http://siem.bank.example')).toThrow("[FalcoOutput.webhook] 'url' must be an https:// URL");
    expect(FalcoOutput.falcosidekick('http://falcosidekick.falco-sidekick.svc:2801').url).toBe('http://falcosidekick.falco-sidekick.svc:2801');
  });

  test('the falco-operator itself is installed through Flux', () => {
    const release = named(objects, 'HelmRelease', 'falco');
    expect(release.metadata.namespace).toBe('falco');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'falco-operator', version: '0.3.1' });
  });
});

describe('Tetragon on the SENSITIVE pool', () => {
  test('installed on the SENSITIVE pool only, with a TracingPolicyNamespaced per SENSITIVE tenant from its workloads', () => {
    const b = runtimeBank([['payments', Tier.SENSITIVE], ['cards', Tier.SENSITIVE], ['core-banking', Tier.STANDARD]]);
    b.t.payments.addWorkload('ledger', { image: image('payments', 'ledger'), ports: [{ port: 8443 }] });
    const objects = synthObjects(b.app);
    const values = named(objects, 'HelmRelease', 'tetragon').spec.values;
    expect(values.nodeSelector).toEqual({ [POOL]: 'sensitive' });
    expect(values.tolerations).toEqual([{ key: 'devsecops.cdk8s.io/tier', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' }]);
    expect(values.tetragon.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    const policies = ofKind(objects, 'TracingPolicyNamespaced');
    expect(policies.map((p) => p.metadata.namespace)).toEqual(['payments', 'cards']);
    const spec = policies[0].spec;
    expect(spec.podSelector).toEqual({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['ledger', 'payments-app'] }] });
    const containers = [b.w.payments.containerName, b.t.payments.workloads[1].containerName].sort();
    expect(spec.containerSelector).toEqual({ matchExpressions: [{ key: 'name', operator: 'In', values: [...new Set(containers)] }] });
    expect(spec.kprobes.map((k: any) => k.call)).toEqual(['security_bprm_check', 'tcp_connect']);
    expect(spec.kprobes[0].selectors[0].matchActions).toEqual([{ action: 'Sigkill' }]);
    expect(spec.kprobes[0].selectors[0].matchArgs[0].values).toContain('/bash');
  });

  test('RECORD_ONLY records and kills nothing; enforcement is refused for a DEV tenant', () => {
    const b = runtimeBank();
    b.platform.runtime!.setTetragonEnforcement(b.t.payments, TetragonEnforcement.RECORD_ONLY);
    const spec = named(synthObjects(b.app), 'TracingPolicyNamespaced', 'devsecops-runtime', 'payments').spec;
    expect(JSON.stringify(spec)).not.toContain('Sigkill');
    expect(() => b.platform.runtime!.setTetragonEnforcement(b.t['dev-sandbox'], TetragonEnforcement.KILL_SHELLS))
      .toThrow("[bank/dev-sandbox] 'tetragonEnforcement' is only for SENSITIVE tenants: Tetragon runs on the SENSITIVE pool only, and this tenant is dev, got \"kill-shells\"; move the tenant to Tier.SENSITIVE");
  });
});

describe('the runtime report', () => {
  test('per pool: agents, limits, rules by priority, namespaces, and the cost against full agents everywhere', () => {
    const b = runtimeBank([['payments', Tier.SENSITIVE], ['core-banking', Tier.STANDARD], ['dev-sandbox', Tier.DEV]], { ...RUNTIME, otherNodeCount: 2 });
    b.app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(b.reports, 'runtime-report.json'), 'utf8'));
    const [s, st, d] = report.pools;
    expect([s.name, s.fidelity, s.agents.map((a: any) => a.agent), s.namespaces]).toEqual(['sensitive', 'full', ['falco', 'tetragon'], ['payments']]);
    // 25 upstream rules (falco-rules 5.1.0) + 5 platform rules
    expect(s.rulesLoaded).toBe(30);
    // upstream rules at WARNING and above: 3 CRITICAL + 14 WARNING
    expect(st.rulesByPriority).toEqual({ CRITICAL: 3, WARNING: 14 });
    expect([d.fidelity, d.agents, d.rulesLoaded]).toEqual(['none', [], 0]);
    // sensitive: 3 nodes x (1000m + 500m), standard: 6 x 500m, dev: nothing
    expect(s.cost).toEqual({ cpuMillicores: 4500, memoryMiB: 4608 });
    expect(st.cost).toEqual({ cpuMillicores: 3000, memoryMiB: 3072 });
    expect(report.tieredCost).toEqual({ cpuMillicores: 7500, memoryMiB: 7680 });
    // full agents on 3 + 6 + 4 + 2 = 15 nodes: 15 x 1500m, 15 x 1536Mi
    expect(report.fullAgentsEverywhereCost).toEqual({ cpuMillicores: 22500, memoryMiB: 23040 });
    expect(report.saving).toEqual({ cpuMillicores: 15000, memoryMiB: 15360, cpuPercent: 66.7, memoryPercent: 66.7 });
    expect(report.namespacesByFidelity).toEqual({ full: ['payments'], reduced: ['core-banking'], none: ['dev-sandbox'] });
    const md = fs.readFileSync(path.join(b.reports, 'runtime-report.md'), 'utf8');
    expect(md).toContain('| sensitive | sensitive | 3 | falco 1000m/1024Mi, tetragon 500m/512Mi | 30: CRITICAL 6, ERROR 2, WARNING 14, NOTICE 7, INFORMATIONAL 1 | payments | 4500 | 4608 |');
    expect(md).toContain('Saving: 15000 m CPU (66.7%), 15360 MiB memory (66.7%).');
  });

  test('the audit policy is written beside the reports, never among the manifests', () => {
    const b = runtimeBank();
    b.app.synth();
    const policy = JSON.parse(fs.readFileSync(path.join(b.reports, 'kube-apiserver-audit-policy.json'), 'utf8'));
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    expect(policy.kind).toBe('Policy');
    expect(policy.rules.find((r: any) => r.namespaces && r.resources?.[0]?.resources?.includes('pods/exec')).namespaces).toEqual(['payments']);
    expect(fs.readdirSync(b.outdir).filter((f) => f.includes('audit'))).toEqual([]);
  });
});

describe('pools are optional per tier', () => {
  test('STANDARD and DEV may share a pool: it runs STANDARD\'s reduced Falco, and DEV namespaces are in no high-fidelity scope', () => {
    const shared = { ...STANDARD_POOL, name: 'shared', tiers: [Tier.STANDARD, Tier.DEV] };
    const b = runtimeBank(undefined, { nodePools: [SENSITIVE_POOL, shared] });
    expect(b.platform.runtime!.checks()).toEqual([]);
    expect(podSpecOf(b.w['dev-sandbox']).nodeSelector).toEqual({ [POOL]: 'standard' });
    const report = b.platform.runtime!.report();
    expect(report.namespacesByFidelity).toEqual({ full: ['payments'], reduced: ['core-banking', 'dev-sandbox'], none: [] });
    expect(ofKind(synthObjects(b.app), 'Falco').map((f) => f.metadata.namespace)).toEqual(['falco-sensitive', 'falco-shared']);
  });

  test('a tier without a pool gets no placement and no agent; its namespaces are counted on the other nodes', () => {
    const b = runtimeBank(undefined, { nodePools: [SENSITIVE_POOL, STANDARD_POOL], otherNodeCount: 5 });
    expect(podSpecOf(b.w['dev-sandbox']).nodeSelector).toBeUndefined();
    expect(b.platform.runtime!.report().otherNodes).toEqual({ nodeCount: 5, namespaces: ['dev-sandbox'] });
    expect(b.platform.runtime!.checks()).toEqual([]);
  });
});

describe('synth-time checks', () => {
  test('a SENSITIVE tenant with no SENSITIVE pool, or without Tetragon, fails synth naming the tenant', () => {
    const noPool = runtimeBank([['payments', Tier.SENSITIVE]], { nodePools: [STANDARD_POOL] });
    expect(() => noPool.app.synth()).toThrow("[bank/payments] 'tier' is SENSITIVE but no node pool hosts SENSITIVE: Falco and Tetragon cover no node it runs on");
    const noTetragon = runtimeBank([['payments', Tier.SENSITIVE]], { ...RUNTIME, tetragon: { enabled: false } });
    expect(() => noTetragon.app.synth()).toThrow("[bank/payments] 'tier' is SENSITIVE but Tetragon is not installed on pool \"sensitive\"");
  });

  test('a DEV namespace in a high-fidelity rule\'s scope fails synth, naming the rule and the namespace', () => {
    const b = runtimeBank(undefined, {
      ...RUNTIME,
      falco: { additionalRules: [{ name: 'Bank curl', description: 'curl in tenant pods', condition: 'spawned_process and proc.name = curl and k8s.ns.name in (payments, dev-sandbox)', output: 'curl %proc.cmdline', priority: FalcoPriority.WARNING }] },
    });
    expect(() => b.app.synth()).toThrow("[bank/runtime] 'falco rule \"Bank curl\"' scopes DEV namespace \"dev-sandbox\" into a high-fidelity rule of the SENSITIVE pool");
  });

  test('an audit rule made unreachable by an earlier one fails synth naming both', () => {
    const b = runtimeBank(undefined, { ...RUNTIME, audit: { additionalRules: [{ level: AuditLevel.REQUEST_RESPONSE, reason: 'secret reads in payments', verbs: ['get'], namespaces: ['payments'], resources: [{ group: '', resources: ['secrets'] }] }] } });
    expect(() => b.app.synth()).toThrow(/audit rule 8 \(RequestResponse: secret reads in payments\) is unreachable: rule 5 \(Metadata: Secrets, ConfigMaps and service account tokens/);
  });
});

describe('bad input: a clear error, nothing written', () => {
  const platform = (runtime: any) => {
    const app = new App({ outdir: fs.mkdtempSync('/tmp/rt-bad-') + '/m' });
    new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST }, runtime });
    return app;
  };
  test.each<[string, any, string]>([
    ['a SENSITIVE pool without a taint', { nodePools: [{ ...SENSITIVE_POOL, taint: undefined }] },
      "[bank/runtime] 'nodePools[0].taint' is required for a SENSITIVE pool: without a taint other tiers' pods are scheduled beside payments, got undefined; taint the pool's nodes"],
    ['a SENSITIVE pool with a soft taint', { nodePools: [{ ...SENSITIVE_POOL, taint: { key: 'k', value: 'v', effect: NodeTaintEffect.PREFER_NO_SCHEDULE } }] },
      "[bank/runtime] 'nodePools[0].taint.effect' must keep other pods off a SENSITIVE pool, got \"PreferNoSchedule\""],
    ['SENSITIVE sharing a pool', { nodePools: [{ ...SENSITIVE_POOL, tiers: [Tier.SENSITIVE, Tier.STANDARD] }] }, "'nodePools[0].tiers' mixes SENSITIVE with other tiers"],
    ['a tier on two pools', { nodePools: [STANDARD_POOL, { ...DEV_POOL, tiers: [Tier.STANDARD] }] }, "'nodePools[1].tiers' puts tier standard on a second pool (it is on pool \"standard\")"],
    ['an unknown Falco field', { ...RUNTIME, falco: { additionalRules: [{ name: 'Bad', description: 'd', condition: 'spawned_process and proc.nam = x', output: 'o', priority: FalcoPriority.ERROR }] } },
      "[bank/runtime] 'falco.additionalRules' has a rule Falco would not load: rule \"Bad\": \"proc.nam\" is not a Falco field"],
    ['a macro that does not exist', { ...RUNTIME, falco: { additionalRules: [{ name: 'Bad', description: 'd', condition: 'spawned_process and payments_shell', output: 'o', priority: FalcoPriority.ERROR }] } },
      'rule "Bad": macro "payments_shell" is defined neither in the upstream ruleset nor by the platform'],
    ['a request above its limit', { ...RUNTIME, falco: { sensitiveResources: { cpuRequest: '2', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' } } }, "'falco.sensitiveResources' has a request above its limit"],
    ['an audit policy file that is not JSON', { ...RUNTIME, audit: { fileName: 'audit-policy.yaml' } }, "[bank/runtime] 'audit.fileName' must be a plain .json file name"],
    ['a Falco version range', { ...RUNTIME, falco: { version: '0.44' } }, "[bank/runtime] 'falco.version' must be an exact Falco release (major.minor.patch), got \"0.44\""],
    ['a bad expected egress CIDR', { ...RUNTIME, falco: { expectedEgressNetworks: ['10.0.0.0/33'] } }, "'falco.expectedEgressNetworks[0]'"],
  ])('%s', (_what, runtime, message) => {
    let app: App | undefined;
    expect(() => { app = platform(runtime); }).toThrow(message);
    expect(app).toBeUndefined();
  });

  test('a tenant cannot take a pool\'s Falco namespace', () => {
    const b = runtimeBank([]);
    expect(() => b.platform.addTenant('falco-sensitive', { tier: Tier.DEV, team: 't' })).toThrow("'name' is a namespace reserved for a platform component");
  });
});

describe('defaults', () => {
  test('without runtime props the platform emits no runtime object', () => {
    const app = Testing.app();
    const p = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST } });
    p.addTenant('payments', { tier: Tier.SENSITIVE, team: 'p' });
    const kinds = new Set(synthObjects(app).map((o) => o.kind));
    for (const k of ['Falco', 'Rulesfile', 'TracingPolicyNamespaced']) expect(kinds.has(k)).toBe(false);
    expect(p.runtime).toBeUndefined();
  });

  test('taint effect NoSchedule, KILL_SHELLS, stdout JSON only, Falco 0.44.1, audit file name, no other nodes', () => {
    const b = runtimeBank([['payments', Tier.SENSITIVE]], { nodePools: [{ ...SENSITIVE_POOL, taint: { key: 'pool', value: 'pay' } }] });
    const objects = synthObjects(b.app);
    expect(named(objects, 'Falco', 'falco', 'falco-sensitive').spec.podTemplateSpec.spec.tolerations[0].effect).toBe('NoSchedule');
    expect(JSON.stringify(named(objects, 'TracingPolicyNamespaced', 'devsecops-runtime', 'payments'))).toContain('Sigkill');
    expect(b.platform.runtime!.auditPolicyFileName).toBe('kube-apiserver-audit-policy.json');
    expect(b.platform.runtime!.report().otherNodes.nodeCount).toBe(0);
    // no expected egress network: every public destination alerts; secrets only under /var/run/secrets
    const inline = named(objects, 'Rulesfile', 'platform-rules', 'falco-sensitive').spec.inlineRules;
    expect(inline.find((i: any) => i.rule === 'DevSecOps unexpected outbound connection from sensitive namespace').condition).toBe('outbound and devsecops_sensitive_ns');
    expect(inline.find((i: any) => i.list === 'devsecops_secret_mount_paths').items).toEqual(['/var/run/secrets']);
    expect(named(objects, 'Falco', 'falco', 'falco-sensitive').spec.version).toBe('0.44.1');
  });
});

(HAS_SHARED ? describe : describe.skip)('output', () => {
  test('every object passes kube-validate --pss; synthesizing twice writes identical files', () => {
    const build = () => {
      const b = runtimeBank();
      b.app.synth();
      return b;
    };
    const one = build();
    const two = build();
    expect(kubeValidate(one.outdir)).toMatch(/ 0 errors/);
    expect(readTree(one.outdir)).toEqual(readTree(two.outdir));
    expect(readTree(one.reports)).toEqual(readTree(two.reports));
  });
});

