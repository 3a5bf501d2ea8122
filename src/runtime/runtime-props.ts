/** Props of the runtime layer (`DevSecOpsPlatformProps.runtime`). */
import { AuditPolicyRule } from './audit-policy';
import { FalcoOutput } from './falco-output';
import { FalcoList, FalcoMacro, FalcoRule } from './falco-rule';
import { RuntimeAgentResources, RuntimeNodePool } from './node-pool';
import { TetragonEnforcement } from './tetragon-policy';

/** Falco on the SENSITIVE and STANDARD pools. */
export interface PlatformFalcoProps {
  /**
   * Falco container CPU and memory on SENSITIVE pools (full ruleset).
   * @default - requests 100m / 512Mi, limits 1000m / 1024Mi (the falco-operator's defaults)
   */
  readonly sensitiveResources?: RuntimeAgentResources;
  /**
   * Falco container CPU and memory on STANDARD pools (reduced ruleset).
   * @default - requests 50m / 256Mi, limits 500m / 512Mi
   */
  readonly standardResources?: RuntimeAgentResources;
  /**
   * Where alerts go beside JSON on stdout.
   * @default FalcoOutput.stdoutJson()
   */
  readonly output?: FalcoOutput;
  /**
   * Falco version the operator deploys.
   * @default '0.44.1' (falco-operator 0.4.1's default, pinned here so an operator upgrade does not move it)
   */
  readonly version?: string;
  /**
   * Public networks (CIDRs) SENSITIVE pods are expected to connect to; a connection to any other
   * public address is an alert. Private (RFC 1918) addresses are never alerted on (upstream's
   * `outbound` macro excludes them).
   * @default - none: every outbound connection to a public address is an alert
   */
  readonly expectedEgressNetworks?: string[];
  /**
   * Directories secret files are mounted under in SENSITIVE pods, beside the service account
   * token's `/var/run/secrets`.
   * @default - only /var/run/secrets
   */
  readonly secretMountPaths?: string[];
  /**
   * Further rules for the SENSITIVE pools, checked at synth like the platform's.
   * @default - none
   */
  readonly additionalRules?: FalcoRule[];
  /**
   * Further macros for those rules.
   * @default - none
   */
  readonly additionalMacros?: FalcoMacro[];
  /**
   * Further lists for those rules.
   * @default - none
   */
  readonly additionalLists?: FalcoList[];
}

/** Tetragon on the SENSITIVE pool. */
export interface PlatformTetragonProps {
  /**
   * Whether to install Tetragon at all.
   * Security: without it SENSITIVE tenants have no in-kernel enforcement, and synth fails
   * while there is a SENSITIVE tenant (every SENSITIVE tenant must be covered).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Enforcement in SENSITIVE tenants' workload containers (per tenant: `setTetragonEnforcement`).
   * @default TetragonEnforcement.KILL_SHELLS
   */
  readonly enforcement?: TetragonEnforcement;
  /**
   * Tetragon agent container CPU and memory.
   * @default - requests 100m / 256Mi, limits 500m / 512Mi
   */
  readonly resources?: RuntimeAgentResources;
}

/** The API server audit policy. */
export interface PlatformAuditProps {
  /**
   * File name of the policy (JSON), written beside the reports for the control plane
   * (`kube-apiserver --audit-policy-file`).
   * @default 'kube-apiserver-audit-policy.json'
   */
  readonly fileName?: string;
  /**
   * Further rules, placed after the platform's Secret, RBAC and exec rules and before the
   * tenant-writes rule. A rule an earlier one makes unreachable fails synth.
   * @default - none
   */
  readonly additionalRules?: AuditPolicyRule[];
}

/** Tiered runtime security: node pools, Falco, Tetragon and the audit policy. */
export interface PlatformRuntimeProps {
  /** The node pools, at most one per tier. A tier without a pool runs on the other nodes, with no agent. */
  readonly nodePools: RuntimeNodePool[];
  /**
   * Nodes in no pool (running the tiers without a pool), counted in the cost of running the
   * full agents everywhere.
   * @default 0
   */
  readonly otherNodeCount?: number;
  /**
   * Falco.
   * @default - Falco on SENSITIVE and STANDARD pools with the defaults of `PlatformFalcoProps`
   */
  readonly falco?: PlatformFalcoProps;
  /**
   * Tetragon.
   * @default - Tetragon on the SENSITIVE pool, killing shells in SENSITIVE workloads
   */
  readonly tetragon?: PlatformTetragonProps;
  /**
   * The audit policy.
   * @default - the platform's rules, written as kube-apiserver-audit-policy.json
   */
  readonly audit?: PlatformAuditProps;
}
