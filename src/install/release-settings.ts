/**
 * What Flux does with the CRDs in a chart's `crds/` directory (HelmRelease
 * `spec.install.crds` and `spec.upgrade.crds`).
 */
export enum HelmCrdPolicy {
  /**
   * Security: neither install nor update CRDs. The operator then runs against whatever CRD
   * version is in the cluster, which may not validate what it expects.
   */
  SKIP = 'Skip',
  /** Create missing CRDs, never update existing ones (Flux's own install default). */
  CREATE = 'Create',
  /** Create missing CRDs and replace existing ones with the chart's version. Never deletes CRDs. */
  CREATE_REPLACE = 'CreateReplace',
}

/**
 * How Flux treats changes made in the cluster to the objects of a release (HelmRelease
 * `spec.driftDetection.mode`).
 */
export enum HelmDriftDetectionMode {
  /** Detect drift and correct it: the cluster always matches the release. */
  ENABLED = 'enabled',
  /** Security: detect drift and only report it as an event; the change stays. */
  WARN = 'warn',
  /** Security: ignore drift (Flux's own default). A hand edit of an operator stays unnoticed. */
  DISABLED = 'disabled',
}

/**
 * Signature provider of an upstream chart artifact.
 */
export enum HelmChartSignatureProvider {
  /** Sigstore cosign signatures. */
  COSIGN = 'cosign',
}

/**
 * How Flux verifies the signature of an OCI chart artifact before it is installed
 * (`OCIRepository.spec.verify`). Only for charts from `HelmChart.fromOci(...)`.
 */
export class HelmChartVerification {
  /**
   * Cosign keyless verification: the artifact must carry a Fulcio certificate whose OIDC issuer
   * and subject match the given regular expressions (Go RE2 syntax), for example issuer
   * `^https://token\.actions\.githubusercontent\.com$` and subject
   * `^https://github\.com/sigstore/helm-charts/.*$`.
   */
  public static cosignKeyless(issuer: string, subject: string): HelmChartVerification {
    return new HelmChartVerification(issuer, subject, undefined);
  }

  /**
   * Cosign verification with public keys: the Secret (in the install's namespace) holds one or
   * more `*.pub` keys; the artifact must be signed by one of them.
   */
  public static cosignPublicKeys(secretName: string): HelmChartVerification {
    return new HelmChartVerification(undefined, undefined, secretName);
  }

  /** Signature provider. */
  public readonly provider: HelmChartSignatureProvider = HelmChartSignatureProvider.COSIGN;
  /** OIDC issuer regex (keyless only). */
  public readonly issuer?: string;
  /** Certificate subject regex (keyless only). */
  public readonly subject?: string;
  /** Name of the Secret holding the public keys (key-based only). */
  public readonly secretName?: string;

  private constructor(issuer?: string, subject?: string, secretName?: string) {
    this.issuer = issuer;
    this.subject = subject;
    this.secretName = secretName;
  }
}
