import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  BuiltInPolicy, CosignKeyPair, DevSecOpsPlatform, DevSecOpsPlatformProps, HarborProject, HarborScanFrequency,
  ISeverityGate, KpackBuildServiceAccount, KpackClusterBuilder, KpackClusterLifecycle, KpackClusterStack,
  KpackClusterStore, KpackGitSource, KpackImage, NetworkPeer, NetworkPort, PlatformLabels, RegistryLocation,
  RegistrySeverity, SignatureNoMatchPolicy, Tenant, Tier,
} from '../../src';
import { PUBLIC_KEY_PEM, keyPair } from '../registry/fixtures';
import { HAS_SHARED, kubeValidate, named, ofKind, synthObjects } from '../util';

const HOST = 'harbor.bank.example';
const HARBOR = { providerCredentialsSecretName: 'harbor-provider-credentials' };
const EGRESS = [
  { peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] },
  { peer: NetworkPeer.cidr('10.40.1.0/28'), ports: [NetworkPort.tcp(443), NetworkPort.tcp(22)] },
];
const ALLOWED_REPOSITORIES_KIND = 'DevSecOpsAllowedRepositories';

/** A digest made of one repeated hex digit. */
const sha = (hex: string) => `sha256:${hex.repeat(64)}`;

/** Escapes a string for use inside a RegExp. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A second, different cosign public key (not the one in `keyPair()`). */
function otherKeyPair(secretName = 'cosign-other-key'): CosignKeyPair {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return CosignKeyPair.fromPublicKeyPem(pem, { privateKeySecretName: secretName });
}

/** A platform with the whole supply chain (Harbor, signing, builds) unless `props` says otherwise. */
function supplyChain(app: App, props: Partial<DevSecOpsPlatformProps> = {}): DevSecOpsPlatform {
  return new DevSecOpsPlatform(app, 'bank', {
    registry: { host: HOST, harbor: HARBOR },
    signing: { key: keyPair() },
    builds: { egress: EGRESS },
    ...props,
  });
}

/** A platform with an unmanaged registry: no Harbor, no signing, no builds. */
function plain(app: App): DevSecOpsPlatform {
  return new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST } });
}

/** A builder from images relocated into the platform project. */
function addBuilder(platform: DevSecOpsPlatform, name = 'paketo-jammy'): KpackClusterBuilder {
  const c = platform.components;
  const stack = (c.node.tryFindChild('jammy') as KpackClusterStack | undefined) ?? new KpackClusterStack(c, 'jammy', {
    stackId: 'io.buildpacks.stacks.jammy',
    buildImage: `${HOST}/platform/paketo-buildpacks/build-jammy-base:0.1.120@${sha('a')}`,
    runImage: `${HOST}/platform/paketo-buildpacks/run-jammy-base:0.1.120@${sha('b')}`,
  });
  const store = (c.node.tryFindChild('paketo') as KpackClusterStore | undefined) ?? new KpackClusterStore(c, 'paketo', {
    buildpackages: [{ image: `${HOST}/platform/paketo-buildpacks/java:13.1.0@${sha('c')}`, buildpackIds: ['paketo-buildpacks/java'] }],
  });
  const lifecycle = (c.node.tryFindChild('lifecycle') as KpackClusterLifecycle | undefined)
    ?? new KpackClusterLifecycle(c, 'lifecycle', { image: `${HOST}/platform/buildpacksio/lifecycle:0.20.0@${sha('d')}` });
  return platform.addBuilder(name, { stack, store, lifecycle, order: [{ group: [{ id: 'paketo-buildpacks/java' }] }] });
}

const gitSource = (tenant: string, repo: string) => KpackGitSource.branch(`https://git.bank.example/${tenant}/${repo}.git`, 'main');

interface WorkloadOptions {
  readonly serviceAccountName?: string;
  readonly imagePullSecrets?: string[];
}

/** A pod spec every tier's policies admit, running an image of the tenant's project. */
function podSpec(tenant: Tenant, name: string, options: WorkloadOptions): k8s.PodSpec {
  return {
    serviceAccountName: options.serviceAccountName,
    imagePullSecrets: options.imagePullSecrets?.map((n) => ({ name: n })),
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name,
      image: `${HOST}/${tenant.namespaceName}/${name}@${sha('e')}`,
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      resources: {
        requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
        limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
      },
    }],
  };
}

function labelsOf(tenant: Tenant, name: string) {
  return {
    'app.kubernetes.io/name': name,
    [PlatformLabels.OWNER]: tenant.team,
    [PlatformLabels.DATA_CLASSIFICATION]: tenant.dataClassification,
  };
}

/** A policy-compliant Deployment in the tenant (construct id `Deployment-<name>`). */
function deployment(tenant: Tenant, name: string, options: WorkloadOptions = {}): k8s.KubeDeployment {
  const labels = labelsOf(tenant, name);
  return new k8s.KubeDeployment(tenant, `Deployment-${name}`, {
    metadata: { name, namespace: tenant.namespaceName, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { metadata: { labels }, spec: podSpec(tenant, name, options) },
    },
  });
}

/** A policy-compliant bare Pod in the tenant. */
function pod(tenant: Tenant, name: string, options: WorkloadOptions = {}): k8s.KubePod {
  return new k8s.KubePod(tenant, `Pod-${name}`, {
    metadata: { name, namespace: tenant.namespaceName, labels: labelsOf(tenant, name) },
    spec: podSpec(tenant, name, options),
  });
}

/** A policy-compliant CronJob in the tenant. */
function cronJob(tenant: Tenant, name: string, options: WorkloadOptions = {}): k8s.KubeCronJob {
  const labels = labelsOf(tenant, name);
  return new k8s.KubeCronJob(tenant, `CronJob-${name}`, {
    metadata: { name, namespace: tenant.namespaceName, labels },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { metadata: { labels }, spec: { ...podSpec(tenant, name, options), restartPolicy: 'Never' } } } },
    },
  });
}

/** Synthesizes and returns the error message; fails the test if synth succeeds. */
function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail, but it succeeded');
}

/** The messages of a failed synth, one per validation error. */
function synthErrors(app: App): string[] {
  const message = synthError(app);
  expect(message).toMatch(/^Validation failed with the following errors:\n/);
  return message.split('\n').slice(1).map((l) => l.trim());
}

describe('DevSecOpsPlatform supply chain: defaults', () => {
  test('registry.severity defaults to HIGH, and every project (tenants\' and the platform\'s) refuses pulls at high', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST, harbor: HARBOR } });
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
    platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });
    expect(platform.severity).toBe(RegistrySeverity.HIGH);
    const projects = ofKind(synthObjects(app), 'Project');
    expect(projects.map((p) => p.spec.forProvider.name).sort()).toEqual(['core-banking', 'dev-sandbox', 'payments', 'platform']);
    for (const p of projects) expect(p.spec.forProvider.deploymentSecurity).toBe('high');
    for (const p of platform.registryProjects) expect(p.severityThreshold).toBe(RegistrySeverity.HIGH);
  });

  test('without registry.harbor nothing Harbor-related is emitted and the allowed repositories stay [host]', () => {
    const app = Testing.app();
    const platform = plain(app);
    const t = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const objects = synthObjects(app);
    const harborish = objects.filter((o) => /harbor\.crossplane\.io|external-secrets\.io|pkg\.crossplane\.io|policy\.sigstore\.dev|kpack\.io/.test(o.apiVersion));
    expect(harborish).toEqual([]);
    expect(ofKind(objects, 'HelmRelease').map((r) => r.metadata.name)).toEqual(['gatekeeper']);
    const allowed = ofKind(objects, ALLOWED_REPOSITORIES_KIND);
    expect(allowed).toHaveLength(3);
    for (const c of allowed) expect(c.spec.parameters).toEqual({ repositories: [HOST] });
    expect(named(objects, 'ServiceAccount', 'default', 'payments').imagePullSecrets).toBeUndefined();
    expect(named(objects, 'Namespace', 'payments').metadata.labels['policy.sigstore.dev/include']).toBeUndefined();
    expect(platform.managesRegistry).toBe(false);
    expect(platform.platformProject).toBeUndefined();
    expect(platform.harborProvider).toBeUndefined();
    expect(platform.signaturePolicy).toBeUndefined();
    expect(platform.buildImpact).toBeUndefined();
    expect(platform.registryProjects).toEqual([]);
    expect(t.imagePullSecrets).toEqual([]);
  });

  test('the platform project is named "platform", belongs to no tenant and does not enforce cosign', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST, harbor: HARBOR } });
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const objects = synthObjects(app);
    const project = named(objects, 'Project', 'platform');
    expect(project.spec.forProvider).toMatchObject({ name: 'platform', public: false, deploymentSecurity: 'high', enableContentTrustCosign: false });
    expect(project.metadata.labels[PlatformLabels.TENANT]).toBeUndefined();
    expect(platform.platformProject!.projectName).toBe('platform');
    expect(platform.platformProject!.tenant).toBeUndefined();
    expect(platform.registryProjects[0]).toBe(platform.platformProject);
    // A payments project does enforce cosign: the platform project is the exception.
    expect(named(objects, 'Project', 'payments').spec.forProvider.enableContentTrustCosign).toBe(true);
  });

  test('registry.harbor.platformProjectName renames the platform project; a tenant may then take the name "platform"', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST, harbor: { ...HARBOR, platformProjectName: 'shared' } } });
    platform.addTenant('platform', { tier: Tier.DEV, team: 'platform-eng' });
    const objects = synthObjects(app);
    expect(named(objects, 'Project', 'shared').spec.forProvider.enableContentTrustCosign).toBe(false);
    for (const c of ofKind(objects, ALLOWED_REPOSITORIES_KIND)) expect(c.spec.parameters.repositories).toEqual([]);
    expect(named(objects, ALLOWED_REPOSITORIES_KIND, 'allowed-repositories-dev').spec.parameters.namespaceRepositories).toEqual({ platform: [`${HOST}/platform`] });
  });

  test('with registry.harbor but no signing: projects and robots, but no policy-controller and no ClusterImagePolicy', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: HOST, harbor: HARBOR } });
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const objects = synthObjects(app);
    expect(ofKind(objects, 'Project')).toHaveLength(2);
    expect(ofKind(objects, 'ClusterImagePolicy')).toEqual([]);
    expect(ofKind(objects, 'HelmRelease').map((r) => r.metadata.name).sort()).toEqual(['crossplane', 'external-secrets', 'gatekeeper']);
    expect(named(objects, 'Namespace', 'payments').metadata.labels['policy.sigstore.dev/include']).toBeUndefined();
    expect(platform.signaturePolicy).toBeUndefined();
  });

  test('signing installs policy-controller in cosign-system and writes the ClusterImagePolicies', () => {
    const app = Testing.app();
    const platform = supplyChain(app, { builds: undefined });
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const objects = synthObjects(app);
    expect(named(objects, 'HelmRelease', 'policy-controller', 'cosign-system')).toBeDefined();
    expect(ofKind(objects, 'ClusterImagePolicy').map((p) => p.metadata.name).sort())
      .toEqual(['platform-signed-images-enforce', 'platform-signed-images-exempt']);
    expect(platform.signaturePolicy!.key).toBeInstanceOf(CosignKeyPair);
  });

  test('signing.noMatchPolicy defaults to deny', () => {
    const app = Testing.app();
    supplyChain(app);
    const release = named(synthObjects(app), 'HelmRelease', 'policy-controller', 'cosign-system');
    expect(release.spec.values.webhook.configData).toEqual({ 'no-match-policy': 'deny' });
  });

  test('signing.noMatchPolicy and signing.rekorUrl reach policy-controller and the policies', () => {
    const app = Testing.app();
    const platform = supplyChain(app, { signing: { key: keyPair(), noMatchPolicy: SignatureNoMatchPolicy.WARN, rekorUrl: 'https://rekor.bank.example' } });
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const objects = synthObjects(app);
    expect(named(objects, 'HelmRelease', 'policy-controller').spec.values.webhook.configData).toEqual({ 'no-match-policy': 'warn' });
    expect(named(objects, 'ClusterImagePolicy', 'platform-signed-images-enforce').spec.authorities[0].ctlog).toEqual({ url: 'https://rekor.bank.example' });
  });

  test('without rekorUrl the policies verify against the key alone (no ctlog)', () => {
    const app = Testing.app();
    supplyChain(app).addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const authority = named(synthObjects(app), 'ClusterImagePolicy', 'platform-signed-images-enforce').spec.authorities[0];
    expect(authority.ctlog).toBeUndefined();
    expect(authority.key).toEqual({ data: PUBLIC_KEY_PEM, hashAlgorithm: 'sha256' });
  });

  test('Harbor rescans every artifact weekly by default, daily when asked', () => {
    const weekly = Testing.app();
    supplyChain(weekly);
    expect(named(synthObjects(weekly), 'InterrogationServices', 'harbor-scanning').spec.forProvider)
      .toEqual({ defaultScanner: 'Trivy', vulnerabilityScanPolicy: 'Weekly' });
    const daily = Testing.app();
    supplyChain(daily, { registry: { host: HOST, harbor: { ...HARBOR, scanFrequency: HarborScanFrequency.DAILY } } });
    expect(named(synthObjects(daily), 'InterrogationServices', 'harbor-scanning').spec.forProvider.vulnerabilityScanPolicy).toBe('Daily');
  });

  test('builds.kpackNamespace defaults to kpack: the builder account and its push credentials live there', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    addBuilder(platform);
    const objects = synthObjects(app);
    const sa = named(objects, 'ServiceAccount', 'platform-builder', 'kpack');
    expect(sa.secrets).toEqual([{ name: 'harbor-platform-builder-push' }]);
    expect(named(objects, 'ExternalSecret', 'harbor-platform-builder-push', 'kpack')).toBeDefined();

    // kpack is installed from its release file, which names its namespace: another one is refused.
    expect(() => supplyChain(Testing.app(), { builds: { egress: EGRESS, kpackNamespace: 'build-system' } }))
      .toThrow(/\[bank\] 'builds.kpackNamespace' differs from the namespace kpack's release installs into \("kpack"\), got "build-system"/);
  });

  test('buildImpact exists only with builds', () => {
    expect(supplyChain(Testing.app()).buildImpact).toBeDefined();
    expect(supplyChain(Testing.app(), { builds: undefined }).buildImpact).toBeUndefined();
  });
});

describe('DevSecOpsPlatform supply chain: wiring', () => {
  test('every tenant gets its own private project, scanned on push, at the platform severity', () => {
    const app = Testing.app();
    const platform = supplyChain(app, { registry: { host: HOST, harbor: HARBOR, severity: RegistrySeverity.MEDIUM } });
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const core = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
    const sandbox = platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });
    const objects = synthObjects(app);
    for (const [tenant, cosign] of [[payments, true], [core, true], [sandbox, false]] as Array<[Tenant, boolean]>) {
      const project = platform.projectOf(tenant);
      expect(project.node.path).toBe(`bank/${tenant.namespaceName}/RegistryProject`);
      expect(project.tenant).toBe(tenant);
      expect(project.repositoryPrefix).toBe(`${HOST}/${tenant.namespaceName}`);
      const obj = named(objects, 'Project', tenant.namespaceName);
      expect(obj.metadata.labels[PlatformLabels.TENANT]).toBe(tenant.namespaceName);
      expect(obj.spec.forProvider).toMatchObject({
        name: tenant.namespaceName,
        public: false,
        vulnerabilityScanning: true,
        deploymentSecurity: 'medium',
        enableContentTrustCosign: cosign,
      });
    }
    expect(named(objects, 'Project', 'platform').spec.forProvider.deploymentSecurity).toBe('medium');
    expect(platform.registryProjects.map((p) => p.projectName)).toEqual(['platform', 'payments', 'core-banking', 'dev-sandbox']);
  });

  test('the allowed-repositories constraints admit nothing everywhere, each tenant its own project, and the platform project to build pods only', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });
    platform.addImage(payments, 'ledger', { builder: addBuilder(platform), source: gitSource('payments', 'ledger') });
    const allowed = ofKind(synthObjects(app), ALLOWED_REPOSITORIES_KIND);
    expect(allowed.map((c) => c.metadata.name).sort()).toEqual(['allowed-repositories-dev', 'allowed-repositories-sensitive', 'allowed-repositories-standard']);
    const params = Object.fromEntries(allowed.map((c) => [c.metadata.name, c.spec.parameters]));
    expect(params['allowed-repositories-sensitive']).toEqual({
      repositories: [],
      namespaceRepositories: { payments: [`${HOST}/payments`] },
      buildRepositories: { payments: { serviceAccountName: 'kpack-build', repositories: [`${HOST}/platform`] } },
    });
    expect(params['allowed-repositories-dev']).toEqual({ repositories: [], namespaceRepositories: { 'dev-sandbox': [`${HOST}/dev-sandbox`] } });
    expect(params['allowed-repositories-standard']).toEqual({ repositories: [] });
  });

  test('the pull secret reaches service accounts declared before and after it, and pull secrets added later', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    // `default` was declared by the Tenant before the platform added the pull secret; `ledger` after.
    payments.addServiceAccount('ledger');
    expect(payments.imagePullSecrets).toEqual(['harbor-pull']);
    let objects = synthObjects(app);
    expect(named(objects, 'ServiceAccount', 'default', 'payments').imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
    expect(named(objects, 'ServiceAccount', 'ledger', 'payments').imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);

    payments.addImagePullSecret('mirror-pull');
    payments.addServiceAccount('batch');
    objects = synthObjects(app);
    for (const sa of ['default', 'ledger', 'batch']) {
      expect(named(objects, 'ServiceAccount', sa, 'payments').imagePullSecrets).toEqual([{ name: 'harbor-pull' }, { name: 'mirror-pull' }]);
    }
  });

  test('the pull secret is written from the tenant project\'s pull-only robot into the tenant namespace', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const objects = synthObjects(app);
    const secret = named(objects, 'ExternalSecret', 'harbor-pull', 'payments');
    expect(secret.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
    const robot = named(objects, 'RobotAccount', 'harbor-payments.pull');
    expect(robot.spec.forProvider.permissions).toEqual([expect.objectContaining({ kind: 'project', namespace: 'payments' })]);
    const access = robot.spec.forProvider.permissions[0].access.map((a: any) => `${a.resource}:${a.action}`);
    expect(access).not.toContain('repository:push');
    expect(access).toContain('repository:pull');
    expect(platform.projectOf(payments).pullRobot!.dockerConfigSecretName).toBe('harbor-pull');
  });

  test('every tenant namespace opts in to signature verification', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    for (const [n, tier] of [['payments', Tier.SENSITIVE], ['core-banking', Tier.STANDARD], ['dev-sandbox', Tier.DEV]] as Array<[string, Tier]>) {
      platform.addTenant(n, { tier, team: `${n}-eng` });
    }
    const objects = synthObjects(app);
    for (const n of ['payments', 'core-banking', 'dev-sandbox']) {
      expect(named(objects, 'Namespace', n).metadata.labels['policy.sigstore.dev/include']).toBe('true');
    }
    // Component namespaces are not opted in.
    expect(named(objects, 'Namespace', 'gatekeeper-system').metadata.labels?.['policy.sigstore.dev/include']).toBeUndefined();
  });

  test('SENSITIVE and STANDARD projects are enforced and DEV projects warned, with the platform key', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
    platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });
    const objects = synthObjects(app);
    const enforce = named(objects, 'ClusterImagePolicy', 'platform-signed-images-enforce');
    const warn = named(objects, 'ClusterImagePolicy', 'platform-signed-images-warn');
    expect(enforce.spec.mode).toBe('enforce');
    expect(enforce.spec.images).toEqual([{ glob: `${HOST}/core-banking/**` }, { glob: `${HOST}/payments/**` }]);
    expect(warn.spec.mode).toBe('warn');
    expect(warn.spec.images).toEqual([{ glob: `${HOST}/dev-sandbox/**` }]);
    for (const p of [enforce, warn]) {
      expect(p.spec.authorities).toEqual([{ name: 'platform-cosign-key', key: { data: PUBLIC_KEY_PEM, hashAlgorithm: 'sha256' } }]);
      expect(p.metadata.annotations['devsecops.cdk8s.io/cosign-key-sha256']).toBe(keyPair().fingerprint);
    }
  });

  test('the platform project is exempt from signature checks, with the reason on the policy', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const exempt = named(synthObjects(app), 'ClusterImagePolicy', 'platform-signed-images-exempt');
    expect(exempt.spec.images).toEqual([{ glob: `${HOST}/platform/**` }]);
    expect(exempt.spec.authorities).toEqual([{ name: 'no-signature-required', static: { action: 'pass' } }]);
    const reasons = JSON.parse(exempt.metadata.annotations['devsecops.cdk8s.io/signature-exemptions']);
    expect(reasons).toHaveLength(1);
    expect(reasons[0].glob).toBe(`${HOST}/platform/**`);
    expect(reasons[0].reason).toMatch(/kpack/);
    expect(platform.signaturePolicy!.exemptGlobs).toEqual([`${HOST}/platform/**`]);
  });

  test('addBuilder tags the builder in the platform project and pushes with the platform push robot', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const builder = addBuilder(platform);
    const objects = synthObjects(app);
    const cb = named(objects, 'ClusterBuilder', 'paketo-jammy');
    expect(cb.spec.tag).toBe(`${HOST}/platform/builders/paketo-jammy`);
    expect(cb.spec.serviceAccountRef).toEqual({ name: 'platform-builder', namespace: 'kpack' });
    expect(builder.tag).toBe(cb.spec.tag);
    const robot = named(objects, 'RobotAccount', 'harbor-platform.push');
    expect(robot.spec.forProvider.permissions[0].namespace).toBe('platform');
    expect(robot.spec.forProvider.permissions[0].access.map((a: any) => `${a.resource}:${a.action}`)).toContain('repository:push');
  });

  test('a second builder reuses the platform builder account', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    addBuilder(platform, 'one');
    addBuilder(platform, 'two');
    const objects = synthObjects(app);
    expect(ofKind(objects, 'ClusterBuilder').map((b) => b.spec.serviceAccountRef.name)).toEqual(['platform-builder', 'platform-builder']);
    expect(ofKind(objects, 'RobotAccount').filter((r) => r.spec.forProvider.name === 'push')).toHaveLength(1);
  });

  test('addImage tags the image in the tenant project and builds under an account with push, platform-pull and cosign secrets', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const image = platform.addImage(payments, 'ledger', { builder: addBuilder(platform), source: gitSource('payments', 'ledger') });
    expect(image.node.path).toBe('bank/payments/Image-ledger');
    expect(image.buildServiceAccount.signingKey).toBe(platform.signaturePolicy!.key);
    const objects = synthObjects(app);
    const img = named(objects, 'Image', 'ledger', 'payments');
    expect(img.spec.tag).toBe(`${HOST}/payments/ledger`);
    expect(img.spec.builder).toEqual({ kind: 'ClusterBuilder', name: 'paketo-jammy' });
    const sa = named(objects, 'ServiceAccount', img.spec.serviceAccountName, 'payments');
    expect(sa.secrets).toEqual([{ name: 'harbor-push' }, { name: 'harbor-platform-pull' }, { name: 'cosign-signing-key' }]);
    expect(sa.imagePullSecrets).toEqual([{ name: 'harbor-push' }, { name: 'harbor-platform-pull' }]);
    expect(sa.automountServiceAccountToken).toBe(false);
    for (const s of ['harbor-push', 'harbor-platform-pull']) expect(named(objects, 'ExternalSecret', s, 'payments')).toBeDefined();
    const push = named(objects, 'RobotAccount', 'harbor-payments.push');
    expect(push.spec.forProvider.permissions[0].namespace).toBe('payments');
    const platformPull = ofKind(objects, 'RobotAccount').find((r) => r.spec.writeConnectionSecretToRef.namespace === 'payments' && r.spec.forProvider.permissions[0].namespace === 'platform');
    expect(platformPull).toBeDefined();
    expect(platformPull.spec.forProvider.permissions[0].access.map((a: any) => `${a.resource}:${a.action}`)).not.toContain('repository:push');
  });

  test('addImage honours repository, and a second image reuses the tenant build account', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const builder = addBuilder(platform);
    const a = platform.addImage(payments, 'ledger', { builder, source: gitSource('payments', 'ledger'), repository: 'services/ledger-api' });
    const b = platform.addImage(payments, 'cards', { builder, source: gitSource('payments', 'cards') });
    expect(a.tag).toBe(`${HOST}/payments/services/ledger-api`);
    expect(b.buildServiceAccount).toBe(a.buildServiceAccount);
    const objects = synthObjects(app);
    expect(ofKind(objects, 'Image', 'payments').map((i) => i.spec.serviceAccountName)).toEqual(['kpack-build', 'kpack-build']);
    expect(ofKind(objects, 'RobotAccount').filter((r) => r.spec.writeConnectionSecretToRef.namespace === 'payments')).toHaveLength(3); // pull, push, platform-pull
  });

  test('build pods, selected by image.kpack.io/image, get egress to exactly builds.egress; other tenants get none', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
    platform.addImage(payments, 'ledger', { builder: addBuilder(platform), source: gitSource('payments', 'ledger') });
    const objects = synthObjects(app);
    const cidr = ofKind(objects, 'NetworkPolicy').filter((p) => (p.spec.egress ?? []).some((r: any) => r.to.some((peer: any) => peer.ipBlock)));
    expect(cidr).toHaveLength(1);
    const [policy] = cidr;
    expect(policy.metadata.namespace).toBe('payments');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'image.kpack.io/image': 'ledger' } });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress.map((r: any) => [r.to[0].ipBlock.cidr, r.ports])).toEqual([
      ['10.40.0.0/28', [{ port: 443, protocol: 'TCP' }]],
      ['10.40.1.0/28', [{ port: 443, protocol: 'TCP' }, { port: 22, protocol: 'TCP' }]],
    ]);
    expect(named(objects, 'NetworkPolicy', 'default-deny', 'payments').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });
});

describe('DevSecOpsPlatform supply chain: refusals', () => {
  test('fails if signing is given without registry.harbor', () => {
    expect(() => new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: HOST }, signing: { key: keyPair() } }))
      .toThrow(/^\[bank\] 'signing' needs registry\.harbor: .*; add registry\.harbor, or remove signing$/);
  });

  test('fails if builds are given without signing', () => {
    expect(() => new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: HOST, harbor: HARBOR }, builds: { egress: EGRESS } }))
      .toThrow(/^\[bank\] 'builds' needs registry\.harbor and signing: .*; add registry\.harbor and signing, or remove builds$/);
  });

  test('fails if builds are given without registry.harbor', () => {
    expect(() => new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: HOST }, builds: { egress: EGRESS } }))
      .toThrow(/^\[bank\] 'builds' needs registry\.harbor and signing/);
  });

  test('fails if addImage or addBuilder is called without builds', () => {
    const app = Testing.app();
    const platform = supplyChain(app, { builds: undefined });
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    expect(() => addBuilder(platform)).toThrow(/^\[bank\] 'addBuilder' needs builds \(and registry\.harbor and signing\) in the platform props, got "<builds unset>"; set builds: /);
    const builder = addBuilder(supplyChain(Testing.app()));
    expect(() => platform.addImage(payments, 'ledger', { builder, source: gitSource('payments', 'ledger') }))
      .toThrow(/^\[bank\] 'addImage' needs builds \(and registry\.harbor and signing\) in the platform props/);
  });

  test('fails if registry.harbor.install.host differs from registry.host', () => {
    const install = {
      host: 'registry.bank.example',
      tlsSecretName: 'harbor-tls',
      adminPasswordSecretName: 'harbor-admin',
      encryptionKeySecretName: 'harbor-encryption-key',
      registryCredentialsSecretName: 'harbor-registry-credentials',
      database: { host: 'harbor-db.bank.example', username: 'harbor', passwordSecretName: 'harbor-db' },
      internalSecrets: { coreSecretName: 'harbor-core', jobserviceSecretName: 'harbor-jobservice', registryHttpSecretName: 'harbor-registry-http', xsrfKeySecretName: 'harbor-xsrf', tokenCertSecretName: 'harbor-token-cert' },
    };
    expect(() => new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: HOST, harbor: { ...HARBOR, install } } }))
      .toThrow(`[bank] 'registry.harbor.install.host' differs from registry.host "${HOST}", got "registry.bank.example"; serve Harbor on the registry host every image refers to`);
    // The same install on the registry host is accepted.
    const ok = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: HOST, harbor: { ...HARBOR, install: { ...install, host: HOST } } } });
    expect(ok.harborInstall).toBeDefined();
  });

  test('fails if registry.harbor.platformProjectName is not a Harbor project name, before anything else is built', () => {
    expect(() => supplyChain(Testing.app(), { registry: { host: HOST, harbor: { ...HARBOR, platformProjectName: 'Platform--x' } } }))
      .toThrow(/^\[bank\] 'registry.harbor.platformProjectName' is not a valid Harbor project name, got "Platform--x"; use lowercase letters/);
  });

  test('fails if a tenant takes the platform project\'s name', () => {
    const platform = supplyChain(Testing.app());
    expect(() => platform.addTenant('platform', { tier: Tier.DEV, team: 't' }))
      .toThrow(/^\[bank\/platform\] 'name' is the name of the platform's own registry project, got "platform"; .*registry\.harbor\.platformProjectName$/);
    const renamed = supplyChain(Testing.app(), { registry: { host: HOST, harbor: { ...HARBOR, platformProjectName: 'shared' } } });
    expect(() => renamed.addTenant('shared', { tier: Tier.DEV, team: 't' })).toThrow(/^\[bank\/shared\] 'name' is the name of the platform's own registry project/);
    // Without a managed registry there is no platform project, so the name is free.
    expect(plain(Testing.app()).addTenant('platform', { tier: Tier.DEV, team: 't' }).namespaceName).toBe('platform');
  });

  test.each([
    ['no ports', { peer: NetworkPeer.cidr('10.0.0.0/8'), ports: [] }],
    ['ports missing', { peer: NetworkPeer.cidr('10.0.0.0/8') }],
    ['no peer', { peer: '10.0.0.0/8', ports: [NetworkPort.tcp(443)] }],
  ])('fails if a builds.egress entry has %s', (_, entry) => {
    expect(() => supplyChain(Testing.app(), { builds: { egress: [EGRESS[0], entry as any] } }))
      .toThrow(/^\[bank\] 'builds\.egress\[1\]' must name a NetworkPeer and at least one NetworkPort, got .*; e\.g\. /);
  });

  test('fails if projectOf is asked about a tenant of another platform, even one with the same name', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const other = new DevSecOpsPlatform(Testing.app(), 'other', { registry: { host: HOST, harbor: HARBOR } });
    const impostor = other.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    const stranger = new Tenant(app, 'cards', { tier: Tier.DEV, team: 't' });
    for (const t of [impostor, stranger]) {
      expect(() => platform.projectOf(t))
        .toThrow(`[bank] 'projectOf.tenant' is not a tenant of this platform, got "${t.namespaceName}"; pass a tenant returned by addTenant`);
    }
    expect(() => platform.addImage(stranger, 'x', { builder: addBuilder(platform), source: gitSource('cards', 'x') }))
      .toThrow("[bank] 'projectOf.tenant' is not a tenant of this platform");
  });

  test('fails if projectOf is called without a managed registry', () => {
    const platform = plain(Testing.app());
    const t = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    expect(() => platform.projectOf(t)).toThrow("[bank] 'projectOf.tenant' has no registry project: the registry is not managed, got \"payments\"; set registry.harbor");
  });
});

describe('DevSecOpsPlatform supply chain: one source of truth, checked at synth', () => {
  const ALLOWED_SENSITIVE = 'bank/components/policies/allowed-repositories/sensitive';

  test('a well-formed platform synthesizes with no supply-chain error', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    platform.addImage(payments, 'ledger', { builder: addBuilder(platform), source: gitSource('payments', 'ledger') });
    payments.addServiceAccount('ledger');
    deployment(payments, 'ledger', { serviceAccountName: 'ledger' });
    expect(() => app.synth()).not.toThrow();
  });

  describe('(1) allowed repositories = declared projects', () => {
    test('fails if a repository outside every project is admitted, naming each constraint and the platform', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      platform.policies.addAllowedRepository('docker.io/library');
      const errors = synthErrors(app).filter((e) => e.includes('docker.io/library'));
      expect(errors).toHaveLength(3);
      for (const tier of ['sensitive', 'standard', 'dev']) {
        expect(errors).toContainEqual(expect.stringMatching(new RegExp(
          `\\[bank/components/policies/allowed-repositories/${tier}\\] allowed-repositories constraint "allowed-repositories-${tier}" admits "docker\\.io/library", `
          + `which is in no Harbor project declared by \\[bank\\] \\(${esc(`${HOST}/platform, ${HOST}/payments`)}\\); declare the project through the platform`)));
      }
    });

    test('fails if a declared project is admitted in every namespace: projects are admitted per tenant', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      platform.policies.addAllowedRepository(`${HOST}/payments/ledger`);
      const errors = synthErrors(app);
      expect(errors).toHaveLength(3);
      for (const tier of ['sensitive', 'standard', 'dev']) {
        expect(errors).toContain(`[bank] [bank/components/policies/allowed-repositories/${tier}] allowed-repositories constraint "allowed-repositories-${tier}" `
          + `admits "${HOST}/payments/ledger" in every namespace, but [bank] admits each project to its own tenant only; `
          + 'remove it, and give other tenants access with platform.grantImagePull(consumer, ImagePullGrant.fromTenant(owner, reason))');
      }
    });

    test('fails if a catalog constraint\'s parameters are replaced: another tenant\'s project without a grant, the tenant\'s own missing', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
      const c = platform.policies.constraint(BuiltInPolicy.ALLOWED_REPOSITORIES, Tier.SENSITIVE);
      expect(c.node.path).toBe(ALLOWED_SENSITIVE);
      c.replaceParameters({ repositories: [], namespaceRepositories: { payments: [`${HOST}/core-banking`] } });
      const errors = synthErrors(app);
      expect(errors).toEqual([
        `[bank] [${ALLOWED_SENSITIVE}] allowed-repositories constraint "allowed-repositories-sensitive" lets tenant "payments" pull "${HOST}/core-banking" `
        + 'from [bank/core-banking/RegistryProject] without a recorded grant; grant it with a reason: platform.grantImagePull(payments, ImagePullGrant.fromTenant(core-banking, "<reason>"))',
        `[bank] [bank/payments/RegistryProject] Harbor project "${HOST}/payments" is not admitted to tenant "payments" by [${ALLOWED_SENSITIVE}] `
        + `allowed-repositories constraint "allowed-repositories-sensitive" (${HOST}/core-banking); leave the constraint's repositories to the platform, which sets them from the declared projects`,
      ]);
    });
  });

  describe('(2) kpack tags inside declared projects', () => {
    function withImage() {
      const app = Testing.app();
      const platform = supplyChain(app);
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      const core = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-eng' });
      const builder = addBuilder(platform);
      const image = platform.addImage(payments, 'ledger', { builder, source: gitSource('payments', 'ledger') });
      return { app, platform, payments, core, builder, account: image.buildServiceAccount };
    }

    test('fails if a tenant\'s image is tagged in another tenant\'s project, naming both projects', () => {
      const { app, platform, payments, core, builder, account } = withImage();
      new KpackImage(payments, 'Stray', { name: 'stray', tenant: payments, project: platform.projectOf(core), builder, buildServiceAccount: account, source: gitSource('payments', 'stray') });
      expect(synthErrors(app)).toEqual([expect.stringMatching(new RegExp(
        `^\\[bank\\] \\[bank/payments/Stray\\] kpack Image of tenant "payments" is tagged "${esc(HOST)}/core-banking/stray" in \\[bank/core-banking/RegistryProject\\] project "core-banking", `
        + 'not in the tenant\'s own \\[bank/payments/RegistryProject\\] project "payments"; tag every image in its tenant\'s project$'))]);
    });

    test('fails if an image is tagged in an undeclared project, naming the image and the platform', () => {
      const { app, payments, builder, account } = withImage();
      new KpackImage(payments, 'Elsewhere', { name: 'elsewhere', tenant: payments, project: RegistryLocation.of(HOST, 'elsewhere'), builder, buildServiceAccount: account, source: gitSource('payments', 'x') });
      expect(synthErrors(app)).toEqual([expect.stringMatching(new RegExp(
        `^\\[bank\\] \\[bank/payments/Elsewhere\\] kpack Image tag "${esc(HOST)}/elsewhere/elsewhere" is outside every Harbor project declared by \\[bank\\] `
        + `\\(${esc(`${HOST}/platform, ${HOST}/payments, ${HOST}/core-banking`)}\\); tag the image in its tenant's project`))]);
    });

    test('fails if an image is tagged on another registry host', () => {
      const { app, payments, builder, account } = withImage();
      new KpackImage(payments, 'OtherHost', { name: 'other-host', tenant: payments, project: RegistryLocation.of('ghcr.io', 'payments'), builder, buildServiceAccount: account, source: gitSource('payments', 'x') });
      expect(synthErrors(app)).toContainEqual(expect.stringMatching(/\[bank\/payments\/OtherHost\] kpack Image tag "ghcr\.io\/payments\/other-host" is outside every Harbor project declared by \[bank\]/));
    });

    test.each([
      ['an undeclared project', 'elsewhere'],
      ['a tenant\'s project', 'payments'],
    ])('fails if a builder made by hand is tagged in %s, naming the builder and the platform project', (_, project) => {
      const { app, platform } = withImage();
      const c = platform.components;
      new KpackClusterBuilder(c, 'rogue-builder', {
        name: 'rogue',
        stack: c.node.findChild('jammy') as KpackClusterStack,
        store: c.node.findChild('paketo') as KpackClusterStore,
        lifecycle: c.node.findChild('lifecycle') as KpackClusterLifecycle,
        project: RegistryLocation.of(HOST, project),
        serviceAccount: c.node.findChild('builder-account') as KpackBuildServiceAccount,
        order: [{ group: [{ id: 'paketo-buildpacks/java' }] }],
      });
      expect(synthErrors(app)).toEqual([expect.stringMatching(new RegExp(
        `^\\[bank\\] \\[bank/components/rogue-builder\\] ClusterBuilder tag "${esc(HOST)}/${project}/builders/rogue" is outside \\[bank/components/platform-project\\] `
        + `platform project "${esc(HOST)}/platform"; create builders with platform\\.addBuilder$`))]);
    });
  });

  describe('(3) one severity threshold', () => {
    test('fails if a Harbor project made by hand blocks at another severity, naming it and the platform', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      new HarborProject(platform.components, 'rogue-project', { provider: platform.harborProvider!, name: 'rogue', severity: RegistrySeverity.CRITICAL });
      expect(synthErrors(app)).toEqual([
        '[bank] [bank/components/rogue-project] blocks images at severity "critical", but [bank] registry.severity is "high"; '
        + 'use one threshold: leave the gate\'s severity to the platform, or change registry.severity',
      ]);
    });

    test('a Harbor project made by hand at the platform severity passes', () => {
      const app = Testing.app();
      const platform = supplyChain(app, { registry: { host: HOST, harbor: HARBOR, severity: RegistrySeverity.LOW } });
      new HarborProject(platform.components, 'extra-project', { provider: platform.harborProvider!, name: 'extra', severity: RegistrySeverity.LOW });
      expect(() => app.synth()).not.toThrow();
    });

    test('fails for any ISeverityGate, not only Harbor projects, and also without a managed registry', () => {
      class ScanGate extends Construct implements ISeverityGate {
        public readonly severityThreshold = RegistrySeverity.MEDIUM;
      }
      const app = Testing.app();
      const platform = plain(app);
      new ScanGate(platform.components, 'image-scan');
      expect(synthErrors(app)).toEqual([expect.stringMatching(/^\[bank\] \[bank\/components\/image-scan\] blocks images at severity "medium", but \[bank\] registry\.severity is "high"/)]);
    });
  });

  describe('(4) one signing key', () => {
    test('fails if an image is built under an account with another key, naming the account and the SignaturePolicy', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      const builder = addBuilder(platform);
      const rogue = new KpackBuildServiceAccount(payments, 'RogueAccount', {
        tenant: payments, name: 'rogue-build', registryCredentialsSecretName: 'harbor-rogue-push', signingKey: otherKeyPair(),
      });
      new KpackImage(payments, 'RogueImage', { name: 'rogue', tenant: payments, project: platform.projectOf(payments), builder, buildServiceAccount: rogue, source: gitSource('payments', 'rogue') });
      const fingerprint = keyPair().fingerprint.slice(0, 16);
      expect(synthErrors(app)).toEqual([
        `[bank] [bank/payments/RogueAccount] kpack signs payments/rogue with the key in Secret "cosign-other-key", but [bank/components/signatures] verifies with another public key (sha256 ${fingerprint}...); `
        + 'give the build service account and the signature policy the same CosignKeyPair',
      ]);
    });

    test('the same public key under another Secret name passes', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      const account = new KpackBuildServiceAccount(payments, 'Account', {
        tenant: payments,
        name: 'other-build',
        registryCredentialsSecretName: 'harbor-other-push',
        signingKey: CosignKeyPair.fromPublicKeyPem(PUBLIC_KEY_PEM.replace(/\n/g, '\r\n'), { privateKeySecretName: 'cosign-copy' }),
      });
      new KpackImage(payments, 'Image', { name: 'other', tenant: payments, project: platform.projectOf(payments), builder: addBuilder(platform), buildServiceAccount: account, source: gitSource('payments', 'other') });
      expect(() => app.synth()).not.toThrow();
    });
  });

  describe('(5) pull credentials for running tenants', () => {
    test('fails if a tenant runs a Deployment without a managed registry or pull secret, naming the Deployment and the tenant', () => {
      const app = Testing.app();
      const platform = plain(app);
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      deployment(payments, 'web');
      expect(synthErrors(app)).toEqual([
        '[bank] [bank/payments/Deployment-web] Deployment "web" runs images in tenant "payments", but [bank/payments] has no pull credentials; '
        + 'manage the registry (registry.harbor gives every tenant a pull robot) or call tenant.addImagePullSecret(name)',
      ]);
    });

    test.each([
      ['Pod', pod],
      ['CronJob', cronJob],
    ])('fails for a %s too', (kind, make) => {
      const app = Testing.app();
      const payments = plain(app).addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      make(payments, 'task');
      expect(synthErrors(app)).toEqual([expect.stringMatching(new RegExp(`^\\[bank\\] \\[bank/payments/${kind}-task\\] ${kind} "task" runs images in tenant "payments", but \\[bank/payments\\] has no pull credentials`))]);
    });

    test('fails if a Deployment runs as a service account the tenant did not declare', () => {
      const app = Testing.app();
      const platform = supplyChain(app);
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      deployment(payments, 'web', { serviceAccountName: 'ghost' });
      expect(synthErrors(app)).toEqual([
        '[bank] [bank/payments/Deployment-web] Deployment "web" runs as service account "ghost", which [bank/payments] does not declare, so it carries no pull credentials; '
        + 'declare it with tenant.addServiceAccount("ghost")',
      ]);
    });

    test('passes with tenant.addImagePullSecret and a declared service account, and the account carries the secret', () => {
      const app = Testing.app();
      const platform = plain(app);
      const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      payments.addImagePullSecret('x');
      payments.addServiceAccount('web');
      deployment(payments, 'web', { serviceAccountName: 'web' });
      expect(() => app.synth()).not.toThrow();
      expect(named(synthObjects(app), 'ServiceAccount', 'web', 'payments').imagePullSecrets).toEqual([{ name: 'x' }]);
    });

    test('passes with a managed registry and the default service account', () => {
      const app = Testing.app();
      const payments = supplyChain(app).addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      deployment(payments, 'web');
      expect(() => app.synth()).not.toThrow();
    });

    test('pod-level imagePullSecrets satisfy the check even for an undeclared service account', () => {
      const app = Testing.app();
      const payments = plain(app).addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
      deployment(payments, 'web', { serviceAccountName: 'ghost', imagePullSecrets: ['inline-pull'] });
      expect(() => app.synth()).not.toThrow();
    });
  });

  test('all disagreements are reported together, in one synth', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    platform.policies.addAllowedRepository('quay.io');
    new HarborProject(platform.components, 'rogue-project', { provider: platform.harborProvider!, name: 'rogue', severity: RegistrySeverity.LOW });
    deployment(payments, 'web', { serviceAccountName: 'ghost' });
    const errors = synthErrors(app);
    expect(errors.filter((e) => e.includes('admits "quay.io"'))).toHaveLength(3);
    expect(errors.filter((e) => e.includes('[bank/components/rogue-project] blocks images at severity "low"'))).toHaveLength(1);
    expect(errors.filter((e) => e.includes('service account "ghost"'))).toHaveLength(1);
  });

  test('synth writes nothing when a check fails', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'supply-chain-')), 'dist');
    const app = new App({ outdir });
    const payments = plain(app).addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    deployment(payments, 'web');
    expect(() => app.synth()).toThrow(/Validation failed with the following errors:\n.*\[bank\/payments\] has no pull credentials/);
    expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]);

    // Fixing the cause makes the same App write its manifests.
    payments.addImagePullSecret('x');
    app.synth();
    expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).length).toBeGreaterThan(0);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const RESERVED = new Set([...DevSecOpsPlatform.COMPONENT_NAMESPACES, 'default', 'platform']);

/**
 * Tenant names: DNS labels of up to 50 characters (long enough for the platform-pull robot name
 * to need its hash) that no platform reserves, without the consecutive hyphens Harbor refuses in
 * project names (refused up front, see 'tenant names Harbor cannot take' below).
 */
const tenantName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/)
  .filter((n) => !RESERVED.has(n) && !n.startsWith('kube-') && !n.includes('--'));

const imageName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);

interface TenantSpec {
  readonly name: string;
  readonly tier: Tier;
  readonly images: string[];
}

const platformSpec = fc.record({
  severity: fc.constantFrom(...Object.values(RegistrySeverity)),
  tenants: fc.uniqueArray(
    fc.record({
      name: tenantName,
      tier: fc.constantFrom(Tier.SENSITIVE, Tier.STANDARD, Tier.DEV),
      images: fc.oneof(fc.constant([] as string[]), fc.uniqueArray(imageName, { minLength: 1, maxLength: 2 })),
    }),
    { minLength: 1, maxLength: 6, selector: (t) => t.name },
  ),
});

/** Builds the whole supply chain for a spec: tenants, one builder, the images, one Deployment per tenant. */
function buildSpec(app: App, spec: { severity: RegistrySeverity; tenants: TenantSpec[] }) {
  const platform = supplyChain(app, { registry: { host: HOST, harbor: HARBOR, severity: spec.severity } });
  const builder = addBuilder(platform);
  for (const t of spec.tenants) {
    const tenant = platform.addTenant(t.name, { tier: t.tier, team: 'team' });
    for (const i of t.images) platform.addImage(tenant, i, { builder, source: gitSource(t.name, i) });
    tenant.addServiceAccount('app');
    deployment(tenant, 'app', { serviceAccountName: 'app' });
  }
  return { platform, builder };
}

/** `group/kind namespace/name` of every object that appears more than once. */
function duplicateIdentities(objects: any[]): string[] {
  const seen = new Map<string, number>();
  for (const o of objects) {
    const id = `${o.apiVersion.split('/').slice(0, -1).join('/')}/${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}

describe('DevSecOpsPlatform supply chain: properties', () => {
  test('any platform synthesizes, and every side of the supply chain agrees with the declared projects', () => {
    fc.assert(fc.property(platformSpec, (spec) => {
      const app = Testing.app();
      const { platform } = buildSpec(app, spec);
      const objects = synthObjects(app);
      expect(duplicateIdentities(objects)).toEqual([]);

      const prefixes = [`${HOST}/platform`, ...spec.tenants.map((t) => `${HOST}/${t.name}`)].sort();
      expect(platform.registryProjects.map((p) => p.repositoryPrefix).sort()).toEqual(prefixes);

      const allowed = ofKind(objects, ALLOWED_REPOSITORIES_KIND);
      expect(allowed).toHaveLength(3);
      for (const c of allowed) {
        const tier = c.metadata.name.replace('allowed-repositories-', '');
        const mine = spec.tenants.filter((t) => t.tier === tier);
        expect(c.spec.parameters.repositories).toEqual([]);
        expect(c.spec.parameters.namespaceRepositories ?? {}).toEqual(Object.fromEntries(mine.map((t) => [t.name, [`${HOST}/${t.name}`]])));
        expect(c.spec.parameters.buildRepositories ?? {}).toEqual(Object.fromEntries(mine.filter((t) => t.images.length > 0)
          .map((t) => [t.name, { serviceAccountName: 'kpack-build', repositories: [`${HOST}/platform`] }])));
      }

      const images = ofKind(objects, 'Image');
      expect(images).toHaveLength(spec.tenants.reduce((n, t) => n + t.images.length, 0));
      for (const i of images) {
        expect(i.spec.tag.startsWith(`${HOST}/${i.metadata.namespace}/`)).toBe(true);
        const sa = named(objects, 'ServiceAccount', i.spec.serviceAccountName, i.metadata.namespace);
        expect(sa.secrets).toContainEqual({ name: 'cosign-signing-key' });
      }

      const projects = ofKind(objects, 'Project');
      expect(projects).toHaveLength(spec.tenants.length + 1);
      for (const p of projects) expect(p.spec.forProvider.deploymentSecurity).toBe(spec.severity);

      const policies = ofKind(objects, 'ClusterImagePolicy').filter((p) => p.spec.authorities[0].key);
      expect(policies.length).toBeGreaterThan(0);
      for (const p of policies) expect(p.spec.authorities[0].key.data).toBe(PUBLIC_KEY_PEM);
      const globs = policies.flatMap((p) => p.spec.images.map((g: any) => g.glob)).sort();
      expect(globs).toEqual(spec.tenants.map((t) => `${HOST}/${t.name}/**`).sort());

      for (const t of platform.tenants) {
        expect(t.serviceAccountNames).toEqual(['app', 'default']);
        for (const sa of t.serviceAccountNames) {
          expect(named(objects, 'ServiceAccount', sa, t.namespaceName).imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
        }
        expect(named(objects, 'Namespace', t.namespaceName).metadata.labels['policy.sigstore.dev/include']).toBe('true');
      }
    }), { numRuns: 25 });
  });

  test('a Harbor project added beside any tenant at another severity fails synth naming that project, never the declared ones', () => {
    fc.assert(fc.property(platformSpec, fc.nat(), fc.constantFrom(...Object.values(RegistrySeverity)), (spec, pick, rogueSeverity) => {
      const app = Testing.app();
      const { platform } = buildSpec(app, spec);
      const victim = platform.tenants[pick % platform.tenants.length];
      new HarborProject(victim, 'ExtraProject', { provider: platform.harborProvider!, name: `${victim.namespaceName}-extra`, severity: rogueSeverity });
      expect(synthOutcome(app)).toBe(rogueSeverity === spec.severity ? 'ok' : 'Validation failed with the following errors:\n  '
        + `[bank] [bank/${victim.namespaceName}/ExtraProject] blocks images at severity "${rogueSeverity}", but [bank] registry.severity is "${spec.severity}"; `
        + 'use one threshold: leave the gate\'s severity to the platform, or change registry.severity');
    }), { numRuns: 15 });
  });

  test('an image any tenant tags in another tenant\'s project fails synth naming the image and both projects', () => {
    const twoOrMore = platformSpec.filter((s) => s.tenants.length >= 2);
    fc.assert(fc.property(twoOrMore, fc.nat(), fc.nat(), (spec, a, b) => {
      const app = Testing.app();
      const { platform, builder } = buildSpec(app, spec);
      const tenants = platform.tenants;
      const owner = tenants[a % tenants.length];
      const other = tenants.filter((t) => t !== owner)[b % (tenants.length - 1)];
      const account = new KpackBuildServiceAccount(owner, 'StrayAccount', {
        tenant: owner, name: 'stray-build', registryCredentialsSecretName: 'stray-push', signingKey: keyPair(),
      });
      new KpackImage(owner, 'Stray', { name: 'stray', tenant: owner, project: platform.projectOf(other), builder, buildServiceAccount: account, source: gitSource(owner.namespaceName, 'stray') });
      expect(synthErrors(app)).toEqual([
        `[bank] [bank/${owner.namespaceName}/Stray] kpack Image of tenant "${owner.namespaceName}" is tagged "${HOST}/${other.namespaceName}/stray" `
        + `in [bank/${other.namespaceName}/RegistryProject] project "${other.namespaceName}", not in the tenant's own [bank/${owner.namespaceName}/RegistryProject] `
        + `project "${owner.namespaceName}"; tag every image in its tenant's project`,
      ]);
    }), { numRuns: 10 });
  });
});

/** Tenant names at the edges of Harbor's naming rules (each was once a bug). */
describe('DevSecOpsPlatform supply chain: tenant names Harbor cannot take, long names, name clashes', () => {
  test('a tenant named with consecutive hyphens is refused up front, naming the tenant, and nothing is registered', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    expect(() => platform.addTenant('core--banking', { tier: Tier.STANDARD, team: 'core-eng' }))
      .toThrow(/^\[bank\/core--banking\] 'name' is not a valid Harbor project name/);
    expect(platform.tenants).toEqual([]);
    expect(synthOutcome(app)).toBe('ok');
  });

  // The platform-pull robot name is `pull-<project>` when it fits Harbor's 40 characters, else a
  // prefix and a hash; a cut that ends in "-" must not reach HarborRobot.
  test('addImage works for a 36-character tenant name with a hyphen at position 35', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const name = `${'a'.repeat(34)}-b`;
    const tenant = platform.addTenant(name, { tier: Tier.DEV, team: 't' });
    platform.addImage(tenant, 'app', { builder: addBuilder(platform), source: gitSource('t', 'app') });
    expect(synthOutcome(app)).toBe('ok');
  });

  // Two tenants whose names share their first characters still get distinct platform-pull robots.
  test('addImage works for two long tenant names sharing their first 35 characters', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    const builder = addBuilder(platform);
    for (const name of [`${'a'.repeat(40)}`, `${'a'.repeat(40)}b`]) {
      const tenant = platform.addTenant(name, { tier: Tier.DEV, team: 't' });
      platform.addImage(tenant, 'app', { builder, source: gitSource('t', 'app') });
    }
    expect(synthOutcome(app)).toBe('ok');
  });

  // RobotAccounts are named `harbor-<project>.<robot>`: with "-" instead of ".", tenant
  // "platform-pull-x"'s pull robot and tenant "x-pull"'s platform-pull robot would share a name.
  test('no two objects share a name, whatever the tenant names', () => {
    const app = Testing.app();
    const platform = supplyChain(app);
    platform.addTenant('platform-pull-x', { tier: Tier.DEV, team: 't' });
    const x = platform.addTenant('x-pull', { tier: Tier.DEV, team: 't' });
    platform.addImage(x, 'app', { builder: addBuilder(platform), source: gitSource('x-pull', 'app') });
    expect(duplicateIdentities(synthObjects(app))).toEqual([]);
  });
});

/** 'ok', or the synth error message. */
function synthOutcome(app: App): string {
  try {
    app.synth();
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
}

(HAS_SHARED ? test : test.skip)('a full platform (3 tenants, 2 images, a running service) passes kube-validate with 0 errors', () => {
  const [spec] = fc.sample(fc.uniqueArray(tenantName, { minLength: 3, maxLength: 3 }), { seed: 20250101, numRuns: 1 });
  const tenants: TenantSpec[] = [
    { name: spec[0], tier: Tier.SENSITIVE, images: ['ledger'] },
    { name: spec[1], tier: Tier.STANDARD, images: ['accounts'] },
    { name: spec[2], tier: Tier.DEV, images: [] },
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supply-chain-validate-'));
  const app = new App({ outdir: dir });
  const { platform } = buildSpec(app, { severity: RegistrySeverity.HIGH, tenants });
  expect(platform.tenants.map((t) => t.namespaceName)).toEqual(spec);
  app.synth();
  expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
  expect(kubeValidate(dir)).toMatch(/ 0 errors/);
  fs.rmSync(dir, { recursive: true, force: true });
});
