import { invalid } from '../private/errors';
import { isDnsSubdomain } from '../private/validate';

/**
 * A cosign key pair as the platform refers to it: the Kubernetes Secret that holds the private half
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

const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END PUBLIC KEY-----\r?\n?$/;

/**
 * A cosign signing key held in a Kubernetes Secret. Carries the Secret's name and the public key
 * only: no private key material ever enters the program or the manifests.
 */
export class BuildSigningKey implements IBuildSigningKey {
  /**
   * The key pair in Secret `secretName`, whose public half is `publicKeyPem`.
   * @param secretName the Secret's name (a DNS subdomain); the secrets layer materializes it in
   * every namespace where builds are signed
   * @param publicKeyPem the public key, PEM-encoded (`cosign.pub`)
   */
  public static fromSecret(secretName: string, publicKeyPem: string): BuildSigningKey {
    if (!isDnsSubdomain(secretName)) {
      invalid('BuildSigningKey.fromSecret', 'secretName', 'is not a Secret name (DNS subdomain)', secretName, 'use a name such as "cosign-signing-key"');
    }
    if (typeof publicKeyPem !== 'string' || /PRIVATE KEY/.test(publicKeyPem)) {
      invalid('BuildSigningKey.fromSecret', 'publicKeyPem', 'contains private key material', '<redacted>',
        'pass only the public key (cosign.pub); the private key stays in the Secret');
    }
    const trimmed = publicKeyPem.trim() + '\n';
    if (!PEM.test(trimmed)) {
      invalid('BuildSigningKey.fromSecret', 'publicKeyPem', 'is not a PEM public key', publicKeyPem.slice(0, 40),
        'pass the content of cosign.pub: "-----BEGIN PUBLIC KEY-----", base64 lines, "-----END PUBLIC KEY-----"');
    }
    return new BuildSigningKey(secretName, trimmed);
  }

  public readonly secretName: string;
  public readonly publicKeyPem: string;

  private constructor(secretName: string, publicKeyPem: string) {
    this.secretName = secretName;
    this.publicKeyPem = publicKeyPem;
  }
}
