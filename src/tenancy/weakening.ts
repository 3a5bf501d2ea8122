import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';

/**
 * The kinds of weakening of a tier's default that need an acknowledgement.
 */
export enum WeakeningKind {
  /** A Pod Security admission level (enforce, audit or warn) below the tier's. */
  POD_SECURITY_BELOW_TIER = 'pod-security-below-tier',
  /** Egress from a SENSITIVE tenant to a CIDR wider than its limit (always for 0.0.0.0/0 and ::/0). */
  WIDE_EGRESS = 'wide-egress',
  /** Traffic to or from every namespace of the cluster, or ingress from every address. */
  ALL_NAMESPACES = 'all-namespaces',
  /** A policy's enforcement lowered from deny to warn or dryrun in the SENSITIVE tier. */
  ENFORCEMENT_BELOW_DENY = 'enforcement-below-deny',
  /** A policy exemption that covers a tenant's namespace. */
  TENANT_EXEMPTION = 'tenant-exemption',
}

/**
 * An explicit acknowledgement that a prop weakens a tier's secure default, with the reason an
 * auditor will read. Props that weaken a default are refused at synth without one; with one,
 * the weakening is written as an annotation (`Weakening.ANNOTATION`) on the object that carries
 * it and listed in the policy report (`acknowledgedWeakenings`).
 *
 * ```ts
 * payments.allowTo(NetworkPeer.cidr('0.0.0.0/0'), [NetworkPort.tcp(443)], {
 *   weakening: Weakening.acknowledge('RISK-231: card network endpoints rotate; egress proxy planned Q3'),
 * });
 * ```
 */
export class Weakening {
  /** Annotation listing the acknowledged weakenings an object carries (JSON). */
  public static readonly ANNOTATION = 'devsecops.cdk8s.io/acknowledged-weakenings';

  /** Shortest reason accepted. */
  public static readonly MIN_REASON_LENGTH = 10;

  /**
   * Acknowledges a weakening. The reason (a risk ticket, a compensating control) is checked
   * where the acknowledgement is used: at least `MIN_REASON_LENGTH` characters.
   */
  public static acknowledge(reason: string): Weakening {
    return new Weakening(reason);
  }

  /**
   * True when `x` is a `Weakening`.
   */
  public static isWeakening(x: unknown): x is Weakening {
    return x instanceof Weakening;
  }

  /** Why the weakening is accepted. */
  public readonly reason: string;

  private constructor(reason: string) {
    this.reason = typeof reason === 'string' ? reason.trim() : reason;
  }

  /**
   * Checks the acknowledgement where it is used, so the error carries that construct's path.
   * @internal
   */
  public _check(scope: IConstruct | string, prop: string): void {
    if (!(this instanceof Weakening) || typeof this.reason !== 'string' || this.reason.length < Weakening.MIN_REASON_LENGTH) {
      invalid(scope, `${prop}.reason`, `must say why the weakening is accepted (at least ${Weakening.MIN_REASON_LENGTH} characters)`, this?.reason,
        'write the reason an auditor will read, e.g. Weakening.acknowledge("RISK-231: vendor agent needs it until Q3")');
    }
  }
}
