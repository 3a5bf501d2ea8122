/**
 * What Gatekeeper does with a violation of a constraint (`spec.enforcementAction`).
 */
export enum PolicyEnforcement {
  /** Reject the request at admission; at synth, fail `app.synth()`. */
  DENY = 'deny',
  /** Admit the request with a warning to the client; at synth, list the violation in the report. */
  WARN = 'warn',
  /** Admit silently and record the violation in the audit results; at synth, list it in the report. */
  DRYRUN = 'dryrun',
}
