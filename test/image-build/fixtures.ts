import { generateKeyPairSync } from 'crypto';
import { App, Chart, Testing } from 'cdk8s';
import {
  KpackBuildServiceAccount, KpackClusterBuilder, KpackClusterLifecycle, KpackClusterStack,
  KpackClusterStore, KpackGitSource, KpackImage, KpackImageProps, RegistryLocation,
} from '../../src/image-build';
import { CosignKeyPair } from '../../src/registry';
import { Tenant, Tier, UnmanagedNamespace } from '../../src/tenancy';

/** A deterministic sha256 digest for test inputs (64 lowercase hex digits). */
export function digest(seed: string): string {
  let hex = '';
  for (let i = 0; hex.length < 64; i++) hex += ((seed.charCodeAt(i % seed.length) * 31 + i * 7) % 256).toString(16).padStart(2, '0');
  return `sha256:${hex.slice(0, 64)}`;
}

export const HARBOR = 'harbor.bank.example';

/** A real EC P-256 public key, as `cosign generate-key-pair` writes to cosign.pub. */
export const PUBLIC_KEY_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

export const signingKey = () => CosignKeyPair.fromPublicKeyPem(PUBLIC_KEY_PEM, { privateKeySecretName: 'cosign-signing-key' });

export const IMAGES = {
  build: `registry.example/paketo-buildpacks/build-jammy-base:0.1.120@${digest('build')}`,
  run: `registry.example/paketo-buildpacks/run-jammy-base:0.1.120@${digest('run')}`,
  lifecycle: `registry.example/buildpacksio/lifecycle:0.20.0@${digest('lifecycle')}`,
  java: `registry.example/paketo-buildpacks/java:13.1.0@${digest('java')}`,
  nodejs: `registry.example/paketo-buildpacks/nodejs:3.2.0@${digest('nodejs')}`,
};

export interface Platform {
  readonly app: App;
  readonly chart: Chart;
  readonly platformSa: KpackBuildServiceAccount;
  readonly stack: KpackClusterStack;
  readonly store: KpackClusterStore;
  readonly lifecycle: KpackClusterLifecycle;
  readonly builder: KpackClusterBuilder;
}

/** The platform's build chain in one chart: store (java, nodejs), stack, lifecycle, one builder. */
export function platform(app: App = Testing.app()): Platform {
  const chart = new Chart(app, 'build');
  new UnmanagedNamespace(chart, 'kpack-namespace', { namespace: 'kpack', reason: 'kpack is installed from its release manifests' });
  const platformSa = new KpackBuildServiceAccount(chart, 'builder-sa', {
    namespace: 'kpack', name: 'builder-push', registryCredentialsSecretName: 'harbor-robot-platform',
  });
  const stack = new KpackClusterStack(chart, 'jammy', { stackId: 'io.buildpacks.stacks.jammy', buildImage: IMAGES.build, runImage: IMAGES.run });
  const store = new KpackClusterStore(chart, 'paketo', {
    buildpackages: [
      { image: IMAGES.java, buildpackIds: ['paketo-buildpacks/java'] },
      { image: IMAGES.nodejs, buildpackIds: ['paketo-buildpacks/nodejs'] },
    ],
  });
  const lifecycle = new KpackClusterLifecycle(chart, 'lifecycle-0-20', { image: IMAGES.lifecycle });
  const builder = new KpackClusterBuilder(chart, 'base', {
    stack,
    store,
    lifecycle,
    project: RegistryLocation.of(HARBOR, 'platform'),
    serviceAccount: platformSa,
    order: [{ group: [{ id: 'paketo-buildpacks/java' }] }, { group: [{ id: 'paketo-buildpacks/nodejs' }] }],
  });
  return { app, chart, platformSa, stack, store, lifecycle, builder };
}

/** A tenant with its build service account. */
export function tenant(app: App, name = 'payments') {
  const t = new Tenant(app, name, { tier: Tier.SENSITIVE, team: `${name}-eng` });
  const sa = new KpackBuildServiceAccount(t, 'build-sa', {
    tenant: t, registryCredentialsSecretName: `harbor-robot-${name}`, signingKey: signingKey(),
  });
  return { tenant: t, sa, project: RegistryLocation.of(HARBOR, name) };
}

/** One image of `tenant` on the platform's builder. */
export function image(p: Platform, t: ReturnType<typeof tenant>, id = 'ledger', props: Partial<KpackImageProps> = {}): KpackImage {
  return new KpackImage(t.tenant, id, {
    tenant: t.tenant,
    project: t.project,
    builder: p.builder,
    buildServiceAccount: t.sa,
    source: KpackGitSource.branch('https://git.bank.example/payments/ledger.git', 'main'),
    ...props,
  });
}
