import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  DevSecOpsPlatform, HarborProject, HarborProvider, ImagePullGrant, KpackClusterBuilder, KpackClusterLifecycle,
  KpackClusterStack, KpackClusterStore, KpackGitSource, NetworkPeer, NetworkPort, PlatformLabels, PolicyEvaluator,
  SignaturePolicy, Tenant, Tier,
} from '../../src';
import { grantRefusal } from '../../src/registry/private/image-boundary';
import { keyPair } from '../registry/fixtures';
import { ofKind, synthObjects } from '../util';

const HOST = 'harbor.bank.example';
const HARBOR = { providerCredentialsSecretName: 'harbor-provider-credentials' };
const DIGEST = `@sha256:${'e'.repeat(64)}`;
const sha = (hex: string) => `sha256:${hex.repeat(64)}`;

function platformOf(app: App, builds = false): DevSecOpsPlatform {
  return new DevSecOpsPlatform(app, 'bank', {
    registry: { host: HOST, harbor: HARBOR },
    signing: { key: keyPair() },
    ...(builds ? { builds: { egress: [{ peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] }] } } : {}),
  });
}

function bank(app: App, builds = false) {
  const platform = platformOf(app, builds);
  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const coreBanking = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
  const devSandbox = platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });
  return { platform, payments, coreBanking, devSandbox };
}

/** A pod spec every tier's policies admit, running `image`. */
function podSpec(image: string): k8s.PodSpec {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app',
      image,
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      resources: {
        requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
        limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
      },
    }],
  };
}

/** A policy-compliant Deployment `web` in the tenant, running `image`. */
function deployment(tenant: Tenant, image: string, id = 'Deployment-web'): k8s.KubeDeployment {
  const labels = { 'app.kubernetes.io/name': 'web', [PlatformLabels.OWNER]: tenant.team, [PlatformLabels.DATA_CLASSIFICATION]: tenant.dataClassification };
  return new k8s.KubeDeployment(tenant, id, {
    metadata: { name: 'web', namespace: tenant.namespaceName, labels },
    spec: { replicas: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, template: { metadata: { labels }, spec: podSpec(image) } },
  });
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth succeeded');
}

function tmpApp(): { app: App; outdir: string } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'image-boundary-')), 'dist');
  return { app: new App({ outdir }), outdir };
}

const written = (outdir: string) => (fs.existsSync(outdir) ? fs.readdirSync(outdir) : []);

/** A kpack build pod as kpack writes it (kpack.io/build label, controller reference to a Build). */
function buildPod(namespace: string, serviceAccountName: string, image: string, ownedByBuild = true): any {
  const spec = podSpec(image) as any;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'ledger-build-1-build-pod',
      namespace,
      labels: { 'kpack.io/build': 'ledger-build-1', 'image.kpack.io/image': 'ledger' },
      ...(ownedByBuild ? { ownerReferences: [{ apiVersion: 'kpack.io/v1alpha2', kind: 'Build', name: 'ledger-build-1', uid: 'u', controller: true }] } : {}),
    },
    spec: { ...JSON.parse(JSON.stringify(spec)), serviceAccountName },
  };
}

function addBuilder(platform: DevSecOpsPlatform): KpackClusterBuilder {
  const c = platform.components;
  return platform.addBuilder('paketo-jammy', {
    stack: new KpackClusterStack(c, 'jammy', {
      stackId: 'io.buildpacks.stacks.jammy',
      buildImage: `${HOST}/platform/build@${sha('a')}`,
      runImage: `${HOST}/platform/run@${sha('b')}`,
    }),
    store: new KpackClusterStore(c, 'paketo', { buildpackages: [{ image: `${HOST}/platform/java@${sha('c')}`, buildpackIds: ['paketo-buildpacks/java'] }] }),
    lifecycle: new KpackClusterLifecycle(c, 'lifecycle', { image: `${HOST}/platform/lifecycle@${sha('d')}` }),
    order: [{ group: [{ id: 'paketo-buildpacks/java' }] }],
  });
}

describe('each tenant pulls its own images (synth-time gate)', () => {
  test('a payments pod pulling a dev-sandbox image is refused at synth, naming the pod, the constraint and the image; nothing is written', () => {
    const { app, outdir } = tmpApp();
    const { payments } = bank(app);
    deployment(payments, `${HOST}/dev-sandbox/experiment${DIGEST}`);
    const message = synthError(app);
    expect(message).toContain('[bank/payments/Deployment-web] Pod payments/web-pod (pod template of Deployment/web) violates DevSecOpsAllowedRepositories '
      + `"allowed-repositories-sensitive" (deny): images of namespace payments must come from [${HOST}/payments]: ${HOST}/dev-sandbox/experiment${DIGEST}; `
      + 'pull from the tenant\'s own project, or from another project through a grant with a reason (DevSecOpsPlatform.grantImagePull)');
    expect(written(outdir)).toEqual([]);
  });

  test('the same pod from its own project passes, and so does every tenant from its own', () => {
    const app = Testing.app();
    const { payments, coreBanking, devSandbox } = bank(app);
    for (const t of [payments, coreBanking, devSandbox]) deployment(t, `${HOST}/${t.namespaceName}/web${DIGEST}`);
    expect(() => app.synth()).not.toThrow();
  });

  test('a look-alike project (payments-evil) is not the tenant\'s own', () => {
    const app = Testing.app();
    const { payments } = bank(app);
    deployment(payments, `${HOST}/payments-evil/web${DIGEST}`);
    expect(synthError(app)).toContain(`must come from [${HOST}/payments]: ${HOST}/payments-evil/web${DIGEST}`);
  });

  test('a tenant workload may not run images of the platform project, even in a tenant that builds', () => {
    const app = Testing.app();
    const { platform, payments } = bank(app, true);
    platform.addImage(payments, 'ledger', { builder: addBuilder(platform), source: KpackGitSource.branch('https://git.bank.example/p/l.git', 'main') });
    deployment(payments, `${HOST}/platform/builders/paketo-jammy${DIGEST}`);
    expect(synthError(app)).toContain(`images of namespace payments must come from [${HOST}/payments]: ${HOST}/platform/builders/paketo-jammy${DIGEST}`);
  });
});

describe('the synthesized Gatekeeper objects draw the same boundary', () => {
  // What the cluster's Gatekeeper would judge: the written templates and constraints, plus pods
  // that only exist at run time (kpack's build pods, a pod created by hand).
  function manifests(): any[] {
    const app = Testing.app();
    const { platform, payments } = bank(app, true);
    platform.addImage(payments, 'ledger', { builder: addBuilder(platform), source: KpackGitSource.branch('https://git.bank.example/p/l.git', 'main') });
    return synthObjects(app);
  }
  const objects = manifests();
  const judge = (pod: any) => PolicyEvaluator.evaluateManifests([...objects, pod]).violations
    .filter((v) => v.constraintKind === 'DevSecOpsAllowedRepositories').map((v) => `${v.constraintName}: ${v.message}`);
  const bare = (namespace: string, image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'by-hand', namespace }, spec: podSpec(image) });

  test('a payments pod with a dev-sandbox image is denied by allowed-repositories-sensitive', () => {
    expect(judge(bare('payments', `${HOST}/dev-sandbox/x${DIGEST}`))).toEqual([
      expect.stringMatching(/^allowed-repositories-sensitive: images of namespace payments must come from \[harbor\.bank\.example\/payments\]: harbor\.bank\.example\/dev-sandbox\/x@/),
    ]);
    expect(judge(bare('payments', `${HOST}/payments/x${DIGEST}`))).toEqual([]);
  });

  test('a kpack build pod of the tenant\'s build account may run the builder from the platform project', () => {
    expect(judge(buildPod('payments', 'kpack-build', `${HOST}/platform/builders/paketo-jammy${DIGEST}`))).toEqual([]);
  });

  test('a pod imitating a build pod (no controller reference to a Build, or another service account) may not', () => {
    const builder = `${HOST}/platform/builders/paketo-jammy${DIGEST}`;
    expect(judge(buildPod('payments', 'kpack-build', builder, false))).toHaveLength(1);
    expect(judge(buildPod('payments', 'default', builder))).toHaveLength(1);
    // A tenant without builds has no build entry at all.
    expect(judge(buildPod('dev-sandbox', 'kpack-build', builder))).toHaveLength(1);
  });

  test('the catalog sample of the new form: both imitations in build-pods/example_disallowed are denied', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'policy', 'catalog', 'allowed-repositories', 'samples', 'build-pods');
    const load = (f: string) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON());
    const template = objects.find((o) => o.kind === 'ConstraintTemplate' && o.spec.crd.spec.names.kind === 'DevSecOpsAllowedRepositories');
    const report = PolicyEvaluator.evaluateManifests([template, ...load('constraint.yaml'), ...load('example_disallowed.yaml')]);
    expect(report.violations.map((v) => v.objectName).sort()).toEqual(['imitation', 'ledger']);
  });
});

describe('grants', () => {
  test('a STANDARD tenant granted a DEV project pulls from it with its own robot; the grant and its reason are in the report', () => {
    const { app, outdir } = tmpApp();
    const { platform, coreBanking, devSandbox } = bank(app);
    platform.grantImagePull(coreBanking, ImagePullGrant.fromTenant(devSandbox, 'RISK-88: shared test fixtures image, reviewed'));
    deployment(coreBanking, `${HOST}/dev-sandbox/fixtures${DIGEST}`);
    app.synth();
    const objects = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJSON()));
    const standard = objects.find((o) => o.kind === 'DevSecOpsAllowedRepositories' && o.metadata.name === 'allowed-repositories-standard');
    expect(standard.spec.parameters.namespaceRepositories).toEqual({ 'core-banking': [`${HOST}/core-banking`, `${HOST}/dev-sandbox`] });
    const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === 'core-banking' && o.metadata.name === 'default');
    expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-pull' }, { name: 'harbor-dev-sandbox-pull' }]);
    const robot = objects.find((o) => o.kind === 'RobotAccount' && o.spec.forProvider.name === 'grant-core-banking');
    expect(robot.spec.writeConnectionSecretToRef.namespace).toBe('core-banking');
    const report = JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'policy-report.json'), 'utf8'));
    expect(report.imagePullGrants).toEqual([{
      namespace: 'core-banking',
      repository: `${HOST}/dev-sandbox`,
      reason: 'RISK-88: shared test fixtures image, reviewed',
      appliedTo: 'DevSecOpsAllowedRepositories/allowed-repositories-standard',
      constructPath: 'bank/components/policies/allowed-repositories/standard/Resource',
    }]);
  });

  test('a grant reaches only its consumer: payments still may not pull the dev-sandbox image', () => {
    const app = Testing.app();
    const { platform, payments, coreBanking, devSandbox } = bank(app);
    platform.grantImagePull(coreBanking, ImagePullGrant.fromTenant(devSandbox, 'RISK-88: shared test fixtures image, reviewed'));
    deployment(payments, `${HOST}/dev-sandbox/fixtures${DIGEST}`);
    expect(synthError(app)).toContain(`images of namespace payments must come from [${HOST}/payments]`);
  });

  test('a SENSITIVE tenant may pull a STANDARD project through a grant', () => {
    const app = Testing.app();
    const { platform, payments, coreBanking } = bank(app);
    platform.grantImagePull(payments, ImagePullGrant.fromTenant(coreBanking, 'RISK-90: account lookup sidecar owned by core-banking'));
    deployment(payments, `${HOST}/core-banking/lookup${DIGEST}`);
    expect(() => app.synth()).not.toThrow();
  });

  test('granting the same project twice is one grant', () => {
    const app = Testing.app();
    const { platform, coreBanking, devSandbox } = bank(app);
    const grant = ImagePullGrant.fromTenant(devSandbox, 'RISK-88: shared test fixtures image, reviewed');
    platform.grantImagePull(coreBanking, grant);
    platform.grantImagePull(coreBanking, grant);
    expect(platform.policies.tenantRepositories(coreBanking)).toEqual([`${HOST}/core-banking`, `${HOST}/dev-sandbox`]);
    expect(ofKind(synthObjects(app), 'RobotAccount').filter((r) => r.spec.forProvider.name === 'grant-core-banking')).toHaveLength(1);
  });
});

describe('bad input: refused with the path, the value and the fix; nothing written', () => {
  function refused(build: (b: ReturnType<typeof bank>) => void): string {
    const { app, outdir } = tmpApp();
    const b = bank(app);
    let message = '';
    try {
      build(b);
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(written(outdir)).toEqual([]);
    return message;
  }

  test('a SENSITIVE tenant granted a DEV project, even with a reason', () => {
    expect(refused(({ platform, payments, devSandbox }) => platform.grantImagePull(payments, ImagePullGrant.fromTenant(devSandbox, 'we need the experiment in prod'))))
      .toBe('[bank/payments] \'grantImagePull.grant\' is the project of a DEV tenant, and "payments" is SENSITIVE: a SENSITIVE tenant never runs DEV images, even through a grant, '
        + `got "${HOST}/dev-sandbox"; rebuild the image in a SENSITIVE or STANDARD project (platform.addImage), where it is scanned, signed and verified`);
  });

  test('a grant of the tenant\'s own project', () => {
    expect(refused(({ platform, payments }) => platform.grantImagePull(payments, ImagePullGrant.fromTenant(payments, 'our own images, obviously'))))
      .toBe(`[bank/payments] 'grantImagePull.grant' names the tenant's own project, which its pods always pull from, got "${HOST}/payments"; grant only other tenants' projects`);
  });

  test('a grant without a reason', () => {
    expect(refused(({ platform, coreBanking, devSandbox }) => platform.grantImagePull(coreBanking, ImagePullGrant.fromTenant(devSandbox, ' '))))
      .toMatch(/^\[bank\/core-banking\] 'grantImagePull\.grant\.reason' must say why the tenant needs these images \(at least 10 characters\), got ""; e\.g\. ImagePullGrant/);
  });

  test('a grant that is not an ImagePullGrant, or names a tenant of another platform', () => {
    expect(refused(({ platform, coreBanking }) => platform.grantImagePull(coreBanking, { owner: coreBanking, reason: 'xxxxxxxxxxxx' } as any)))
      .toMatch(/^\[bank\/core-banking\] 'grantImagePull\.grant' must be an ImagePullGrant, got .*; use ImagePullGrant\.fromTenant\(owner, reason\)$/);
    const stranger = new Tenant(Testing.app(), 'stranger', { tier: Tier.STANDARD, team: 't' });
    expect(refused(({ platform, coreBanking }) => platform.grantImagePull(coreBanking, ImagePullGrant.fromTenant(stranger, 'xxxxxxxxxxxx'))))
      .toBe('[bank] \'projectOf.tenant\' is not a tenant of this platform, got "stranger"; pass a tenant returned by addTenant');
  });

  test('a grant written into the catalog by hand, bypassing the platform, is judged the same at synth', () => {
    const message = refused(({ platform, payments }) => platform.policies.grantTenantRepository(payments, `${HOST}/dev-sandbox`, 'we need the experiment in prod'));
    expect(message).toContain('[bank/components/policies/allowed-repositories/sensitive] allowed-repositories constraint "allowed-repositories-sensitive" lets tenant "payments" '
      + `pull "${HOST}/dev-sandbox", which is the project of a DEV tenant, and "payments" is SENSITIVE: a SENSITIVE tenant never runs DEV images, even through a grant; rebuild the image`);
  });

  test('the platform project admitted to a tenant\'s workloads by hand', () => {
    expect(refused(({ platform, coreBanking }) => platform.policies.grantTenantRepository(coreBanking, `${HOST}/platform`, 'builder images for a debug pod')))
      .toContain(`allowed-repositories constraint "allowed-repositories-standard" lets tenant "core-banking" pull "${HOST}/platform", which is the platform's own project, `
        + 'which holds builder, lifecycle and kpack images for build pods and platform components, not tenant workloads; build or copy the image into a tenant project and grant that one');
  });

  test('another tenant\'s project admitted by hand without a grant', () => {
    expect(refused(({ platform, coreBanking }) => platform.policies.allowTenantRepositories(coreBanking, [`${HOST}/payments`])))
      .toContain(`allowed-repositories constraint "allowed-repositories-standard" lets tenant "core-banking" pull "${HOST}/payments" from [bank/payments/RegistryProject] `
        + 'without a recorded grant; grant it with a reason: platform.grantImagePull(core-banking, ImagePullGrant.fromTenant(payments, "<reason>"))');
  });

  test('a build entry for an account that is not the tenant\'s build account', () => {
    expect(refused(({ platform, coreBanking }) => platform.policies.allowBuildRepositories(coreBanking, 'default', [`${HOST}/platform`])))
      .toContain('admits build images to service account "default" of namespace "core-banking", which is not a build account of a tenant of [bank] (none); leave build entries to platform.addImage');
  });
});

describe('signature strength (the SENSITIVE rule beyond tiers)', () => {
  // Through the platform a tenant project's signature policy follows its tier; projects declared
  // beside it can differ, and the rule compares the real settings.
  const chart = new Chart(Testing.app(), 'c');
  const provider = new HarborProvider(chart, 'provider', { registryHost: HOST, credentialsSecretName: 'creds' });
  const project = (name: string, tier: Tier, cosignEnforcement?: boolean) =>
    new HarborProject(chart, name, { provider, name, tier, cosignEnforcement, pullRobot: false });
  const payments = project('payments', Tier.SENSITIVE);
  const shared = project('shared', Tier.STANDARD, false);
  const signed = project('signed', Tier.STANDARD);
  const policy = new SignaturePolicy(chart, 'signatures', { key: keyPair(), projects: [payments, signed] });

  test('a project Harbor does not hold to signatures is weaker than a SENSITIVE one', () => {
    expect(grantRefusal(payments, shared, undefined, undefined)?.problem)
      .toBe('has a weaker signature policy (signatures not verified at admission, not required by Harbor) than SENSITIVE "payments" (signatures not verified at admission, required by Harbor)');
  });

  test('a project not verified at admission is weaker than one verified in enforce mode', () => {
    const harborSigned = project('harbor-signed', Tier.STANDARD, true);
    expect(grantRefusal(payments, harborSigned, undefined, policy)?.problem).toMatch(/^has a weaker signature policy \(signatures not verified at admission, required by Harbor\) than SENSITIVE "payments" \(signatures verified \(enforce\) at admission/);
  });

  test('a STANDARD project signed and verified like the consumer is acceptable; STANDARD consumers are not held to the rule', () => {
    expect(grantRefusal(payments, signed, undefined, policy)).toBeUndefined();
    expect(grantRefusal(signed, shared, undefined, policy)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Property: no tenant pulls another tenant's images without a grant
// ---------------------------------------------------------------------------------------------

const TIERS = [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV];
const spec = fc.record({
  tiers: fc.array(fc.constantFrom(...TIERS), { minLength: 2, maxLength: 5 }),
  grants: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  pull: fc.tuple(fc.nat(), fc.nat()),
});

describe('property: over random platforms', () => {
  test('a pod of tenant X running an image of tenant Y passes synth exactly when X = Y or X holds a grant for Y', () => {
    fc.assert(fc.property(spec, ({ tiers, grants, pull }) => {
      const app = Testing.app();
      const platform = platformOf(app);
      const tenants = tiers.map((tier, i) => platform.addTenant(`t${i}`, { tier, team: 'team' }));
      const granted = new Set<string>();
      for (const [a, b] of grants) {
        const consumer = tenants[a % tenants.length];
        const owner = tenants[b % tenants.length];
        // Only grants the tiers permit; the forbidden ones are covered by the refusal tests.
        if (consumer === owner || (consumer.tier === Tier.SENSITIVE && owner.tier === Tier.DEV)) continue;
        platform.grantImagePull(consumer, ImagePullGrant.fromTenant(owner, `reason for ${consumer.namespaceName} <- ${owner.namespaceName}`));
        granted.add(`${consumer.namespaceName}<-${owner.namespaceName}`);
      }
      const x = tenants[pull[0] % tenants.length];
      const y = tenants[pull[1] % tenants.length];
      deployment(x, `${HOST}/${y.namespaceName}/app${DIGEST}`);
      const allowed = x === y || granted.has(`${x.namespaceName}<-${y.namespaceName}`);
      let outcome = 'ok';
      try {
        app.synth();
      } catch (e) {
        outcome = (e as Error).message;
      }
      if (allowed) {
        expect(outcome).toBe('ok');
      } else if (x.tier === Tier.DEV) {
        // DEV warns: admitted, and the violation is in the report.
        expect(outcome).toBe('ok');
        const report = PolicyEvaluator.evaluateApp(app);
        expect(report.violations.filter((v) => v.constraintName === 'allowed-repositories-dev' && v.objectNamespace === x.namespaceName)).toHaveLength(1);
      } else {
        expect(outcome).toContain(`violates DevSecOpsAllowedRepositories "allowed-repositories-${x.tier}" (deny): images of namespace ${x.namespaceName} must come from [`);
        expect(outcome).toContain(`]: ${HOST}/${y.namespaceName}/app${DIGEST}`);
      }
    }), { numRuns: 20 });
  });

  test('every tenant\'s allowed repositories are its own project plus exactly its grants, and every grant is in the report', () => {
    fc.assert(fc.property(spec, ({ tiers, grants }) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'grants-'));
      const app = new App({ outdir });
      const platform = platformOf(app);
      const tenants = tiers.map((tier, i) => platform.addTenant(`t${i}`, { tier, team: 'team' }));
      const expected = new Map(tenants.map((t) => [t.namespaceName, new Set([`${HOST}/${t.namespaceName}`])]));
      for (const [a, b] of grants) {
        const consumer = tenants[a % tenants.length];
        const owner = tenants[b % tenants.length];
        if (consumer === owner || (consumer.tier === Tier.SENSITIVE && owner.tier === Tier.DEV)) continue;
        platform.grantImagePull(consumer, ImagePullGrant.fromTenant(owner, `reason for ${consumer.namespaceName} <- ${owner.namespaceName}`));
        expected.get(consumer.namespaceName)!.add(`${HOST}/${owner.namespaceName}`);
      }
      app.synth();
      const objects = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'))
        .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJSON()));
      const byNs = Object.assign({}, ...objects.filter((o) => o.kind === 'DevSecOpsAllowedRepositories').map((c) => c.spec.parameters.namespaceRepositories ?? {}));
      expect(byNs).toEqual(Object.fromEntries([...expected].map(([ns, repos]) => [ns, [...repos].sort()])));
      const report = JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'policy-report.json'), 'utf8'));
      const reported = report.imagePullGrants.map((g: any) => `${g.namespace}<-${g.repository}`).sort();
      const others = [...expected].flatMap(([ns, repos]) => [...repos].filter((r) => r !== `${HOST}/${ns}`).map((r) => `${ns}<-${r}`)).sort();
      expect(reported).toEqual(others);
      for (const g of report.imagePullGrants) expect(g.reason).toMatch(/^reason for /);
      fs.rmSync(outdir, { recursive: true, force: true });
    }), { numRuns: 15 });
  });
});
