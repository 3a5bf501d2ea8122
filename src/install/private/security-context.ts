/**
 * The fields Pod Security `restricted` requires, written once for every component install whose
 * chart defaults miss them. Each chart takes them under its own keys; callers compose these with
 * the user, group and read-only root filesystem their image supports.
 */

/** The `nonroot` user and group of the distroless images several components ship in. */
export const NONROOT_UID = 65532;

/** What `restricted` requires of a pod (or of each container, where a chart has no pod context). */
export function restrictedPod(): { runAsNonRoot: boolean; seccompProfile: { type: string } } {
  return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
}

/** What `restricted` requires of every container. */
export function restrictedContainer(): { allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } } {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
}
