import { Weakening } from './weakening';

/**
 * Pod Security Standards level, as enforced by the built-in Pod Security admission controller.
 */
export enum PodSecurityLevel {
  /** Unrestricted. Only for system components that need host access (CNI, runtime security agents). */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations; allows the default pod. */
  BASELINE = 'baseline',
  /** Current pod-hardening best practice: non-root, no capabilities, seccomp, no privilege escalation. */
  RESTRICTED = 'restricted',
}

/**
 * The Pod Security admission labels of one namespace.
 */
export interface PodSecurityConfig {
  /** Level at which violating pods are rejected. */
  readonly enforce: PodSecurityLevel;
  /**
   * Level at which violations are recorded in the API-server audit log.
   * @default - the stricter of `enforce` and `restricted`
   */
  readonly audit?: PodSecurityLevel;
  /**
   * Level at which violations are returned to the client as warnings.
   * @default - the stricter of `enforce` and `restricted`
   */
  readonly warn?: PodSecurityLevel;
  /**
   * Policy version the three levels are pinned to, so a cluster upgrade never silently changes
   * what is admitted.
   * @default PodSecurity.PINNED_VERSION
   */
  readonly version?: string;
  /**
   * The acknowledgement required when any level is below the tier's (for example `baseline`
   * enforcement in a SENSITIVE or STANDARD tenant, or audit/warn below `restricted`).
   * @default - none: a level below the tier's is refused
   */
  readonly weakening?: Weakening;
}

/**
 * Helpers for Pod Security admission labels.
 */
export class PodSecurity {
  /** The policy version every level is pinned to: Kubernetes 1.28, the API level this library targets. */
  public static readonly PINNED_VERSION = 'v1.28';

  /** Label key prefix used by Pod Security admission. */
  public static readonly LABEL_PREFIX = 'pod-security.kubernetes.io';

  /**
   * The namespace labels for a configuration: enforce, audit and warn, each with its version.
   * Audit and warn default to `restricted` so that anything short of it is visible.
   */
  public static labels(config: PodSecurityConfig): { [key: string]: string } {
    const version = config.version ?? PodSecurity.PINNED_VERSION;
    const strictest = PodSecurityLevel.RESTRICTED;
    const levels: Array<[string, PodSecurityLevel]> = [
      ['enforce', config.enforce],
      ['audit', config.audit ?? strictest],
      ['warn', config.warn ?? strictest],
    ];
    const out: { [key: string]: string } = {};
    for (const [mode, level] of levels) {
      out[`${PodSecurity.LABEL_PREFIX}/${mode}`] = level;
      out[`${PodSecurity.LABEL_PREFIX}/${mode}-version`] = version;
    }
    return out;
  }

  private constructor() {}
}
