import { Construct } from 'constructs';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid } from '../private/errors';
import { requireCidr, requireCount, requirePort } from '../private/validate';

/** Props of `ExternalSecretsInstall`. */
export interface ExternalSecretsInstallProps {
  /**
   * Controller replicas (leader election is on whenever there are several).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Replicas of the admission webhook (it fails closed for ExternalSecret and SecretStore writes).
   * @default 2
   */
  readonly webhookReplicas?: number;
  /**
   * Security: let the controller reconcile the cluster-wide and push kinds too
   * (ClusterSecretStore, ClusterExternalSecret, PushSecret, ClusterPushSecret,
   * ClusterGenerator). The platform uses only namespaced SecretStores and ExternalSecrets; a
   * ClusterSecretStore lets any namespace read what it can reach, and a PushSecret copies
   * cluster Secrets out to an external store.
   * @default false - only SecretStore and ExternalSecret are reconciled
   */
  readonly reconcileAllKinds?: boolean;
  /**
   * CIDRs of the Kubernetes API servers. When given, NetworkPolicies limit the controller,
   * webhook and cert-controller egress to DNS and these CIDRs (443/TCP and 6443/TCP): the
   * platform's stores are Kubernetes stores, so that is all ESO needs to reach.
   * @default - no NetworkPolicy
   */
  readonly apiServerCidrs?: string[];
  /**
   * Exact chart version for this install only (one of the chart's known versions).
   * @default - `UpstreamCharts.EXTERNAL_SECRETS`'s version
   */
  readonly version?: string;
}

/**
 * External Secrets Operator installed through Flux (`FluxHelmInstall` of
 * `UpstreamCharts.EXTERNAL_SECRETS`, construct id `Resource`) with typed values: only the kinds
 * the platform uses are reconciled (namespaced SecretStore and ExternalSecret), two controller
 * and webhook replicas, and NetworkPolicies when the API server CIDRs are known. The chart's own
 * security contexts already pass the namespace's Pod Security `restricted`.
 */
export class ExternalSecretsInstall extends Construct {
  /** The Flux install (escape hatch: `install.addValues(...)`). */
  public readonly install: FluxHelmInstall;
  /** Whether NetworkPolicies restrict the operator's pods (`apiServerCidrs` given). */
  public readonly restrictsEgress: boolean;

  private readonly controllerEgress: Array<{ cidrs: string[]; port: number }> = [];

  constructor(scope: Construct, id: string, props: ExternalSecretsInstallProps = {}) {
    super(scope, id);
    const replicas = requireCount(this, 'replicas', props.replicas ?? 2, 1, 'run 2 replicas for a highly available operator');
    const webhookReplicas = requireCount(this, 'webhookReplicas', props.webhookReplicas ?? 2, 1, 'run 2 replicas for a highly available operator');
    const cidrs = (props.apiServerCidrs ?? []).map((c, i) => requireCidr(this, `apiServerCidrs[${i}]`, c));
    const all = props.reconcileAllKinds ?? false;
    const policy = (ingressPorts: number[]) => cidrs.length === 0 ? undefined : {
      enabled: true,
      ingress: [{ ports: ingressPorts.map((port) => ({ protocol: 'TCP', port })) }],
      egress: [
        { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
        { to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] },
      ],
    };
    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.EXTERNAL_SECRETS,
      version: props.version,
      values: {
        replicaCount: replicas,
        leaderElect: replicas > 1,
        processSecretStore: true,
        processClusterStore: all,
        processClusterExternalSecret: all,
        processPushSecret: all,
        processClusterPushSecret: all,
        processClusterGenerator: all,
        networkPolicy: policy([8080, 8082]),
        webhook: { replicaCount: webhookReplicas, networkPolicy: policy([8080, 8081, 10250]) },
        certController: cidrs.length === 0 ? undefined : { networkPolicy: policy([8080, 8081]) },
      },
    });
    this.restrictsEgress = cidrs.length > 0;
    if (this.restrictsEgress) {
      this.install._addValuesProducer(() => {
        const base = policy([8080, 8082])!;
        const extra = this.controllerEgress.map((e) => ({ to: e.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: e.port }] }));
        return { networkPolicy: { ...base, egress: [...base.egress, ...extra] } };
      });
    }
  }

  /**
   * Lets the controller (the only ESO pod that reads the stores) also reach `cidrs` on `port`,
   * such as Vault for Vault-backed stores. Without `apiServerCidrs` nothing restricts its egress
   * and this adds nothing.
   */
  public allowControllerEgress(cidrs: string[], port: number): void {
    const checked = (cidrs ?? []).map((c, i) => requireCidr(this, `allowControllerEgress.cidrs[${i}]`, c));
    if (checked.length === 0) invalid(this, 'allowControllerEgress.cidrs', 'must list at least one CIDR', cidrs, 'e.g. ["10.50.0.10/32"]');
    requirePort(this, 'allowControllerEgress.port', port);
    this.controllerEgress.push({ cidrs: checked, port });
  }

}
