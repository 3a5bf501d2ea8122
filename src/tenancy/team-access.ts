/**
 * What the owning team may do in its tenant namespace through the Kubernetes API.
 *
 * Changes to a tenant are meant to arrive through GitOps; direct access is for observing and,
 * in less sensitive tiers, operating and debugging. None of the levels grants reading Secrets:
 * secrets come from Vault, and a team that can read a Secret object can exfiltrate it.
 */
export enum TeamAccess {
  /** Read workload, networking and configuration objects. No Secrets, no logs, no exec, no port-forward. */
  READ_ONLY = 'read-only',
  /** READ_ONLY plus pod logs, deleting pods (restart) and scaling. No Secrets, no exec. */
  OPERATE = 'operate',
  /**
   * OPERATE plus creating and changing workloads, exec, attach and port-forward.
   * Security: exec and port-forward reach into running pods; meant for development tiers.
   */
  DEVELOP = 'develop',
}
