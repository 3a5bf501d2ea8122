/**
 * A cosign key pair as the build layer refers to it (the registry layer's `CosignKeyPair`
 * implements it): the Kubernetes Secret that holds the private half
 * (read by kpack when it signs) and the public key (read by the admission policy that verifies).
 * One object feeds both tools, so the key kpack signs with is the key the policy checks.
 */
export interface IBuildSigningKey {
  /**
   * Name of the Secret holding the key pair in each namespace where builds run. kpack signs with
   * a Secret on the build service account that has data keys `cosign.key` and `cosign.password`
   * (and, by convention, `cosign.pub`); `cosign generate-key-pair k8s://<ns>/<name>` writes one.
   */
  readonly secretName: string;
  /** The public key, PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
}
