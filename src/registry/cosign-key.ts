import { createHash, createPublicKey } from 'crypto';
import type { IBuildSigningKey } from '../image-build/signing-key';
import { invalid } from '../private/errors';
import { isDnsSubdomain } from '../private/validate';

/**
 * Options of a cosign key pair.
 */
export interface CosignKeyPairOptions {
  /**
   * Name of the Secret holding the private key (`cosign.key`, `cosign.password`, `cosign.pub`,
   * as `cosign generate-key-pair k8s://<ns>/<name>` writes it). The build layer attaches it to
   * the service account kpack signs with; the library never reads or writes its content.
   */
  readonly privateKeySecretName: string;
}

const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END PUBLIC KEY-----\r?\n?$/;

/**
 * The cosign key pair of the platform: the public key in PEM (inlined into the signature
 * policies, so admission verifies with exactly this key) and the name of the Secret holding the
 * private key (which kpack signs with). Build and signature layers take the same object, so the
 * key kpack signs with is the key policy-controller verifies.
 *
 * Only the public half ever appears in synthesized manifests.
 */
export class CosignKeyPair implements IBuildSigningKey {
  /**
   * A key pair from its public key in PEM (`-----BEGIN PUBLIC KEY-----`, as `cosign.pub`)
   * and the name of the Secret holding its private key.
   *
   * Refused: private keys, certificates, anything that does not parse as a public key.
   */
  public static fromPublicKeyPem(publicKeyPem: string, options: CosignKeyPairOptions): CosignKeyPair {
    const where = 'CosignKeyPair.fromPublicKeyPem';
    if (typeof publicKeyPem !== 'string') {
      invalid(where, 'publicKeyPem', 'must be a PEM string', publicKeyPem, 'pass the content of cosign.pub');
    }
    const text = publicKeyPem.trim() + '\n';
    if (/PRIVATE KEY/.test(text)) {
      invalid(where, 'publicKeyPem', 'holds a private key, which must never reach a manifest', '<redacted>',
        'pass the public half (cosign.pub); keep cosign.key in the Secret named by privateKeySecretName');
    }
    const m = PEM.exec(text);
    if (!m) {
      invalid(where, 'publicKeyPem', 'is not a PEM public key', preview(text),
        'pass the content of cosign.pub, starting with "-----BEGIN PUBLIC KEY-----"');
    }
    let der: Buffer;
    try {
      der = createPublicKey({ key: text, format: 'pem' }).export({ format: 'der', type: 'spki' });
    } catch {
      return invalid(where, 'publicKeyPem', 'does not parse as a public key', preview(text),
        'pass an unmodified cosign.pub (ECDSA P-256 as cosign generates, or RSA/Ed25519)');
    }
    const secret = options?.privateKeySecretName;
    if (typeof secret !== 'string' || !isDnsSubdomain(secret)) {
      invalid(where, 'privateKeySecretName', 'must be a Secret name (DNS subdomain)', secret,
        'name the Secret holding cosign.key, for example "cosign-signing-key"');
    }
    return new CosignKeyPair(text, secret, createHash('sha256').update(der).digest('hex'));
  }

  /** The public key in PEM, normalized to end with one newline. */
  public readonly publicKeyPem: string;
  /** Name of the Secret holding the private key. */
  public readonly privateKeySecretName: string;
  /** SHA-256 of the public key's DER (SubjectPublicKeyInfo), hex: a stable key identifier. */
  public readonly fingerprint: string;

  /** The Secret kpack signs with (`IBuildSigningKey`): the one holding the private key. */
  public get secretName(): string {
    return this.privateKeySecretName;
  }

  private constructor(publicKeyPem: string, privateKeySecretName: string, fingerprint: string) {
    this.publicKeyPem = publicKeyPem;
    this.privateKeySecretName = privateKeySecretName;
    this.fingerprint = fingerprint;
  }
}

function preview(text: string): string {
  const first = text.split('\n')[0];
  return first.length > 40 ? `${first.slice(0, 40)}...` : first;
}
