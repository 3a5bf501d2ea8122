/** The props of `DevSecOpsPlatform` and of its methods, one interface per concern. */
import { PlatformComponentsProps } from './platform-components';
import { KpackBuildCache } from '../image-build/build-cache';
import { KpackBuilderOrderEntry, KpackClusterBuilder } from '../image-build/cluster-builder';
import { KpackClusterLifecycle } from '../image-build/cluster-lifecycle';
import { KpackClusterStack } from '../image-build/cluster-stack';
import { KpackClusterStore } from '../image-build/cluster-store';
import { KpackGitSource } from '../image-build/git-source';
import { ReleaseArtifactOptions } from '../install/release-manifest-install';
import { PolicyEnforcementOverride } from '../policy/policy-catalog';
import { CosignKeyPair } from '../registry/cosign-key';
import { HarborInstallProps } from '../registry/harbor-install';
import { HarborScanFrequency } from '../registry/harbor-scan-schedule';
import { RegistrySeverity } from '../registry/severity';
import { SignatureNoMatchPolicy } from '../registry/signature-policy-install';
import { PlatformRuntimeProps } from '../runtime/runtime-props';
import { PlatformSecretsProps } from '../secrets/vault-connection';
import { ScanEconomyReportProps } from '../supply-chain/report/scan-economy-report';
import { PlatformSupplyChainProps } from '../supply-chain/supply-chain-props';
import { ClusterDns } from '../tenancy/cluster-dns';
import { NetworkPeer, NetworkPort } from '../tenancy/network';
import { Weakening } from '../tenancy/weakening';

/**
 * Harbor managed as code by the platform (Crossplane provider-harbor).
 */
export interface PlatformHarborProps {
  /**
   * Secret holding the provider's Harbor credentials JSON (see `HarborProviderProps`). The
   * library only refers to it.
   */
  readonly providerCredentialsSecretName: string;

  /**
   * Namespace of the provider credentials Secret.
   * @default 'crossplane-system'
   */
  readonly providerCredentialsSecretNamespace?: string;

  /**
   * Install Harbor itself through GitOps. Its `host` must be the registry host.
   * @default - Harbor is not installed by this program (an existing Harbor is configured)
   */
  readonly install?: HarborInstallProps;

  /**
   * Name of the platform's own Harbor project: builder images written by kpack, and the stack,
   * lifecycle and component images relocated into the registry.
   * @default 'platform'
   */
  readonly platformProjectName?: string;

  /**
   * How often Harbor rescans every artifact against new CVEs.
   * @default HarborScanFrequency.WEEKLY
   */
  readonly scanFrequency?: HarborScanFrequency;

  /**
   * Pull every component's images (Gatekeeper, policy-controller, Crossplane, External Secrets,
   * ...) from the platform project instead of public registries, for an air-gapped cluster.
   * Copy them first: `component-images.json` lists each image and where it is pulled from.
   * Harbor's own images cannot come from Harbor and stay listed as not relocated.
   * @default false
   */
  readonly relocateComponentImages?: boolean;
}

/**
 * The platform's container registry.
 */
export interface PlatformRegistryProps {
  /** Registry host (and optional port) every image of the platform comes from, e.g. `harbor.bank.example`. */
  readonly host: string;

  /**
   * Security: the platform's vulnerability threshold. Every Harbor project refuses pulls of
   * images with a finding at or above it, and every gate of the platform must use the same value
   * (checked at synth). A higher severity admits more vulnerable images.
   * @default RegistrySeverities.DEFAULT_THRESHOLD (HIGH)
   */
  readonly severity?: RegistrySeverity;

  /**
   * Manage the registry as Harbor: a project per tenant (plus the platform project), robots,
   * pull credentials in every tenant, the weekly scan-all, and the allowed-repositories policy
   * taken from the declared projects.
   * @default - the registry is not managed: images are admitted from anywhere on `host`
   */
  readonly harbor?: PlatformHarborProps;
}

/**
 * Image signing and verification: kpack signs with the key pair's private half, policy-controller
 * verifies with its public half.
 */
export interface PlatformSigningProps {
  /** The cosign key pair. */
  readonly key: CosignKeyPair;

  /**
   * Rekor instance the signatures are logged in.
   * @default - no transparency-log check (see `SignaturePolicyProps.rekorUrl`)
   */
  readonly rekorUrl?: string;

  /**
   * Security: what policy-controller does with an image of an opted-in namespace that no
   * policy matches.
   * @default SignatureNoMatchPolicy.DENY
   */
  readonly noMatchPolicy?: SignatureNoMatchPolicy;
}

/**
 * One destination build pods may connect to.
 */
export interface PlatformBuildEgress {
  /** Where: the registry's ingress, the git server, a dependency mirror. */
  readonly peer: NetworkPeer;
  /** On which ports. */
  readonly ports: NetworkPort[];
  /**
   * The acknowledgement a destination that weakens a tenant's default needs (for example a CIDR
   * wider than a SENSITIVE tenant's `egressPrefixLimit`).
   * @default - none
   */
  readonly weakening?: Weakening;
}

/**
 * Builds with kpack.
 */
export interface PlatformBuildProps {
  /**
   * Where kpack build pods in tenant namespaces may connect (tenant namespaces deny all egress
   * but DNS). Builds clone git sources, pull the builder and run images and push the app image.
   */
  readonly egress: PlatformBuildEgress[];

  /**
   * Namespace kpack runs in; the builder's push credentials are written there. kpack's release
   * file names its namespace, so only `kpack` is accepted (kept for programs that set it).
   * @default 'kpack'
   */
  readonly kpackNamespace?: string;
}

/**
 * What a tenant's image is built from.
 */
export interface PlatformImageOptions {
  /** The builder (from `addBuilder`). */
  readonly builder: KpackClusterBuilder;
  /** Git repository and revision. */
  readonly source: KpackGitSource;
  /**
   * Repository inside the tenant's project.
   * @default - the image name
   */
  readonly repository?: string;
  /**
   * Directory of the application inside the repository.
   * @default - the repository root
   */
  readonly subPath?: string;
  /**
   * Build cache.
   * @default - kpack's default volume cache
   */
  readonly cache?: KpackBuildCache;
}

/**
 * What a builder is made of.
 */
export interface PlatformBuilderOptions {
  /** Stack (build and run images). */
  readonly stack: KpackClusterStack;
  /** Store of buildpacks. */
  readonly store: KpackClusterStore;
  /** Lifecycle. */
  readonly lifecycle: KpackClusterLifecycle;
  /** Buildpack order groups. */
  readonly order: KpackBuilderOrderEntry[];
  /**
   * Repository of the builder image inside the platform project.
   * @default - `builders/<name>`
   */
  readonly repository?: string;
}

/**
 * Admission policy of the platform.
 */
export interface PlatformPolicyProps {
  /**
   * Security: policy enforcements that differ from the tier defaults (SENSITIVE and STANDARD
   * deny, DEV warns).
   * @default - none
   */
  readonly enforcementOverrides?: PolicyEnforcementOverride[];

  /**
   * Security: Linux capabilities containers may add back after dropping ALL.
   * @default - none
   */
  readonly allowedCapabilities?: string[];

  /**
   * Gatekeeper controller replicas.
   * @default 3
   */
  readonly gatekeeperReplicas?: number;

  /**
   * Security: let API requests through when the Gatekeeper webhook is unreachable.
   * @default false - the webhook fails closed
   */
  readonly failOpen?: boolean;

  /**
   * Security: evaluate every constraint against every object of the App at synth, failing synth
   * on a deny violation. Turning it off moves the first failure to admission time.
   * @default true
   */
  readonly evaluateOnSynth?: boolean;
}

/**
 * Where the platform installs the components that ship as release files rather than Helm charts
 * (kpack with `builds`; Tekton Pipelines and Cartographer with `supplyChain`): from the platform
 * team's copy of each pinned release file, pushed unchanged to the registry with
 * `flux push artifact` (see `UpstreamReleases` for the versions and where to download them).
 */
export interface PlatformReleasesProps {
  /**
   * Registry path the release files are mirrored under (`<prefix>/releases/<component>`).
   * @default - the platform project, `<registry host>/<platformProjectName>`
   */
  readonly mirrorPrefix?: string;
  /**
   * Options of kpack's release artifact (digest pin, signature verification, pull Secret).
   * @default - pulled by tag with a pull robot of the platform project
   */
  readonly kpack?: ReleaseArtifactOptions;
  /**
   * Options of Tekton Pipelines' release artifact.
   * @default - pulled by tag with a pull robot of the platform project
   */
  readonly tektonPipelines?: ReleaseArtifactOptions;
  /**
   * Options of Cartographer's release artifact.
   * @default - pulled by tag with a pull robot of the platform project
   */
  readonly cartographer?: ReleaseArtifactOptions;
}

/**
 * Properties of a `DevSecOpsPlatform`.
 */
export interface DevSecOpsPlatformProps {
  /** The registry every image comes from; the allowed-registries policy admits only it. */
  readonly registry: PlatformRegistryProps;

  /**
   * Sign every image kpack builds and verify signatures at admission (sigstore
   * policy-controller, installed): enforced for SENSITIVE and STANDARD tenants, warn for DEV.
   * Needs `registry.harbor`.
   * @default - no signing: `addImage` is refused
   */
  readonly signing?: PlatformSigningProps;

  /**
   * Build images with kpack (`addBuilder`, `addImage`). Needs `registry.harbor` and `signing`.
   * @default - no builds
   */
  readonly builds?: PlatformBuildProps;

  /**
   * Vault-backed secrets for workloads (`platform.secrets.addSecret`): how to reach Vault and
   * which operator delivers the secrets. The guard against Secrets with values in the manifests
   * runs with or without it.
   * @default - no Vault: declaring a secret is refused
   */
  readonly secrets?: PlatformSecretsProps;

  /**
   * The secure supply chains that build, scan, check and deploy workloads added with `source`
   * (one per workload type, made when its first workload is added). Needs `builds`.
   * @default - no supply chain: workloads run prebuilt images only
   */
  readonly supplyChain?: PlatformSupplyChainProps;

  /**
   * Where kpack, Tekton Pipelines and Cartographer are installed from.
   * @default - each release's mirror in the platform project
   */
  readonly releases?: PlatformReleasesProps;

  /**
   * The change rates the scan-economy report (`scan-economy-report.json`, with `supplyChain`)
   * computes the platform's scans per day from.
   * @default - the report's defaults
   */
  readonly scanEconomy?: ScanEconomyReportProps;

  /**
   * Admission policy settings. Gatekeeper, the built-in catalog with per-tier constraints and
   * the synth-time evaluation are always installed.
   * @default - the catalog's tier defaults
   */
  readonly policy?: PlatformPolicyProps;

  /**
   * Where cluster DNS answers, for every tenant's DNS-only egress.
   * @default ClusterDns.kubeDns()
   */
  readonly clusterDns?: ClusterDns;

  /**
   * Further namespaces no tenant may take (beyond Kubernetes' own and the platform's components).
   * @default - none
   */
  readonly reservedNamespaces?: string[];

  /**
   * Security settings of the component installs (Gatekeeper, policy-controller, External
   * Secrets, Crossplane).
   * @default - each install's secure defaults
   */
  readonly components?: PlatformComponentsProps;

  /**
   * Tiered runtime security: node pools per tier (every workload placed on its tier's pool),
   * Falco per pool, Tetragon on the SENSITIVE pool, the API-server audit policy and the runtime
   * report.
   * @default - no runtime layer
   */
  readonly runtime?: PlatformRuntimeProps;
}

