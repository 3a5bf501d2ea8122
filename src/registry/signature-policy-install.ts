import { Construct } from 'constructs';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid } from '../private/errors';

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
   * Exact chart version for this install only.
   * @default - `UpstreamCharts.POLICY_CONTROLLER`'s version
   */
  readonly version?: string;
}

/**
 * Sigstore policy-controller installed through Flux (`FluxHelmInstall` of
 * `UpstreamCharts.POLICY_CONTROLLER`, construct id `Resource`), with the no-match policy pinned
 * in its `config-policy-controller` ConfigMap (chart value `webhook.configData`) rather than left
 * to the chart's default. Its namespace enforces Pod Security `restricted`.
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
    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.POLICY_CONTROLLER,
      version: props.version,
      values: { webhook: { configData: { 'no-match-policy': noMatch } } },
    });
  }
}
