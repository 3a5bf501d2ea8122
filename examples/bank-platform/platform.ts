import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import {
  CosignKeyPair, DevSecOpsPlatform, FalcoOutput, KpackClusterLifecycle, KpackClusterStack, KpackClusterStore,
  KpackGitSource, NetworkPeer, NetworkPort, NodeTaintEffect, SecretDelivery, SecretsBackend, SupplyChainTool, Tenant, Tier, VaultSecretSource,
  WorkloadType,
} from '../../src';

/** Harbor's host: every image of the bank is pulled from it. */
const HARBOR = 'harbor.bank.example';

/**
 * Images relocated into the platform project (`imgpkg copy` / `crane copy` from upstream),
 * pinned by the digests the relocation reported.
 */
const RELOCATED = {
  build: `${HARBOR}/platform/paketo-buildpacks/build-jammy-base:0.1.120@sha256:aedee01dee455efc7e4a09634cbf986fdda6af9f63d54471da93199a0e6d87cb`,
  run: `${HARBOR}/platform/paketo-buildpacks/run-jammy-base:0.1.120@sha256:17d366cfd38d52dd593e43ba22586c346314d8fff26ee6378e139d3986448582`,
  lifecycle: `${HARBOR}/platform/buildpacksio/lifecycle:0.20.0@sha256:df688cca73f36b883da97645453c64f49c19776a40fe13ed7e4952c70113fa40`,
  java: `${HARBOR}/platform/paketo-buildpacks/java:13.1.0@sha256:aae97cb917e5dd9a5406c377cb1d835935762f980014f74b957633d415cbba00`,
  nodejs: `${HARBOR}/platform/paketo-buildpacks/nodejs:3.2.0@sha256:87a39fb06c770339cc71e7f3aafac67e8ad0218878707c11016b50bc2eabd161`,
};

/**
 * The supply chain's tools, from the platform project (air-gapped). grype, jq, curl and git are
 * copies of the library's pinned upstream images (a copy keeps the digest); gator is the bank's
 * own build of Gatekeeper's v3.23.0 gator (upstream's image digest could not be verified when
 * this example was written), pinned by the digest of that build: SENSITIVE tenants accept only
 * pinned tool images.
 */
const TOOLS = [
  { tool: SupplyChainTool.GRYPE, image: `${HARBOR}/platform/tools/grype:v0.118.0@sha256:8a93fc48da96bd6ec5981279d099b69de11541dc68fdf222fb9161f8ff284af7` },
  { tool: SupplyChainTool.JQ, image: `${HARBOR}/platform/tools/jq:1.8.1@sha256:4f34c6d23f4b1372ac789752cc955dc67c2ae177eb1b5860b75cdc5091ce6f91` },
  { tool: SupplyChainTool.CURL, image: `${HARBOR}/platform/tools/curl:8.5.0@sha256:08e466006f0860e54fc299378de998935333e0e130a15f6f98482e9f8dab3058` },
  { tool: SupplyChainTool.GIT, image: `${HARBOR}/platform/tools/git:v2.49.1@sha256:c0280cf9572316299b08544065d3bf35db65043d5e3963982ec50647d2746e26` },
  { tool: SupplyChainTool.GATOR, image: `${HARBOR}/platform/tools/gator:v3.23.0-bank.1@sha256:5b0c6f4e2d8a1c3f7e9b2d4a6c8e0f1a3b5d7c9e1f2a4b6c8d0e2f4a6b8c0d2e` },
];

/**
 * The bank of the seed, as a real program: three tenants, one allowed path between them, the
 * admission policy catalog enforced per tier, Harbor as the only registry, kpack builds signed
 * with the bank's cosign key and verified at admission, and one payments service that obeys it
 * all.
 *
 * - payments (SENSITIVE): cardholder data; restricted pods, read-only team access.
 * - core-banking (STANDARD): may call payments on 8443/TCP, and nothing else crosses tenants.
 * - dev-sandbox (DEV): baseline pods, audited and warned against restricted.
 *
 * Each tenant gets its Harbor project (private, scan on push, pulls blocked at HIGH, cosign
 * required for payments and core-banking), a pull-only robot whose credentials reach every
 * service account, and its namespace opted in to signature verification.
 */
export function buildBankPlatform(app: App): DevSecOpsPlatform {
  const platform = new DevSecOpsPlatform(app, 'bank', {
    registry: {
      host: HARBOR,
      harbor: {
        providerCredentialsSecretName: 'harbor-provider-credentials',
        install: {
          host: HARBOR,
          tlsSecretName: 'harbor-tls',
          adminPasswordSecretName: 'harbor-admin',
          encryptionKeySecretName: 'harbor-encryption-key',
          registryCredentialsSecretName: 'harbor-registry-credentials',
          database: { host: 'harbor-db.bank.example', username: 'harbor', passwordSecretName: 'harbor-db' },
          // The bank's CA (database, Redis) and every component secret from Vault-backed Secrets,
          // so nothing is regenerated at each upgrade.
          caBundleSecretName: 'bank-ca',
          internalSecrets: {
            coreSecretName: 'harbor-core',
            jobserviceSecretName: 'harbor-jobservice',
            registryHttpSecretName: 'harbor-registry-http',
            xsrfKeySecretName: 'harbor-xsrf',
            tokenCertSecretName: 'harbor-token-cert',
          },
          redis: { address: 'harbor-redis.bank.example:6380', passwordSecretName: 'harbor-redis' },
        },
        // Air-gapped: every component image comes from the platform project (component-images.json lists them).
        relocateComponentImages: true,
      },
    },
    // The public half of the bank's signing key; the private half lives only in the Secret
    // "cosign-signing-key" of each namespace that builds (cosign generate-key-pair k8s://...).
    signing: {
      key: CosignKeyPair.fromPublicKeyPem(fs.readFileSync(path.join(__dirname, 'cosign.pub'), 'utf8'), { privateKeySecretName: 'cosign-signing-key' }),
    },
    // Vault, outside the cluster, behind the bank's CA. VSO delivers the secrets and restarts the
    // consumers when they rotate; the tenants' Vault policies and auth roles are written to
    // <outdir>-reports/vault/ for the Vault administrator.
    secrets: {
      backend: SecretsBackend.VAULT_SECRETS_OPERATOR,
      vault: {
        address: 'https://vault.bank.example:8200',
        caCertificatePem: fs.readFileSync(path.join(__dirname, 'vault-ca.pem'), 'utf8'),
      },
    },
    builds: {
      // Build pods reach Harbor's ingress and the bank's git server, on HTTPS only.
      egress: [
        { peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] },
        { peer: NetworkPeer.cidr('10.40.1.0/28'), ports: [NetworkPort.tcp(443)] },
      ],
    },
    // The secure supply chain: source -> grype (CRITICAL and HIGH stop it: the platform threshold)
    // -> kpack build -> Harbor scan -> gator with the platform's policies -> commit to GitOps.
    supplyChain: {
      deployTarget: {
        repositoryUrl: 'https://git.bank.example/platform/gitops.git',
        branch: 'main',
        path: 'clusters/prod/workloads',
        credentialsSecretName: 'gitops-writer',
      },
      egress: {
        vulnerabilityDatabase: [{ peer: NetworkPeer.cidr('10.40.2.0/28'), ports: [NetworkPort.tcp(443)] }],
        registry: [{ peer: NetworkPeer.cidr('10.40.0.0/28'), ports: [NetworkPort.tcp(443)] }],
        gitOpsRepository: [{ peer: NetworkPeer.cidr('10.40.1.0/28'), ports: [NetworkPort.tcp(443)] }],
      },
      vulnerabilityDatabaseUrl: 'https://grype-db.bank.example/databases',
      toolImages: TOOLS,
    },
    // Tiered runtime security: payments on a dedicated, tainted pool with Falco (full ruleset
    // plus the platform's payment rules) and Tetragon (shells killed in the ledger's containers);
    // core-banking on the standard pool with Falco's WARNING-and-above rules; dev-sandbox on the
    // dev pool with no syscall capture at all. runtime-report.md shows what this saves.
    runtime: {
      nodePools: [
        {
          name: 'payments',
          tiers: [Tier.SENSITIVE],
          nodeLabels: { 'bank.example/node-pool': 'payments' },
          taint: { key: 'bank.example/node-pool', value: 'payments', effect: NodeTaintEffect.NO_SCHEDULE },
          nodeCount: 3,
        },
        {
          name: 'standard',
          tiers: [Tier.STANDARD],
          nodeLabels: { 'bank.example/node-pool': 'standard' },
          taint: { key: 'bank.example/node-pool', value: 'standard', effect: NodeTaintEffect.NO_SCHEDULE },
          nodeCount: 12,
        },
        { name: 'dev', tiers: [Tier.DEV], nodeLabels: { 'bank.example/node-pool': 'dev' }, nodeCount: 6 },
      ],
      falco: {
        output: FalcoOutput.falcosidekick('http://falcosidekick.security-ops.svc:2801'),
        // The card schemes' gateway: the only public network the ledger talks to.
        expectedEgressNetworks: ['198.51.100.0/24'],
      },
    },
  });

  const payments = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
  const coreBanking = platform.addTenant('core-banking', { tier: Tier.STANDARD, team: 'core-banking-eng' });
  platform.addTenant('dev-sandbox', { tier: Tier.DEV, team: 'sandbox-eng' });

  // The only cross-tenant path: core-banking -> payments on 8443/TCP. This writes the egress rule
  // in core-banking and the matching ingress rule in payments.
  coreBanking.allowTo(NetworkPeer.tenant(payments), [NetworkPort.tcp(8443)]);

  // One builder: Paketo Java and Node.js buildpacks on the Jammy stack. Base-image fixes arrive
  // by bumping `run` (kpack rebases every app image, no rebuild); app images rebuild on commits.
  platform.addBuilder('paketo-jammy', {
    stack: new KpackClusterStack(platform.components, 'jammy', { stackId: 'io.buildpacks.stacks.jammy', buildImage: RELOCATED.build, runImage: RELOCATED.run }),
    store: new KpackClusterStore(platform.components, 'paketo', {
      buildpackages: [
        { image: RELOCATED.java, buildpackIds: ['paketo-buildpacks/java'] },
        { image: RELOCATED.nodejs, buildpackIds: ['paketo-buildpacks/nodejs'] },
      ],
    }),
    lifecycle: new KpackClusterLifecycle(platform.components, 'lifecycle', { image: RELOCATED.lifecycle }),
    order: [{ group: [{ id: 'paketo-buildpacks/java' }] }, { group: [{ id: 'paketo-buildpacks/nodejs' }] }],
  });

  addLedger(payments);
  addAccounts(coreBanking);
  return platform;
}

/**
 * The payments ledger service, built, scanned, signed, policy-checked and deployed by the secure
 * supply chain: the chain deploys the hardened Deployment and Service the workload renders. It reads its database credentials as a dynamic secret (new credentials under a
 * lease, renewed at two thirds of it) and its serving certificate from Vault's PKI; both rotate,
 * and VSO restarts the ledger when they do.
 */
function addLedger(tenant: Tenant): void {
  const ledger = tenant.addWorkload('ledger', {
    source: KpackGitSource.branch('https://git.bank.example/payments/ledger.git', 'main'),
    ports: [{ port: 8443, name: 'https' }],
    resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' },
  });
  ledger.addSecret('ledger-db', {
    source: VaultSecretSource.dynamic({ mount: 'database', role: 'payments-ledger', leaseTtl: '1h' }),
    delivery: SecretDelivery.env({ DB_USERNAME: 'username', DB_PASSWORD: 'password' }),
  });
  ledger.addSecret('ledger-tls', {
    source: VaultSecretSource.pki({ role: 'payments-ledger', commonName: 'ledger.payments.svc', altNames: ['ledger.payments.svc.cluster.local'], ttl: '72h', renewBefore: '24h' }),
    delivery: SecretDelivery.file('/var/run/secrets/tls'),
  });
}

/**
 * The core-banking accounts service (a worker calling the ledger on 8443), with the API key of
 * its card-network partner from Vault's KV store, re-read every 15 minutes.
 */
function addAccounts(tenant: Tenant): void {
  const accounts = tenant.addWorkload('accounts', {
    source: KpackGitSource.branch('https://git.bank.example/core-banking/accounts.git', 'main'),
    type: WorkloadType.WORKER,
  });
  accounts.addSecret('partner-api-key', {
    source: VaultSecretSource.kv({ path: 'core-banking/partner-api', refreshInterval: '15m' }),
    delivery: SecretDelivery.env({ PARTNER_API_KEY: 'api-key' }),
  });
}
