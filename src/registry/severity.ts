import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';

/**
 * Vulnerability severity, spelled as Harbor spells it (the values of a project's
 * `deploymentSecurity`, lowest first).
 *
 * One value of this enum is the platform's threshold: Harbor refuses pulls of images with a
 * finding at or above it, and the supply-chain gates (source scan, image scan) fail on the same
 * value, so the registry and the pipeline never disagree about what is too vulnerable.
 */
export enum RegistrySeverity {
  /** No severity: the strictest threshold, any finding at all blocks the image. */
  NONE = 'none',
  /** Low. */
  LOW = 'low',
  /** Medium. */
  MEDIUM = 'medium',
  /** High. */
  HIGH = 'high',
  /** Critical: the loosest threshold, only critical findings block the image. */
  CRITICAL = 'critical',
}

const ORDER = [RegistrySeverity.NONE, RegistrySeverity.LOW, RegistrySeverity.MEDIUM, RegistrySeverity.HIGH, RegistrySeverity.CRITICAL];

/**
 * Anything that blocks images by vulnerability severity: a Harbor project's prevention
 * setting, a supply chain's scan gate. The platform checks at synth that every gate in the
 * App uses the platform's one threshold.
 */
export interface ISeverityGate extends IConstruct {
  /** The gate blocks images with a finding at or above this severity. */
  readonly severityThreshold: RegistrySeverity;
}

/**
 * Helpers for `RegistrySeverity`: parsing, ordering and the platform default.
 */
export class RegistrySeverities {
  /**
   * The platform's default threshold: images with a HIGH or CRITICAL finding are blocked.
   */
  public static readonly DEFAULT_THRESHOLD = RegistrySeverity.HIGH;

  /** Every severity, lowest first. */
  public static all(): RegistrySeverity[] {
    return [...ORDER];
  }

  /** True when `value` is one of the enum's values (`none`, `low`, `medium`, `high`, `critical`). */
  public static isSeverity(value: string): boolean {
    return (ORDER as string[]).includes(value);
  }

  /**
   * Parses a severity as Harbor, Trivy or Grype spell it (case-insensitive: `HIGH`, `high`);
   * anything else is refused with the house error naming `scope` and `prop`.
   */
  public static parse(scope: IConstruct, prop: string, value: string): RegistrySeverity {
    const lower = typeof value === 'string' ? value.toLowerCase() : value;
    if (typeof lower !== 'string' || !RegistrySeverities.isSeverity(lower)) {
      invalid(scope, prop, 'is not a severity', value, `use RegistrySeverity.${ORDER.map((s) => s.toUpperCase()).join(', RegistrySeverity.')}`);
    }
    return lower as RegistrySeverity;
  }

  /** Rank of a severity, 0 for NONE to 4 for CRITICAL. */
  public static rank(severity: RegistrySeverity): number {
    return ORDER.indexOf(severity);
  }

  /**
   * True when threshold `a` is at least as strict as `b` (blocks everything `b` blocks):
   * a lower severity is a stricter threshold.
   */
  public static isAtLeastAsStrict(a: RegistrySeverity, b: RegistrySeverity): boolean {
    return ORDER.indexOf(a) <= ORDER.indexOf(b);
  }

  /** True when `x` is a construct with a `severityThreshold` (an `ISeverityGate`). */
  public static isSeverityGate(x: unknown): boolean {
    const t = (x as any)?.severityThreshold;
    return typeof t === 'string' && RegistrySeverities.isSeverity(t);
  }

  private constructor() {}
}
