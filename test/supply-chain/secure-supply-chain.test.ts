import * as fs from 'fs';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { addBuilder, chainProps, DEPLOY_TARGET, EGRESS, HOST, newPlatform, PINNED_GATOR, setup, TestWorkload } from './fixtures';
import {
  RegistrySeverity, SecureSupplyChain, SupplyChainGate, SupplyChainScanCredentials, SupplyChainStage, SupplyChainTool,
  SupplyChainToolImages, Tier, WorkloadType,
} from '../../src';
import { HAS_SHARED, kubeValidate, named, ofKind, readTree, synthObjects, synthToDir } from '../util';

const credentials = (s: ReturnType<typeof setup>, tenant = s.tenant) => ({
  scanCredentials: SupplyChainScanCredentials.fromHarborRobot(s.platform.projectOf(tenant).pullRobot!),
});

describe('attachWorkload', () => {
  const s = setup();
  const objects = synthObjects(s.app);
  const inNs = (kind: string) => ofKind(objects, kind, 'payments');

  test('creates the chain account <workload>-chain, token-less, bound to a Role of exactly the kinds the chain stamps', () => {
    expect(named(objects, 'ServiceAccount', 'ledger-chain', 'payments').automountServiceAccountToken).toBe(false);
    expect(named(objects, 'RoleBinding', 'ledger-chain-secure-web', 'payments')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secure-web-stamper' },
      subjects: [{ kind: 'ServiceAccount', name: 'ledger-chain', namespace: 'payments' }],
    });
    const rw = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    expect(named(objects, 'Role', 'secure-web-stamper', 'payments').rules).toEqual([
      { apiGroups: ['source.toolkit.fluxcd.io'], resources: ['gitrepositories'], verbs: rw },
      { apiGroups: ['carto.run'], resources: ['runnables'], verbs: rw },
      { apiGroups: ['kpack.io'], resources: ['images'], verbs: rw },
      { apiGroups: ['tekton.dev'], resources: ['taskruns'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(SecureSupplyChain.chainServiceAccountName(s.workload)).toBe(s.workload.chainServiceAccountName);
  });

  test('gives tool pods their own account with no API access, and the namespace its policy bundle and settings', () => {
    const tools = named(objects, 'ServiceAccount', 'secure-web-tools', 'payments');
    expect(tools.automountServiceAccountToken).toBe(false);
    expect(inNs('RoleBinding').filter((b) => b.subjects.some((x: any) => x.name === 'secure-web-tools'))).toEqual([]);
    expect(named(objects, 'ConfigMap', 'secure-web-settings', 'payments')).toMatchObject({
      metadata: { labels: { 'devsecops.cdk8s.io/supply-chain-settings': 'secure-web' } },
      data: { 'harbor-robot': 'robot$payments+pull', 'harbor-robot-ref-name': 'harbor-payments.pull-connection', 'harbor-robot-ref-key': 'attribute.secret' },
    });
    const bundle = named(objects, 'ConfigMap', 'secure-web-policies', 'payments');
    expect(Object.keys(bundle.data).sort()).toEqual(['constraints.yaml', 'expansions.yaml', 'namespace.yaml', 'templates.yaml']);
    const docCount = (file: string) => bundle.data[file].split('\n').filter((l: string) => l === '---').length;
    const installed = (group: string) => objects.filter((o) => o.apiVersion.startsWith(`${group}/`)).length;
    expect(docCount('templates.yaml')).toBe(installed('templates.gatekeeper.sh'));
    expect(docCount('constraints.yaml')).toBe(installed('constraints.gatekeeper.sh'));
    expect(docCount('expansions.yaml')).toBe(installed('expansion.gatekeeper.sh'));
    expect(JSON.parse(bundle.data['namespace.yaml'].slice(4))).toEqual(named(objects, 'Namespace', 'payments'));
  });

  test('opens egress per stage, to the typed destinations only, selected by run template', () => {
    const egress = inNs('NetworkPolicy').filter((p) => p.spec.podSelector?.matchLabels?.['carto.run/run-template-name']);
    const byStage: { [rt: string]: any[] } = {};
    for (const p of egress) {
      const rt = p.spec.podSelector.matchLabels['carto.run/run-template-name'];
      byStage[rt] = [...(byStage[rt] ?? []), ...p.spec.egress];
    }
    expect(Object.keys(byStage).sort()).toEqual(['secure-web-git-writer', 'secure-web-grype', 'secure-web-harbor-report']);
    const peers = (rt: string) => byStage[rt].map((r) => ({ to: r.to, ports: r.ports }));
    const cidr = (block: string, port: number) => ({ to: [{ ipBlock: { cidr: block } }], ports: [{ protocol: 'TCP', port }] });
    const flux = {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'flux-system' } }, podSelector: { matchLabels: { app: 'source-controller' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    };
    expect(peers('secure-web-grype')).toHaveLength(2);
    expect(peers('secure-web-grype')).toEqual(expect.arrayContaining([cidr('10.50.0.10/32', 443), flux]));
    expect(peers('secure-web-harbor-report')).toEqual([cidr('10.40.0.0/28', 443)]);
    expect(peers('secure-web-git-writer')).toEqual([cidr('10.40.1.0/28', 443)]);
  });

  test('a second workload in the namespace adds its own account and binding only', () => {
    const t = setup();
    t.chain.attachWorkload(new TestWorkload(t.tenant, 'statements'), credentials(t));
    const o = synthObjects(t.app);
    expect(ofKind(o, 'RoleBinding', 'payments').map((b) => b.metadata.name)).toEqual(expect.arrayContaining(['ledger-chain-secure-web', 'statements-chain-secure-web']));
    expect(ofKind(o, 'Role', 'payments').filter((r) => r.metadata.name === 'secure-web-stamper')).toHaveLength(1);
    expect(ofKind(o, 'ConfigMap', 'payments').map((c) => c.metadata.name).sort()).toEqual(['secure-web-policies', 'secure-web-settings']);
    expect(t.chain.workloads.map((w) => w.workloadName)).toEqual(['ledger', 'statements']);
  });

  test('the whole platform synthesizes (policy gate included) and validates with 0 errors, byte-identical twice', () => {
    const build = (app: App) => { setup({ app }); };
    const a = synthToDir(build);
    const b = synthToDir(build);
    expect(readTree(a)).toEqual(readTree(b));
    if (HAS_SHARED) expect(kubeValidate(a)).toMatch(/ 0 errors, 0 warnings$/);
    const reports = `${a}-reports`;
    if (fs.existsSync(reports)) expect(fs.readdirSync(reports).every((f) => !f.endsWith('.yaml'))).toBe(true);
  });
});

describe('defaults', () => {
  const s = setup({ props: { severity: undefined } });
  test('name secure-<type>, threshold HIGH, kpack-build, upstream grype database, Flux source-controller', () => {
    expect(s.chain.chainName).toBe('secure-web');
    expect(s.chain.severityThreshold).toBe(RegistrySeverity.HIGH);
    expect(s.chain.sourceGate.severityThreshold).toBe(RegistrySeverity.HIGH);
    expect(s.chain.imageGate.severityThreshold).toBe(RegistrySeverity.HIGH);
    const objects = synthObjects(s.app);
    const image = named(objects, 'ClusterImageTemplate', 'secure-web-image');
    expect(image.spec.template.spec.serviceAccountName).toBe('kpack-build');
    const grype = named(objects, 'ClusterRunTemplate', 'secure-web-grype');
    const env = grype.spec.template.spec.taskSpec.steps.find((x: any) => x.name === 'scan').env;
    expect(env).toContainEqual({ name: 'GRYPE_DB_UPDATE_URL', value: 'https://grype.anchore.io/databases' });
    expect(named(objects, 'ClusterSourceTemplate', 'secure-web-source').spec.template.spec.secretRef).toBeUndefined();
    expect(ofKind(objects, 'NetworkPolicy', 'payments').some((p) => JSON.stringify(p).includes('source-controller'))).toBe(true);
  });

  test('the gates and the chain are found by the platform\'s severity check', () => {
    expect(s.chain.sourceGate).toBeInstanceOf(SupplyChainGate);
    expect([s.chain.sourceGate.stage, s.chain.imageGate.stage]).toEqual([SupplyChainStage.SECURITY_SCAN, SupplyChainStage.IMAGE_SCAN]);
    expect(s.chain.sourceGate.template.kind).toBe('ClusterSourceTemplate');
    expect(s.chain.imageGate.template.kind).toBe('ClusterImageTemplate');
  });
});

describe('synth-time checks', () => {
  test('a chain whose threshold differs from the platform\'s fails synth, naming both sides', () => {
    const s = setup({ props: { severity: RegistrySeverity.CRITICAL } });
    expect(() => s.app.synth()).toThrow(/\[bank\/components\/chain-web\/SecurityScan\] blocks images at severity "critical", but \[bank\] registry\.severity is "high"/);
    expect(() => s.app.synth()).toThrow(/\[bank\/components\/chain-web\/ImageScan\] blocks images at severity "critical"/);
  });

  test('a constraint installed beside the catalog is missing from the bundle: synth fails naming both', () => {
    const s = setup();
    const extra = new Chart(s.app, 'extra');
    new ApiObject(extra, 'constraint', {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'DevSecOpsPrivilegedContainers',
      metadata: { name: 'extra-privileged' },
      spec: { enforcementAction: 'deny' },
    });
    expect(s.chain.checks()).toEqual([expect.stringMatching(
      /^\[bank\/components\/chain-web\] policy bundle \(from \[bank\/components\/policies\]\) lacks constraints\.gatekeeper\.sh\/DevSecOpsPrivilegedContainers\/extra-privileged, which \[extra\/constraint\] installs; .*through the PolicyCatalog/)]);
    expect(() => s.app.synth()).toThrow(/lacks constraints\.gatekeeper\.sh\/DevSecOpsPrivilegedContainers\/extra-privileged/);
  });

  test('the bundle equals the installed policies when everything comes from the catalog', () => {
    expect(setup().chain.checks()).toEqual([]);
  });

  test('a catalog of another App is refused', () => {
    const other = newPlatform(Testing.app());
    const app = Testing.app();
    const p = newPlatform(app);
    const chain = new SecureSupplyChain(p.components, 'chain', chainProps(p, addBuilder(p), { policies: other.policies }));
    expect(chain.checks()).toEqual([expect.stringContaining('[bank/components/chain] bundles the policies of [bank/components/policies], which is not in this App')]);
  });
});

describe('bad input', () => {
  const build = (props: any, app = Testing.app()) => {
    const p = newPlatform(app);
    return () => new SecureSupplyChain(p.components, 'chain', { ...chainProps(p, addBuilder(p)), ...props });
  };

  test('deploy target missing', () => {
    expect(build({ deployTarget: undefined })).toThrow(
      /^\[bank\/components\/chain\] 'deployTarget' is missing: the deployer has nowhere to write the checked configuration, got undefined; set deployTarget: \{ repositoryUrl: "https:/);
  });

  test.each([
    'http://git.bank.example/platform/gitops.git',
    'git://git.bank.example/platform/gitops.git',
    'file:///srv/gitops.git',
    'git.bank.example/platform/gitops.git',
  ])('deploy repository %s is not https or ssh', (url) => {
    expect(build({ deployTarget: { ...DEPLOY_TARGET, repositoryUrl: url } })).toThrow(
      new RegExp(`^\\[bank/components/chain\\] 'deployTarget.repositoryUrl' is not an https:// or ssh URL, got "${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"; use "https://`));
  });

  test.each(['ssh://git@git.bank.example/platform/gitops.git', 'git@git.bank.example:platform/gitops.git'])('accepts the ssh URL %s', (url) => {
    expect(build({ deployTarget: { ...DEPLOY_TARGET, repositoryUrl: url } })).not.toThrow();
  });

  test('credentials in the deploy URL are refused without echoing them', () => {
    expect(build({ deployTarget: { ...DEPLOY_TARGET, repositoryUrl: 'https://bot:hunter2@git.bank.example/gitops.git' } })).toThrow(/'deployTarget.repositoryUrl' embeds credentials, got "https:\/\/\*\*\*@git\.bank\.example\/gitops\.git"/);
    expect(build({ deployTarget: { ...DEPLOY_TARGET, repositoryUrl: 'https://bot:hunter2@git.bank.example/gitops.git' } })).not.toThrow(/hunter2/);
  });

  test.each([
    [{ path: '../escape' }, 'deployTarget.path'],
    [{ path: '/abs' }, 'deployTarget.path'],
    [{ branch: 'main branch' }, 'deployTarget.branch'],
    [{ credentialsSecretName: 'Not_A_Name' }, 'deployTarget.credentialsSecretName'],
  ])('deploy target %j is refused on %s', (change, prop) => {
    expect(build({ deployTarget: { ...DEPLOY_TARGET, ...change } })).toThrow(`'${prop}'`);
  });

  test('egress must list destinations for each stage that connects', () => {
    expect(build({ egress: { ...EGRESS, registry: [] } })).toThrow(/'egress\.registry' must list where the stage's pods connect/);
    expect(build({ egress: undefined })).toThrow(/'egress' is missing/);
  });

  test('policies must be a PolicyCatalog, builder a KpackClusterBuilder', () => {
    expect(build({ policies: {} })).toThrow(/'policies' must be the platform's PolicyCatalog/);
    expect(build({ builder: 'paketo' })).toThrow(/'builder' must be a KpackClusterBuilder/);
  });

  test('an unpinned tool image is refused for a SENSITIVE tenant, with the fix', () => {
    expect(() => setup({ props: { toolImages: [] } })).toThrow(
      /\[bank\/components\/chain-web\] 'toolImages' has images not pinned by digest, refused for SENSITIVE tenant "payments" \(bank\/payments\/Workload-ledger\), got \["docker\.io\/openpolicyagent\/gator:v3\.23\.0"\]; pin them: toolImages: \[\{ tool: SupplyChainTool\.GATOR, image: "<repository>:<tag>@sha256:<64 hex>" \}\]/);
    expect(() => setup({ props: { toolImages: [{ tool: SupplyChainTool.GATOR, image: PINNED_GATOR }, { tool: SupplyChainTool.GRYPE, image: `${HOST}/platform/tools/grype:v0.118.0` }] } }))
      .toThrow(/got \["harbor\.bank\.example\/platform\/tools\/grype:v0\.118\.0"\]; pin them: toolImages: \[\{ tool: SupplyChainTool\.GRYPE/);
  });

  test('STANDARD and DEV tenants accept a tag-pinned tool image', () => {
    expect(() => setup({ tier: Tier.STANDARD, props: { toolImages: [] } })).not.toThrow();
    expect(() => setup({ tier: Tier.DEV, props: { toolImages: [{ tool: SupplyChainTool.GRYPE, image: 'docker.io/anchore/grype:v0.118.0' }] } })).not.toThrow();
  });

  test('a workload whose type differs from the chain\'s is refused, naming both', () => {
    const s = setup();
    const worker = new TestWorkload(s.tenant, 'batch', { type: WorkloadType.WORKER });
    expect(() => s.chain.attachWorkload(worker, credentials(s))).toThrow(
      "[bank/components/chain-web] 'attachWorkload.workload' is a worker workload (bank/payments/Workload-batch), but this chain selects web workloads, got \"batch\"; attach it to the chain of type worker, or give the workload type web");
  });

  test('a prebuilt workload, a second attach and another tenant\'s robot are refused', () => {
    const s = setup();
    expect(() => s.chain.attachWorkload(new TestWorkload(s.tenant, 'vendor', { prebuilt: true }), credentials(s))).toThrow(/runs a prebuilt image: the chain builds from source only/);
    expect(() => s.chain.attachWorkload(s.workload, credentials(s))).toThrow(/is already attached, got "payments\/ledger"/);
    const other = s.platform.addTenant('risk', { tier: Tier.STANDARD, team: 'risk-eng' });
    expect(() => s.chain.attachWorkload(new TestWorkload(s.tenant, 'fx'), credentials(s, other))).toThrow(
      /'attachWorkload\.options\.scanCredentials' names a robot whose credentials are written to namespace "risk", not the workload's "payments"/);
    expect(() => s.chain.attachWorkload(new TestWorkload(s.tenant, 'fx2'), {} as any)).toThrow(/'attachWorkload\.options\.scanCredentials' is missing/);
  });

  test('scan credentials need a robot that reads artifacts', () => {
    const s = setup();
    const push = s.platform.projectOf(s.tenant).addPushRobot('payments', 'harbor-push');
    expect(() => SupplyChainScanCredentials.fromHarborRobot(push)).toThrow(
      /\[bank\/payments\/RegistryProject\/PushRobot\] 'permissions' cannot read artifacts, so image-scan could not read the scan report, got \["repository\/pull","repository\/push","tag\/create","tag\/list"\]/);
    expect(() => SupplyChainScanCredentials.fromHarborRobot('robot' as any)).toThrow(/'robot' must be a HarborRobot/);
    const fromSecret = SupplyChainScanCredentials.fromSecret('robot$payments+scan', 'harbor-scan', 'password');
    expect(() => s.chain.attachWorkload(new TestWorkload(s.tenant, 'fx'), { scanCredentials: fromSecret })).not.toThrow();
    expect(() => s.chain.attachWorkload(new TestWorkload(s.tenant, 'fy'), { scanCredentials: SupplyChainScanCredentials.fromSecret('robot x', 'harbor-scan', 'password') }))
      .toThrow(/'attachWorkload\.options\.scanCredentials\.username' must be a Harbor user name without whitespace/);
  });

  test('bad names and URLs', () => {
    expect(build({ name: 'Secure_Web' })).toThrow(/'name' must be a DNS label/);
    expect(build({ name: 'a'.repeat(41) })).toThrow(/at most 40 characters/);
    expect(build({ vulnerabilityDatabaseUrl: 'http://mirror/databases' })).toThrow(/'vulnerabilityDatabaseUrl' must be an https:\/\/ URL/);
    expect(build({ registryHost: 'https://harbor' })).toThrow(/'registryHost' must be a registry host/);
    expect(build({ workloadType: 'batch' })).toThrow(/'workloadType' is not a workload type/);
  });
});

describe('the tool table', () => {
  test('one image per tool; every default but gator pinned by digest', () => {
    expect(SupplyChainToolImages.tools()).toEqual(['grype', 'jq', 'curl', 'gator', 'git']);
    const unpinned = SupplyChainToolImages.tools().filter((t) => !SupplyChainToolImages.isPinned(SupplyChainToolImages.defaultImage(t)));
    expect(unpinned).toEqual([SupplyChainTool.GATOR]);
    expect(SupplyChainToolImages.defaultImage(SupplyChainTool.GATOR)).toBe('docker.io/openpolicyagent/gator:v3.23.0');
  });

  test('overrides replace one tool each and are validated', () => {
    const scope = new Chart(Testing.app(), 'c');
    const images = new SupplyChainToolImages(scope, [{ tool: SupplyChainTool.JQ, image: `${HOST}/platform/jq:1.8.1@sha256:${'f'.repeat(64)}` }]);
    expect(images.imageOf(SupplyChainTool.JQ)).toBe(`${HOST}/platform/jq:1.8.1@sha256:${'f'.repeat(64)}`);
    expect(images.isOverridden(SupplyChainTool.JQ)).toBe(true);
    expect(images.imageOf(SupplyChainTool.GIT)).toBe(SupplyChainToolImages.defaultImage(SupplyChainTool.GIT));
    expect(() => new SupplyChainToolImages(scope, [{ tool: 'helm' as any, image: 'x:1' }])).toThrow(/\[c\] 'toolImages\[0\]\.tool' is not a supply chain tool/);
    expect(() => new SupplyChainToolImages(scope, [{ tool: SupplyChainTool.JQ, image: 'a:1' }, { tool: SupplyChainTool.JQ, image: 'b:1' }])).toThrow(/'toolImages\[1\]\.tool' is overridden twice/);
    expect(() => new SupplyChainToolImages(scope, [{ tool: SupplyChainTool.JQ, image: 'UPPER/case image' }])).toThrow(/'toolImages\[0\]\.image' is not a valid image reference/);
  });
});
