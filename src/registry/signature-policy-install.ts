import { Construct } from 'constructs';
import { CaBundleConfigMap } from '../install/ca-bundle';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { requireCaBundle } from '../install/private/ca-bundle';
import { NONROOT_UID, restrictedContainer, restrictedPod } from '../install/private/security-context';
import { HelmChartVerification } from '../install/release-settings';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid } from '../private/errors';
import { requireCount } from '../private/validate';

/** What policy-controller does with an image no ClusterImagePolicy matches (in an opted-in namespace). */
export enum SignatureNoMatchPolicy {
  /** Reject the pod. */
  DENY = 'deny',
  /** Admit with a warning. */
  WARN = 'warn',
  /** Admit silently. */
  ALLOW = 'allow',
}

/** Props of `SignaturePolicyInstall`. */
export interface SignaturePolicyInstallProps {
  /**
   * Security: behaviour for images matching no policy in an opted-in namespace. WARN or ALLOW
   * admit unverified images from outside the platform's projects.
   * @default SignatureNoMatchPolicy.DENY
   */
  readonly noMatchPolicy?: SignatureNoMatchPolicy;
  /**
   * Exact chart version for this install only (one of the chart's known versions).
   * @default - `UpstreamCharts.POLICY_CONTROLLER`'s version
   */
  readonly version?: string;
  /**
   * Webhook replicas. At least 2: the webhook fails closed, so one replica down blocks every
   * pod of the opted-in namespaces.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * CA bundle the webhook trusts when it fetches signatures from the registry (a registry
   * served with a certificate from the bank's own CA).
   * @default - the image's system trust store
   */
  readonly registryCaBundle?: CaBundleConfigMap;
  /**
   * How Flux verifies the chart's own signature before installing it.
   * @default - cosign keyless: signed by the sigstore/helm-charts release workflow on GitHub Actions
   */
  readonly chartVerification?: HelmChartVerification;
  /**
   * Security: install the chart without verifying its signature (a mirror that does not copy
   * signatures).
   * @default false
   */
  readonly skipChartVerification?: boolean;
}

/** Identity the sigstore/helm-charts release workflow signs its OCI charts with (cosign keyless). */
const SIGSTORE_CHARTS_ISSUER = '^https://token\\.actions\\.githubusercontent\\.com$';
const SIGSTORE_CHARTS_SUBJECT = '^https://github\\.com/sigstore/helm-charts/\\.github/workflows/release\\.yml@refs/heads/main$';
/**
 * Sigstore policy-controller installed through Flux (`FluxHelmInstall` of
 * `UpstreamCharts.POLICY_CONTROLLER`, construct id `Resource`), with the no-match policy pinned
 * in its `config-policy-controller` ConfigMap (chart value `webhook.configData`) rather than left
 * to the chart's default, at least two webhook replicas, the chart's signature verified by Flux,
 * and security contexts that let its pods (webhook and the leases-cleanup hook) run under the
 * namespace's Pod Security `restricted`: upstream's defaults set no seccomp profile, no
 * runAsNonRoot, and keep the hook's capabilities.
 */
export class SignaturePolicyInstall extends Construct {
  /** The Flux install (escape hatch: `install.addValues(...)`). */
  public readonly install: FluxHelmInstall;

  constructor(scope: Construct, id: string, props: SignaturePolicyInstallProps = {}) {
    super(scope, id);
    const noMatch = props.noMatchPolicy ?? SignatureNoMatchPolicy.DENY;
    if (!Object.values(SignatureNoMatchPolicy).includes(noMatch)) {
      invalid(this, 'noMatchPolicy', 'is not a no-match policy', noMatch, 'use SignatureNoMatchPolicy.DENY');
    }
    const replicas = props.replicas ?? 2;
    requireCount(this, 'replicas', replicas, 2,
      'run 2 or more webhook replicas: the webhook fails closed, so a single replica down blocks pod admission');
    if (props.chartVerification !== undefined && props.skipChartVerification) {
      invalid(this, 'skipChartVerification', 'contradicts chartVerification', true, 'drop one of the two');
    }
    const ca = props.registryCaBundle === undefined ? undefined : requireCaBundle(this, 'registryCaBundle', props.registryCaBundle);
    const container = { ...restrictedContainer(), ...restrictedPod(), runAsUser: NONROOT_UID };
    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.POLICY_CONTROLLER,
      version: props.version,
      verification: props.skipChartVerification ? undefined
        : props.chartVerification ?? HelmChartVerification.cosignKeyless(SIGSTORE_CHARTS_ISSUER, SIGSTORE_CHARTS_SUBJECT),
      values: {
        webhook: {
          configData: { 'no-match-policy': noMatch },
          replicaCount: replicas,
          // The chart's names are swapped: webhook.securityContext is the pod's, webhook.podSecurityContext the container's.
          securityContext: { enabled: true, ...restrictedPod(), runAsUser: NONROOT_UID, runAsGroup: NONROOT_UID },
          podSecurityContext: { enabled: true, ...container, readOnlyRootFilesystem: true },
          ...(ca ? { registryCaBundle: ca } : {}),
        },
        leasescleanup: { podSecurityContext: { enabled: true, ...container } },
      },
    });
  }
}
