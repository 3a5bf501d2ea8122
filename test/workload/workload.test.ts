import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, JsonPatch, Testing } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { stringify } from 'yaml';
import {
  BuiltInPolicy, DevSecOpsPlatform, KpackGitSource, NetworkPeer, NetworkPort, PlatformLabels, PolicyGate, SecureSupplyChain, Tier,
  Workload,
  WorkloadLabels, WorkloadParams, WorkloadType,
} from '../../src';
import { GatekeeperValidationPlugin } from '../../src/policy';
import { keyPair } from '../registry/fixtures';
import { addBuilder, chainPlatformProps, chainProps } from '../supply-chain/fixtures';
import { HAS_SHARED, kubeValidate, named, ofKind, readTree, synthObjects, synthToDir } from '../util';

const HOST = 'harbor.bank.example';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const HARBOR = { providerCredentialsSecretName: 'harbor-provider-credentials' };
const EGRESS = [{ peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] }];
const GIT = KpackGitSource.branch('https://git.bank.example/payments/ledger.git', 'main');

/** A platform with an unmanaged registry and two tenants that carry a pull Secret. */
function plain(app = Testing.app()) {
  const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST } });
  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const sandbox = platform.addTenant('sandbox', { tier: Tier.DEV, team: 'dev-eng' });
  payments.addImagePullSecret('harbor-pull');
  sandbox.addImagePullSecret('harbor-pull');
  return { app, platform, payments, sandbox };
}

/** A platform with Harbor, signing and builds. */
function managed(app = Testing.app(), tenant = 'payments', tier = Tier.SENSITIVE) {
  const platform = new DevSecOpsPlatform(app, 'bank', chainPlatformProps());
  const builder = addBuilder(platform);
  const payments = platform.addTenant(tenant, { tier, team: 'payments-eng' });
  return { app, platform, payments, builder };
}

const image = (tenant: string, repo = 'web') => `${HOST}/${tenant}/${repo}@${DIGEST}`;

describe('a workload from a prebuilt image', () => {
  test('writes a Deployment and a Service in the tenant namespace that every catalog policy admits', () => {
    const { app, payments } = plain();
    const web = payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }] });
    app.synth();
    const objects = synthObjects(app);
    const deployment = named(objects, 'Deployment', 'web', 'payments');
    const service = named(objects, 'Service', 'web', 'payments');
    expect(deployment.spec.template.spec.containers[0].image).toBe(image('payments'));
    expect(service.spec.selector).toEqual({ [WorkloadLabels.NAME]: 'web' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    expect(deployment.spec.selector.matchLabels).toEqual(web.selectorLabels);
    expect(deployment.spec.template.metadata.labels).toEqual(web.podLabels);
    expect(PolicyGate.of(app).lastReport!.violations).toEqual([]);
    // No Cartographer Workload: nothing is built.
    expect(ofKind(objects, 'Workload')).toEqual([]);
  });

  test('derives every name once: Deployment, Service, container and service account take the workload name', () => {
    const { payments } = plain();
    const w = payments.addWorkload('ledger-api', { image: image('payments'), ports: [{ port: 8443, name: 'https' }] });
    expect([w.deploymentName, w.serviceName, w.containerName, w.serviceAccountName]).toEqual(['ledger-api', 'ledger-api', 'ledger-api', 'ledger-api']);
    expect(w.namespace).toBe('payments');
    expect(w.builtByChain).toBe(false);
    expect(w.imageRepository).toBeUndefined();
    expect(payments.serviceAccountNames).toContain('ledger-api');
    const sa = named(Testing.synth(payments), 'ServiceAccount', 'ledger-api', 'payments');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
  });

  test('pods carry the tenant\'s workload labels, so later layers and the policy gate select them', () => {
    const { payments } = plain();
    const w = payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }], labels: { 'bank.example/cost-center': 'cc-42' } });
    expect(w.podLabels).toMatchObject({ ...payments.workloadLabels, 'bank.example/cost-center': 'cc-42', [WorkloadLabels.NAME]: 'web' });
    expect(w.podLabels[PlatformLabels.TENANT]).toBe('payments');
  });

  test('defaults: WEB, 2 replicas, requests 100m/128Mi and limits 500m/512Mi, restricted security context, read-only root with a /tmp volume', () => {
    const { payments } = plain();
    const w = payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }] });
    expect(w.workloadType).toBe(WorkloadType.WEB);
    const deployment = named(Testing.synth(payments), 'Deployment', 'web', 'payments');
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('a WORKER has no Service; replicas, resources and env are taken as given, env sorted by name', () => {
    const { payments } = plain();
    const w = payments.addWorkload('settle', {
      image: image('payments', 'settle'),
      type: WorkloadType.WORKER,
      replicas: 3,
      resources: { cpuLimit: '2', memoryLimit: '1Gi' },
      env: { ZONE: 'eu', APP_MODE: 'batch' },
    });
    expect(w.serviceName).toBeUndefined();
    const objects = Testing.synth(payments);
    expect(ofKind(objects, 'Service')).toEqual([]);
    const d = named(objects, 'Deployment', 'settle', 'payments');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '2', memory: '1Gi' });
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'APP_MODE', value: 'batch' }, { name: 'ZONE', value: 'eu' }]);
  });

  test('what other layers add through IWorkload reaches the pod: secret env and volumes, annotations, node placement', () => {
    const { payments } = plain();
    const w = payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }], env: { MODE: 'live' } });
    w.addSecretEnv('DB_PASSWORD', 'web-db', 'password');
    w.addSecretVolume('web-tls', '/var/run/secrets/tls');
    w.addPodAnnotation('secrets.devsecops.cdk8s.io/version', '3');
    w.addNodeSelector('pool', 'sensitive');
    w.addToleration({ key: 'pool', value: 'sensitive', effect: 'NoSchedule' });
    w.addToleration({ key: 'pool', value: 'sensitive', effect: 'NoSchedule' });
    const pod = named(Testing.synth(payments), 'Deployment', 'web', 'payments').spec.template;
    expect(pod.metadata.annotations).toEqual({ 'secrets.devsecops.cdk8s.io/version': '3' });
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'web-db', key: 'password' } } },
      { name: 'MODE', value: 'live' },
    ]);
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: 'secret-0', mountPath: '/var/run/secrets/tls', readOnly: true });
    expect(pod.spec.volumes).toContainEqual({ name: 'secret-0', secret: { secretName: 'web-tls', defaultMode: 0o440 } });
    expect(pod.spec.nodeSelector).toEqual({ pool: 'sensitive' });
    expect(pod.spec.tolerations).toEqual([{ key: 'pool', operator: 'Equal', value: 'sensitive', effect: 'NoSchedule' }]);
  });

  test('a DEV tenant may deploy a tagged image; a SENSITIVE one may not', () => {
    const { sandbox, payments } = plain();
    expect(() => sandbox.addWorkload('web', { image: `${HOST}/sandbox/web:1.0`, ports: [{ port: 8080 }] })).not.toThrow();
    expect(() => payments.addWorkload('web', { image: `${HOST}/payments/web:1.0`, ports: [{ port: 8080 }] }))
      .toThrow(/\[bank\/payments\/Workload-web\] 'image' is not pinned by digest, got "harbor.bank.example\/payments\/web:1.0"; append the image digest/);
  });

  test.each([
    ['both source and image', { source: GIT, image: image('payments') }, /'source' and 'image' are both given/],
    ['neither source nor image', { ports: [{ port: 8080 }] }, /'source' and 'image' are both missing/],
    ['a WEB workload without ports', { image: image('payments') }, /'ports' is empty, but a WEB workload serves on at least one port/],
    ['a repeated port', { image: image('payments'), ports: [{ port: 8080 }, { port: 8080, name: 'other' }] }, /'ports' repeats port 8080/],
    ['a bad port name', { image: image('payments'), ports: [{ port: 8080, name: 'HTTP' }] }, /'ports\[0\].name' is not a port name/],
    ['the default service account', { image: image('payments'), ports: [{ port: 8080 }], serviceAccountName: 'default' }, /'serviceAccountName' is the namespace's default service account/],
    ['a platform label', { image: image('payments'), ports: [{ port: 8080 }], labels: { 'app.kubernetes.io/name': 'x' } }, /'labels.app.kubernetes.io\/name' is a label the platform derives/],
    ['zero replicas', { image: image('payments'), ports: [{ port: 8080 }], replicas: 0 }, /'replicas' must be an integer of at least 1/],
    ['a bad quantity', { image: image('payments'), ports: [{ port: 8080 }], resources: { cpuLimit: 'lots' } }, /'resources.cpuLimit'/],
    ['a repository for a prebuilt image', { image: image('payments'), ports: [{ port: 8080 }], repository: 'x' }, /'repository' applies only to a workload built from source/],
  ])('refuses %s with the construct path and the fix', (_what, props, message) => {
    expect(() => plain().payments.addWorkload('web', props as any)).toThrow(message);
    expect(() => plain().payments.addWorkload('web', props as any)).toThrow(/^\[bank\/payments\/Workload-web\] /);
  });

  test('refuses a second workload of the same name, and a workload for a tenant of another platform', () => {
    const { platform, payments } = plain();
    payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }] });
    expect(() => payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }] })).toThrow(/'addWorkload.name' is already a workload of this tenant/);
    const other = plain(Testing.app());
    expect(() => platform.addWorkload(other.payments, 'api', { image: image('payments'), ports: [{ port: 8080 }] }))
      .toThrow(/\[bank\] 'addWorkload.tenant' is not a tenant of this platform/);
  });

  test('a source workload needs a platform with a managed registry and builds', () => {
    const { payments } = plain();
    expect(() => payments.addWorkload('ledger', { source: GIT, ports: [{ port: 8080 }] }))
      .toThrow(/'source' needs a platform with a managed registry and builds/);
  });

  test('a source workload on a platform with builds but no supply chain is refused: no chain would select its type', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: HOST, harbor: HARBOR }, signing: { key: keyPair() }, builds: { egress: EGRESS } });
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    expect(() => payments.addWorkload('ledger', { source: GIT, type: WorkloadType.WORKER }))
      .toThrow(/\[bank\/payments\/Workload-ledger\] 'source' needs a supply chain for workload type "worker", and the platform has none, .*; set supplyChain in the platform props/);
  });

  test('a second chain selecting the same workload type fails synth, naming the workload and both chains', () => {
    const { app, payments, platform, builder } = managed();
    platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    new SecureSupplyChain(platform.components, 'another-web-chain', chainProps(platform, builder, { name: 'another-web' }));
    expect(() => app.synth()).toThrow(/\[bank\/payments\/Workload-ledger\] workload "ledger" \(type web\) is selected by 2 supply chains \(\[bank\/components\/chain-web\/Resource\], \[bank\/components\/another-web-chain\/Resource\]\)/);
  });

  test('synth fails when a chain template reads a workload field the workload does not set, or a parameter it does not declare', () => {
    const removedField = managed();
    const w = removedField.platform.addWorkload(removedField.payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    (w.node.defaultChild as ApiObject).addJsonPatch(JsonPatch.remove('/spec/serviceAccountName'));
    expect(() => removedField.app.synth()).toThrow(
      /\[bank\/components\/chain-web\/[^\]]+\] template "secure-web-[a-z-]+" reads \$\(workload\.spec\.serviceAccountName\)\$, which \[bank\/payments\/Workload-ledger\/Resource\] workload "ledger" does not set/);

    const undeclared = managed();
    undeclared.platform.addWorkload(undeclared.payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    const builder = undeclared.platform.supplyChains[0].node.findAll().find((c) => c instanceof ApiObject && c.kind === 'ClusterImageTemplate'
      && (c as ApiObject).toJson().spec.template.kind === 'Image') as ApiObject;
    builder.addJsonPatch(JsonPatch.remove('/spec/params'));
    expect(() => undeclared.app.synth()).toThrow(/template "secure-web-image" reads \$\(params\.image-repository\)\$, but declares no parameter "image-repository"/);
  });

  test('a source workload refuses a plain-http git URL and accepts ssh', () => {
    const { payments } = managed();
    expect(() => payments.addWorkload('ledger', { source: KpackGitSource.branch('http://git.bank.example/l.git', 'main'), ports: [{ port: 8080 }] }))
      .toThrow(/'source.url' is not an https:\/\/ URL/);
    expect(() => payments.addWorkload('ssh', { source: KpackGitSource.branch('git@git.bank.example:payments/ledger.git', 'main'), ports: [{ port: 8080 }] }))
      .not.toThrow();
  });

  if (HAS_SHARED) {
    test('the output passes kube-validate --pss', () => {
      const dir = synthToDir((app) => {
        const { payments, sandbox } = plain(app);
        payments.addWorkload('web', { image: image('payments'), ports: [{ port: 8080 }] }).addSecretEnv('TOKEN', 'web-token', 'token');
        sandbox.addWorkload('worker', { image: `${HOST}/sandbox/worker:1.0`, type: WorkloadType.WORKER });
      });
      expect(kubeValidate(dir)).toMatch(/ 0 errors/);
    });
  }
});

describe('a workload built from source', () => {
  test('writes a Cartographer Workload the chain selects by type, with the image repository in the tenant project and the rendered configuration', () => {
    const { payments, platform } = managed();
    const w = platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }], subPath: 'services/ledger' });
    expect(w).toBeInstanceOf(Workload);
    expect(w.builtByChain).toBe(true);
    expect(w.imageRepository).toBe(`${platform.projectOf(payments).repositoryPrefix}/ledger`);
    const objects = Testing.synth(payments);
    const cw = named(objects, 'Workload', 'ledger', 'payments');
    expect(cw.apiVersion).toBe('carto.run/v1alpha1');
    expect(cw.metadata.labels[WorkloadLabels.WORKLOAD_TYPE]).toBe('web');
    expect(cw.spec.serviceAccountName).toBe('ledger-chain');
    expect(cw.spec.source).toEqual({ git: { url: GIT.url, ref: { branch: 'main' } }, subPath: 'services/ledger' });
    const params = Object.fromEntries(cw.spec.params.map((p: any) => [p.name, p.value]));
    expect(params[WorkloadParams.IMAGE_REPOSITORY]).toBe(`${HOST}/payments/ledger`);
    const [deployment, service] = params[WorkloadParams.CONFIG];
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.spec.template.spec.containers[0].image).toBe(`${HOST}/payments/ledger`);
    expect(service.kind).toBe('Service');
    // The chain deploys the Deployment: the library writes none itself.
    expect(ofKind(objects, 'Deployment')).toEqual([]);
  });

  test('the rendered configuration follows what layers add after the workload is created', () => {
    const { payments, platform } = managed();
    const w = platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    w.addSecretEnv('DB_PASSWORD', 'ledger-db', 'password');
    const cw = named(Testing.synth(payments), 'Workload', 'ledger', 'payments');
    const config = cw.spec.params.find((p: any) => p.name === WorkloadParams.CONFIG).value;
    expect(config[0].spec.template.spec.containers[0].env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'password' } } }]);
  });

  test('node placement added by a layer reaches the rendered configuration and the chain\'s parameters for tool and build pods', () => {
    const { payments, platform } = managed();
    const w = platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    w.addNodeSelector('pool', 'payments');
    w.addToleration({ key: 'pool', value: 'payments', effect: 'NoSchedule' });
    const cw = named(Testing.synth(payments), 'Workload', 'ledger', 'payments');
    const params = Object.fromEntries(cw.spec.params.map((p: any) => [p.name, p.value]));
    expect(params[WorkloadParams.NODE_SELECTOR]).toEqual({ pool: 'payments' });
    expect(params[WorkloadParams.TOLERATIONS]).toEqual([{ key: 'pool', operator: 'Equal', value: 'payments', effect: 'NoSchedule' }]);
    expect(params[WorkloadParams.CONFIG][0].spec.template.spec.nodeSelector).toEqual({ pool: 'payments' });
    // without placement, no parameter: the templates' defaults (no placement) apply
    const bare = managed();
    bare.platform.addWorkload(bare.payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    const names = named(Testing.synth(bare.payments), 'Workload', 'ledger', 'payments').spec.params.map((p: any) => p.name);
    expect(names).toEqual([WorkloadParams.IMAGE_REPOSITORY, WorkloadParams.CONFIG]);
  });

  test('the build layer gives the tenant its build account and lets the workload\'s build pods reach the build egress', () => {
    const { payments, platform } = managed();
    platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    const objects = Testing.synth(payments);
    expect(named(objects, 'ServiceAccount', 'kpack-build', 'payments')).toBeDefined();
    const egress = ofKind(objects, 'NetworkPolicy').filter((p: any) => p.spec.podSelector?.matchLabels?.['image.kpack.io/image'] === 'ledger');
    expect(egress.length).toBeGreaterThan(0);
    expect(egress.flatMap((p: any) => p.spec.egress.flatMap((r: any) => r.to.map((t: any) => t.ipBlock?.cidr)))).toContain('10.40.0.0/28');
  });

  test('a tenant\'s project name moves every derived reference: the image repository and the rendered image', () => {
    for (const tenant of ['payments', 'card-issuing']) {
      const t = managed(Testing.app(), tenant, Tier.STANDARD).payments;
      const w = t.addWorkload('api', { source: GIT, ports: [{ port: 8080 }] });
      const cw = named(Testing.synth(t), 'Workload', 'api', tenant);
      const params = Object.fromEntries(cw.spec.params.map((p: any) => [p.name, p.value]));
      expect(w.imageRepository).toBe(`${HOST}/${tenant}/api`);
      expect(params[WorkloadParams.IMAGE_REPOSITORY]).toBe(w.imageRepository);
      expect(params[WorkloadParams.CONFIG][0].spec.template.spec.containers[0].image).toBe(w.imageRepository);
    }
  });

  test('two workloads of a tenant cannot push to one repository', () => {
    const { payments, platform } = managed();
    platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    expect(() => platform.addWorkload(payments, 'ledger-v2', { source: GIT, ports: [{ port: 8080 }], repository: 'ledger' }))
      .toThrow(/\[bank\/payments\/Workload-ledger-v2\] 'repository' is the image repository of workload "ledger" \(bank\/payments\/Workload-ledger\) too, got "ledger"/);
  });

  test('synthesizing twice gives the same files', () => {
    const build = (app: App) => {
      const { payments, platform } = managed(app);
      platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] }).addSecretEnv('B', 's', 'k');
    };
    const a = synthToDir(build);
    const b = synthToDir(build);
    expect(readTree(a)).toEqual(readTree(b));
  });
});

describe('the synth-time policy gate judges what the chain will deploy', () => {
  /** A platform whose own constraint requires a cost-center label on every Deployment. */
  function withCostCenterPolicy() {
    const m = managed();
    m.platform.policies.template(BuiltInPolicy.REQUIRED_LABELS).addConstraint('cost-center', {
      match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] },
      parameters: { labels: [{ key: 'bank.example/cost-center' }] },
    });
    return m;
  }

  test('a built workload whose rendered Deployment admission would refuse fails synth, naming the workload', () => {
    const { app, payments, platform } = withCostCenterPolicy();
    platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    expect(() => app.synth()).toThrow(/\[bank\/payments\/Workload-ledger\/Resource\/platform-config\/Deployment\] Deployment payments\/ledger violates .*bank.example\/cost-center/);
  });

  test('the same workload with the label passes', () => {
    const { app, payments, platform } = withCostCenterPolicy();
    platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }], labels: { 'bank.example/cost-center': 'cc-7' } });
    app.synth();
    const report = PolicyGate.of(app).lastReport!;
    expect(report.violations).toEqual([]);
  });

  test('the cdk8s-cli validation plugin judges the same rendered configuration from the written manifests', async () => {
    const dir = synthToDir((app) => {
      const { payments, platform } = managed(app);
      platform.addWorkload(payments, 'ledger', { source: GIT, ports: [{ port: 8080 }] });
    });
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    // The platform's own constraint plus one more, from the manifests only.
    const extra = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-')), 'cost.k8s.yaml');
    fs.writeFileSync(extra, stringify({
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'DevSecOpsRequiredLabels',
      metadata: { name: 'cost-center' },
      spec: { enforcementAction: 'deny', match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] }, parameters: { labels: [{ key: 'bank.example/cost-center' }] } },
    }));
    const context = new ValidationContext([...files, extra], 'cdk8s-devsecops', '0.0.0', {} as any, false);
    await new GatekeeperValidationPlugin().validate(context);
    const report = context.report.toJson();
    expect(report.summary.status).toBe('failure');
    const rule = report.violations.find((v: any) => v.ruleName === 'DevSecOpsRequiredLabels/cost-center (deny)')!;
    expect(rule.violatingConstructs).toHaveLength(1);
    expect(rule.violatingConstructs[0]).toMatchObject({ resourceName: 'ledger', locations: ['Deployment/ledger'] });
    expect(rule.violatingConstructs[0].manifestPath).toMatch(/bank-payments\.k8s\.yaml$/);
  });
});

