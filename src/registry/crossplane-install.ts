import { Construct } from 'constructs';
import { CaBundleConfigMap } from '../install/ca-bundle';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { requireCaBundle } from '../install/private/ca-bundle';
import { NONROOT_UID, restrictedContainer, restrictedPod } from '../install/private/security-context';
import { UpstreamCharts } from '../install/upstream-charts';
import { requireCount } from '../private/validate';

/** Props of `CrossplaneInstall`. */
export interface CrossplaneInstallProps {
  /**
   * Crossplane core replicas (leader election keeps one active).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * RBAC manager replicas.
   * @default 2
   */
  readonly rbacManagerReplicas?: number;
  /**
   * CA bundle Crossplane trusts when it pulls provider packages (a package registry served with
   * a certificate from the bank's own CA).
   * @default - the image's system trust store
   */
  readonly registryCaBundle?: CaBundleConfigMap;
  /**
   * Exact chart version for this install only (one of the chart's known versions).
   * @default - `UpstreamCharts.CROSSPLANE`'s version
   */
  readonly version?: string;
}

/**
 * Crossplane installed through Flux (`FluxHelmInstall` of `UpstreamCharts.CROSSPLANE`,
 * construct id `Resource`) with typed values: replicas, the package registry's CA bundle, and
 * security contexts under which Crossplane's own pods pass Pod Security `restricted` (upstream
 * sets neither a seccomp profile nor dropped capabilities). The namespace itself stays at
 * `baseline` for the provider pods Crossplane creates (see `UpstreamCharts.CROSSPLANE`).
 */
export class CrossplaneInstall extends Construct {
  /** The Flux install (escape hatch: `install.addValues(...)`). */
  public readonly install: FluxHelmInstall;

  constructor(scope: Construct, id: string, props: CrossplaneInstallProps = {}) {
    super(scope, id);
    const replicas = requireCount(this, 'replicas', props.replicas ?? 2, 1, 'run 2 replicas for a highly available control plane');
    const rbacReplicas = requireCount(this, 'rbacManagerReplicas', props.rbacManagerReplicas ?? 2, 1, 'run 2 replicas for a highly available control plane');
    const ca = props.registryCaBundle === undefined ? undefined : requireCaBundle(this, 'registryCaBundle', props.registryCaBundle);
    const container = { ...restrictedPod(), ...restrictedContainer(), runAsUser: NONROOT_UID, runAsGroup: NONROOT_UID, readOnlyRootFilesystem: true };
    const pod = restrictedPod();
    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.CROSSPLANE,
      version: props.version,
      values: {
        replicas,
        rbacManager: { replicas: rbacReplicas },
        securityContextCrossplane: container,
        securityContextRBACManager: container,
        podSecurityContextCrossplane: pod,
        podSecurityContextRBACManager: pod,
        ...(ca ? { registryCaBundleConfig: ca } : {}),
      },
    });
  }

}
