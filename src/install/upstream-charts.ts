import { HelmChart } from './helm-chart';
import { PodSecurityLevel } from '../tenancy/pod-security';

/**
 * The one table of upstream charts the platform installs, each pinned to an exact version.
 *
 * Changing a version here is how the platform upgrades a component; a single install can still
 * pin another version with `FluxHelmInstallProps.version`.
 *
 * Provenance of each version is stated per entry: "confirmed" means the version was seen
 * published by the upstream project (its chart index or release notes); "by convention" means
 * the upstream chart version has always equalled the application version and the application
 * release the CRDs in `../shared/crds` came from exists, but the chart release itself was not
 * seen; "unconfirmed" means the version is a best estimate that must be checked
 * (`helm search repo <repo>/<chart> --versions` or `crane ls <oci ref>`) before relying on it.
 */
export class UpstreamCharts {
  /**
   * OPA Gatekeeper 3.23.0 (chart version equals app version; confirmed in the chart index of
   * https://open-policy-agent.github.io/gatekeeper/charts). Matches the CRDs in ../shared (v3.23.0).
   *
   * Pod Security `restricted`: the controller and audit pods run as non-root with all
   * capabilities dropped, a read-only root filesystem and the runtime-default seccomp profile.
   */
  public static readonly GATEKEEPER = HelmChart.fromHelmRepository({
    component: 'gatekeeper',
    repositoryUrl: 'https://open-policy-agent.github.io/gatekeeper/charts',
    chart: 'gatekeeper',
    version: '3.23.0',
    defaultNamespace: 'gatekeeper-system',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Harbor, goharbor/harbor-helm chart 1.19.1 (Harbor v2.15.1; confirmed in the harbor-helm
   * release notes). The registry's projects are then managed through Crossplane provider-harbor.
   *
   * Pod Security `baseline`: several upstream components (the bundled database's
   * permission-fixing init container, nginx, redis) run as root or without a seccomp profile,
   * which `restricted` rejects; none of them needs host access, so `baseline` holds.
   */
  public static readonly HARBOR = HelmChart.fromHelmRepository({
    component: 'harbor',
    repositoryUrl: 'https://helm.goharbor.io',
    chart: 'harbor',
    version: '1.19.1',
    defaultNamespace: 'harbor',
    podSecurity: PodSecurityLevel.BASELINE,
  });

  /**
   * Falco operator, falcosecurity/charts `falco-operator` 0.4.1. By convention: the chart is
   * synced from falco-operator releases with the same version (0.3.1, 0.4.0-rc1 seen); the 0.4.1
   * chart release itself was not seen. Matches the CRDs in ../shared (falco-operator v0.4.1).
   *
   * Pod Security `privileged`: the Falco instances the operator runs in this namespace are
   * DaemonSets that load kernel probes (modern eBPF), use the host PID namespace and mount host
   * paths; no lower level admits them.
   */
  public static readonly FALCO_OPERATOR = HelmChart.fromHelmRepository({
    component: 'falco',
    repositoryUrl: 'https://falcosecurity.github.io/charts',
    chart: 'falco-operator',
    version: '0.4.1',
    defaultNamespace: 'falco',
    podSecurity: PodSecurityLevel.PRIVILEGED,
  });

  /**
   * Cilium Tetragon chart 1.7.0. By convention: the tetragon chart version has always equalled
   * the Tetragon release; matches the CRDs in ../shared (v1.7.0).
   *
   * Pod Security `privileged`: the agent DaemonSet loads eBPF programs into the kernel, runs a
   * privileged container in the host PID namespace and mounts host paths. It gets its own
   * namespace instead of upstream's default `kube-system`, so that namespace is not relabelled.
   */
  public static readonly TETRAGON = HelmChart.fromHelmRepository({
    component: 'tetragon',
    repositoryUrl: 'https://helm.cilium.io',
    chart: 'tetragon',
    version: '1.7.0',
    defaultNamespace: 'tetragon',
    podSecurity: PodSecurityLevel.PRIVILEGED,
  });

  /**
   * HashiCorp Vault Secrets Operator chart 1.4.1 (licence BUSL-1.1). By convention: the chart
   * version has always equalled the operator version; matches the CRDs in ../shared (v1.4.1).
   *
   * Pod Security `restricted`: the controller manager runs as non-root without capabilities.
   * The optional CSI driver (`csi.enabled`) is a privileged DaemonSet and needs this install's
   * `podSecurity` raised to `privileged`.
   */
  public static readonly VAULT_SECRETS_OPERATOR = HelmChart.fromHelmRepository({
    component: 'vault-secrets-operator',
    repositoryUrl: 'https://helm.releases.hashicorp.com',
    chart: 'vault-secrets-operator',
    version: '1.4.1',
    defaultNamespace: 'vault-secrets-operator',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * External Secrets Operator chart 2.9.0 (Apache-2.0; confirmed: chart and app v2.9.0 released
   * together). Matches the CRDs in ../shared (v2.9.0).
   *
   * Pod Security `restricted`: controller, webhook and cert-controller run as non-root with all
   * capabilities dropped and the runtime-default seccomp profile.
   */
  public static readonly EXTERNAL_SECRETS = HelmChart.fromHelmRepository({
    component: 'external-secrets',
    repositoryUrl: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    defaultNamespace: 'external-secrets',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Sigstore policy-controller, sigstore/helm-charts `policy-controller` chart for app v0.15.1.
   * Unconfirmed: the chart is versioned separately from the app (app v0.13.1 shipped as chart
   * 0.10.x); 0.12.1 is an estimate for the chart carrying app v0.15.1 and must be checked with
   * `crane ls ghcr.io/sigstore/helm-charts/policy-controller`. Served from OCI so the artifact's
   * signature can be verified (`HelmChartVerification`).
   *
   * Pod Security `restricted`: the webhook runs as non-root, read-only, without capabilities.
   */
  public static readonly POLICY_CONTROLLER = HelmChart.fromOci({
    component: 'policy-controller',
    url: 'oci://ghcr.io/sigstore/helm-charts/policy-controller',
    version: '0.12.1',
    defaultNamespace: 'cosign-system',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Crossplane chart 2.3.4. By convention: the crossplane chart version has always equalled the
   * Crossplane release (2.4.2 -> 2.4.3 seen); matches the CRDs in ../shared (v2.3.4).
   *
   * Pod Security `baseline`: besides Crossplane itself this namespace runs the provider
   * packages (provider-harbor) whose pods are created at run time from a
   * DeploymentRuntimeConfig; the chart does not guarantee they meet `restricted`.
   */
  public static readonly CROSSPLANE = HelmChart.fromHelmRepository({
    component: 'crossplane',
    repositoryUrl: 'https://charts.crossplane.io/stable',
    chart: 'crossplane',
    version: '2.3.4',
    defaultNamespace: 'crossplane-system',
    podSecurity: PodSecurityLevel.BASELINE,
  });

  /**
   * prometheus-community `prometheus-operator-crds` chart 31.0.0 (confirmed: the release that
   * moved to prometheus-operator v0.93.0, the CRDs in ../shared).
   *
   * Chosen over kube-prometheus-stack: the library only emits PrometheusRule, ServiceMonitor and
   * PodMonitor objects and must not impose a whole monitoring stack (Prometheus, Alertmanager,
   * Grafana, node-exporter with host access) on a bank that already runs one; the CRDs-only
   * chart makes those objects applicable and leaves the stack to the platform team.
   *
   * Pod Security `restricted`: the chart creates no pods.
   */
  public static readonly PROMETHEUS_OPERATOR_CRDS = HelmChart.fromHelmRepository({
    component: 'prometheus-operator',
    repositoryUrl: 'https://prometheus-community.github.io/helm-charts',
    chart: 'prometheus-operator-crds',
    version: '31.0.0',
    defaultNamespace: 'monitoring',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /** Every chart of the table, in a fixed order. */
  public static all(): HelmChart[] {
    return [
      UpstreamCharts.GATEKEEPER,
      UpstreamCharts.HARBOR,
      UpstreamCharts.FALCO_OPERATOR,
      UpstreamCharts.TETRAGON,
      UpstreamCharts.VAULT_SECRETS_OPERATOR,
      UpstreamCharts.EXTERNAL_SECRETS,
      UpstreamCharts.POLICY_CONTROLLER,
      UpstreamCharts.CROSSPLANE,
      UpstreamCharts.PROMETHEUS_OPERATOR_CRDS,
    ];
  }

  private constructor() {}
}
