import { Construct } from 'constructs';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { NONROOT_UID, restrictedContainer, restrictedPod } from '../install/private/security-context';
import { UpstreamCharts } from '../install/upstream-charts';
import { requireCount } from '../private/validate';

/** Props of `VaultSecretsOperatorInstall`. */
export interface VaultSecretsOperatorInstallProps {
  /**
   * Controller manager replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Exact chart version for this install only (one of the chart's known versions).
   * @default - `UpstreamCharts.VAULT_SECRETS_OPERATOR`'s version
   */
  readonly version?: string;
}

/**
 * HashiCorp Vault Secrets Operator installed through Flux (`FluxHelmInstall` of
 * `UpstreamCharts.VAULT_SECRETS_OPERATOR`, construct id `Resource`), with security contexts that
 * let its pods (controller manager with kube-rbac-proxy, and the CRD-upgrade and cleanup hooks)
 * run under the namespace's Pod Security `restricted`: upstream's defaults set no seccomp
 * profile and keep the containers' capabilities. The chart's helm-test pod is not rendered.
 */
export class VaultSecretsOperatorInstall extends Construct {
  /** The Flux install (escape hatch: `install.addValues(...)`). */
  public readonly install: FluxHelmInstall;

  constructor(scope: Construct, id: string, props: VaultSecretsOperatorInstallProps = {}) {
    super(scope, id);
    const replicas = requireCount(this, 'replicas', props.replicas ?? 2, 1, 'run 2 replicas for a highly available operator');
    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.VAULT_SECRETS_OPERATOR,
      version: props.version,
      values: {
        controller: {
          replicas,
          podSecurityContext: { ...restrictedPod(), runAsUser: NONROOT_UID },
          securityContext: { ...restrictedContainer(), readOnlyRootFilesystem: true },
        },
        tests: { enabled: false },
      },
    });
  }
}
