/** Falco rule, macro and list definitions of the platform, in the form Falco loads them. */

/** Priority of a Falco rule (Falco's severity levels, most severe first). */
export enum FalcoPriority {
  /** System is unusable. */
  EMERGENCY = 'EMERGENCY',
  /** Action must be taken immediately. */
  ALERT = 'ALERT',
  /** Critical conditions. */
  CRITICAL = 'CRITICAL',
  /** Error conditions. */
  ERROR = 'ERROR',
  /** Warning conditions. */
  WARNING = 'WARNING',
  /** Normal but significant condition. */
  NOTICE = 'NOTICE',
  /** Informational messages (Falco also reads `INFO`). */
  INFORMATIONAL = 'INFORMATIONAL',
  /** Debug-level messages. */
  DEBUG = 'DEBUG',
}

/** A Falco rule (syscall source). */
export interface FalcoRule {
  /** Rule name, unique among the loaded rules. */
  readonly name: string;
  /** What the rule detects and why it matters. */
  readonly description: string;
  /**
   * Condition in Falco's filter syntax. Every field must be a Falco field and every macro must be
   * defined upstream (pinned ruleset) or by the platform; checked at synth.
   */
  readonly condition: string;
  /** Output line; `%field` placeholders must be Falco fields. */
  readonly output: string;
  /** Priority. */
  readonly priority: FalcoPriority;
  /**
   * Tags (MITRE technique, area).
   * @default - none
   */
  readonly tags?: string[];
}

/** A Falco macro: a named condition fragment. */
export interface FalcoMacro {
  /** Macro name (letters, digits and `_`). */
  readonly name: string;
  /** The condition it stands for. */
  readonly condition: string;
}

/** A Falco list: named values for `in (...)`. */
export interface FalcoList {
  /** List name (letters, digits and `_`). */
  readonly name: string;
  /** Items (at least one). */
  readonly items: string[];
}
