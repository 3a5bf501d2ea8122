import { HelmChart } from './helm-chart';
import { PodSecurityLevel } from '../tenancy/pod-security';

/**
 * The one table of upstream charts the platform installs, each pinned to an exact chart version
 * that exists upstream.
 *
 * Changing a version here is how the platform upgrades a component. An install can pin only a
 * version the entry lists in `knownVersions` (each rendered and checked by the chart render test);
 * another chart version needs its own `HelmChart`.
 *
 * Every entry's `provenance` says how the version was confirmed. "source at tag" means the chart's
 * source directory at the upstream release tag (commit recorded) is the one in
 * `../shared/charts` whose `Chart.yaml` carries this version; the render test
 * (`test/install/chart-render.test.ts`) renders it with a real Helm and the library's values.
 * Where a chart lags its application, `appVersion` records the application the chart carries.
 */
export class UpstreamCharts {
  /**
   * OPA Gatekeeper chart 3.23.0 (application v3.23.0).
   *
   * Pod Security `restricted`: the controller, audit and hook pods run as non-root with all
   * capabilities dropped, a read-only root filesystem and the runtime-default seccomp profile
   * (checked on the rendered chart).
   */
  public static readonly GATEKEEPER = HelmChart.fromHelmRepository({
    component: 'gatekeeper',
    repositoryUrl: 'https://open-policy-agent.github.io/gatekeeper/charts',
    chart: 'gatekeeper',
    version: '3.23.0',
    appVersion: 'v3.23.0',
    provenance: 'source at tag v3.23.0 of open-policy-agent/gatekeeper (commit cdf332c3f2762c616d4b6f433712a8d7ed62b3d8, charts/gatekeeper), Chart.yaml version 3.23.0; the CRDs it installs match ../shared/crds/gatekeeper (kinds and served versions)',
    defaultNamespace: 'gatekeeper-system',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Harbor, goharbor/harbor-helm chart 1.19.1 (Harbor v2.15.1). The registry's projects are
   * then managed through Crossplane provider-harbor.
   *
   * Pod Security `restricted`: with the values `HarborInstall` writes (ingress, external
   * PostgreSQL) every Harbor pod runs as non-root with capabilities dropped and the
   * runtime-default seccomp profile (checked on the rendered chart).
   */
  public static readonly HARBOR = HelmChart.fromHelmRepository({
    component: 'harbor',
    repositoryUrl: 'https://helm.goharbor.io',
    chart: 'harbor',
    version: '1.19.1',
    appVersion: '2.15.1',
    provenance: 'source at tag v1.19.1 of goharbor/harbor-helm (commit ae011519ef17a47478a3639d7680902c6adcb0a5), Chart.yaml version 1.19.1, appVersion 2.15.1',
    defaultNamespace: 'harbor',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Falco operator, falcosecurity/charts `falco-operator` chart 0.3.1, which carries
   * falco-operator 0.4.1 (chart and application are versioned apart; there is no chart 0.4.1).
   *
   * Pod Security `privileged`: the Falco instances the operator runs in this namespace are
   * DaemonSets that load kernel probes (modern eBPF), use the host PID namespace and mount host
   * paths; no lower level admits them.
   */
  public static readonly FALCO_OPERATOR = HelmChart.fromHelmRepository({
    component: 'falco',
    repositoryUrl: 'https://falcosecurity.github.io/charts',
    chart: 'falco-operator',
    version: '0.3.1',
    appVersion: '0.4.1',
    provenance: 'source at tag falco-operator-0.3.1 of falcosecurity/charts (commit 1c1d87b1172589a9aaec6887e98e1a117bc4b6ae), Chart.yaml version 0.3.1, appVersion 0.4.1 (the newest chart release); the CRDs it installs match ../shared/crds/falco (falco-operator v0.4.1: kinds and served versions)',
    defaultNamespace: 'falco',
    podSecurity: PodSecurityLevel.PRIVILEGED,
    podSecurityReason: 'the Falco DaemonSets the operator runs here load kernel probes (modern eBPF), share the host PID namespace and mount host paths',
  });

  /**
   * Cilium Tetragon chart 1.7.0 (application 1.7.0).
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
    appVersion: '1.7.0',
    provenance: 'source at tag v1.7.0 of cilium/tetragon (commit 1de2ed8ebea18e56257dc59597aa13bf8f0e471e, install/kubernetes/tetragon), Chart.yaml version 1.7.0; CRDs: ../shared/crds/tetragon at the same commit (the Tetragon operator installs them)',
    defaultNamespace: 'tetragon',
    podSecurity: PodSecurityLevel.PRIVILEGED,
    podSecurityReason: 'the agent DaemonSet loads eBPF programs, runs a privileged container in the host PID namespace and mounts host paths',
  });

  /**
   * HashiCorp Vault Secrets Operator chart 1.4.1 (application 1.4.1, licence BUSL-1.1).
   *
   * Pod Security `restricted`: upstream's defaults do not meet it (no seccomp profile,
   * capabilities kept); `VaultSecretsOperatorInstall` sets the security contexts that do.
   * The optional CSI driver (`csi.enabled`) is a privileged DaemonSet and needs `privileged`.
   */
  public static readonly VAULT_SECRETS_OPERATOR = HelmChart.fromHelmRepository({
    component: 'vault-secrets-operator',
    repositoryUrl: 'https://helm.releases.hashicorp.com',
    chart: 'vault-secrets-operator',
    version: '1.4.1',
    appVersion: '1.4.1',
    provenance: 'source at tag v1.4.1 of hashicorp/vault-secrets-operator (commit 9b840a5a0c3455278d580418d6336f2011cf8574, chart), Chart.yaml version 1.4.1; the CRDs it installs match ../shared/crds/vault-secrets-operator (kinds and served versions)',
    defaultNamespace: 'vault-secrets-operator',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * External Secrets Operator chart 2.9.0 (application v2.9.0, Apache-2.0).
   *
   * Pod Security `restricted`: controller, webhook and cert-controller run as non-root with all
   * capabilities dropped and the runtime-default seccomp profile (checked on the rendered chart).
   */
  public static readonly EXTERNAL_SECRETS = HelmChart.fromHelmRepository({
    component: 'external-secrets',
    repositoryUrl: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    appVersion: 'v2.9.0',
    provenance: 'source at tag helm-chart-2.9.0 of external-secrets/external-secrets (commit cc5bfbc2234ace9cb0caff4ea89c435cf517b27b, deploy/charts/external-secrets), Chart.yaml version 2.9.0; CRDs: ../shared/crds/external-secrets at the same tag (the chart source carries none; they are added when the chart is packaged)',
    defaultNamespace: 'external-secrets',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Sigstore policy-controller, sigstore/helm-charts `policy-controller` chart 0.10.6, which
   * carries policy-controller v0.13.1: the newest chart release (chart and application are
   * versioned apart; no chart carries a later application). Served from OCI so Flux verifies
   * the chart's signature (`SignaturePolicyInstall`).
   *
   * The library's ClusterImagePolicy classes were generated from later CRDs; the render test
   * checks that every kind and served version the library emits exists in the CRDs this chart
   * installs.
   *
   * Pod Security `restricted`: upstream's defaults do not meet it (no seccomp profile, the
   * leases-cleanup hook keeps its capabilities); `SignaturePolicyInstall` sets the security
   * contexts that do.
   */
  public static readonly POLICY_CONTROLLER = HelmChart.fromOci({
    component: 'policy-controller',
    url: 'oci://ghcr.io/sigstore/helm-charts/policy-controller',
    version: '0.10.6',
    appVersion: '0.13.1',
    provenance: 'source at tag policy-controller-0.10.6 of sigstore/helm-charts (commit 3d19e1db5ccf40d096ca0cc1b761f261116d674a, charts/policy-controller), Chart.yaml version 0.10.6, appVersion 0.13.1 (the newest chart release; there is no chart 0.12.1); its CRDs serve the kinds and versions of ../shared/crds/policy-controller (v0.15.1)',
    defaultNamespace: 'cosign-system',
    podSecurity: PodSecurityLevel.RESTRICTED,
  });

  /**
   * Crossplane chart 2.3.4 (application v2.3.4).
   *
   * Pod Security `baseline`: besides Crossplane itself this namespace runs the provider
   * packages (provider-harbor) whose pods Crossplane creates at run time from the package's
   * own Deployment template; the chart does not set their security contexts, so `restricted`
   * could reject them. Crossplane's own pods are rendered to pass `restricted`.
   */
  public static readonly CROSSPLANE = HelmChart.fromHelmRepository({
    component: 'crossplane',
    repositoryUrl: 'https://charts.crossplane.io/stable',
    chart: 'crossplane',
    version: '2.3.4',
    appVersion: '2.3.4',
    provenance: 'source at tag v2.3.4 of crossplane/crossplane (commit c2670a735103660d7f436585447f2071bc1de973, cluster/charts/crossplane); the repository\'s Chart.yaml carries the placeholder 0.0.1 that the release stamps with the tag; CRDs: ../shared/crds/crossplane at the same commit (Crossplane installs its own CRDs at start)',
    defaultNamespace: 'crossplane-system',
    podSecurity: PodSecurityLevel.BASELINE,
    podSecurityReason: 'provider packages (provider-harbor) run pods that Crossplane creates at run time from the package\'s Deployment template, whose security contexts the chart does not set',
  });

  /**
   * prometheus-community `prometheus-operator-crds` chart 31.0.0 (prometheus-operator v0.93.0,
   * the CRDs in ../shared).
   *
   * Chosen over kube-prometheus-stack: the library only emits PrometheusRule, ServiceMonitor and
   * PodMonitor objects and must not impose a whole monitoring stack on a bank that already runs
   * one; the CRDs-only chart makes those objects applicable and leaves the stack to the
   * platform team.
   *
   * Pod Security `restricted`: the chart creates no pods.
   */
  public static readonly PROMETHEUS_OPERATOR_CRDS = HelmChart.fromHelmRepository({
    component: 'prometheus-operator',
    repositoryUrl: 'https://prometheus-community.github.io/helm-charts',
    chart: 'prometheus-operator-crds',
    version: '31.0.0',
    appVersion: 'v0.93.0',
    provenance: 'release notes of prometheus-community/helm-charts (the release that moved to prometheus-operator v0.93.0); the chart source is not in ../shared/charts, so it is not rendered by the test (it creates no pods and takes no values from the library)',
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
