import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { FluxHelmInstall, HelmChart, HelmChartSourceKind, UpstreamCharts } from '../../src/install';
import { PodSecurityLevel } from '../../src/tenancy/pod-security';
import { HAS_SHARED, kubeValidate } from '../util';


describe('UpstreamCharts', () => {
  const all = UpstreamCharts.all();

  test('covers the components later layers install, each once', () => {
    expect(all.map((c) => c.component)).toEqual([
      'gatekeeper', 'harbor', 'falco', 'tetragon', 'vault-secrets-operator', 'external-secrets',
      'policy-controller', 'crossplane', 'prometheus-operator',
    ]);
    expect(new Set(all.map((c) => c.defaultNamespace)).size).toBe(all.length);
  });

  test('every version is exact, every URL is https or oci', () => {
    for (const c of all) {
      expect(HelmChart.isExactVersion(c.version)).toBe(true);
      expect(c.url).toMatch(c.sourceKind === HelmChartSourceKind.OCI_REPOSITORY ? /^oci:\/\// : /^https:\/\//);
      expect(c.allowInsecureHttp).toBe(false);
    }
  });

  test('pins the versions matching the CRDs in ../shared', () => {
    expect(UpstreamCharts.GATEKEEPER.version).toBe('3.23.0');
    expect(UpstreamCharts.TETRAGON.version).toBe('1.7.0');
    expect(UpstreamCharts.VAULT_SECRETS_OPERATOR.version).toBe('1.4.1');
    expect(UpstreamCharts.EXTERNAL_SECRETS.version).toBe('2.9.0');
    expect(UpstreamCharts.CROSSPLANE.version).toBe('2.3.4');
    expect(UpstreamCharts.FALCO_OPERATOR.version).toBe('0.3.1'); // carries falco-operator 0.4.1
    expect(UpstreamCharts.FALCO_OPERATOR.appVersion).toBe('0.4.1');
    expect(UpstreamCharts.POLICY_CONTROLLER.version).toBe('0.10.6'); // the newest chart, policy-controller v0.13.1
    expect(UpstreamCharts.PROMETHEUS_OPERATOR_CRDS.version).toBe('31.0.0');
  });

  test('only the kernel-level runtime agents get a privileged namespace', () => {
    const privileged = all.filter((c) => c.podSecurity === PodSecurityLevel.PRIVILEGED).map((c) => c.component);
    expect(privileged).toEqual(['falco', 'tetragon']);
    expect(UpstreamCharts.GATEKEEPER.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
  });

  (HAS_SHARED ? test : test.skip)('every chart of the table synthesizes to manifests the strict validator accepts (schemas and Pod Security)', () => {
    const chart = Testing.chart();
    const installs = all.map((c) => new FluxHelmInstall(chart, c.component, { chart: c, values: { global: { example: true } } }));
    installs[1].addDependency(installs[0]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-helm-install-'));
    try {
      const docs = Testing.synth(chart);
      fs.writeFileSync(path.join(dir, 'installs.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n');
      expect(kubeValidate(dir)).toMatch(/kube-validate: 27 objects, 4 kinds, 0 errors/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HelmChart', () => {
  test('custom chart defaults: namespace is the component, Pod Security restricted, http refused', () => {
    const c = HelmChart.fromHelmRepository({ component: 'demo', repositoryUrl: 'https://charts.example.com/', chart: 'demo', version: 'v1.0.0' });
    expect(c.defaultNamespace).toBe('demo');
    expect(c.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
    expect(c.allowInsecureHttp).toBe(false);
    expect(c.url).toBe('https://charts.example.com');
    expect(c.sourceKind).toBe(HelmChartSourceKind.HELM_REPOSITORY);
  });

  test('an OCI chart takes its name from the last path segment', () => {
    const c = HelmChart.fromOci({ component: 'pc', url: 'oci://registry.bank.example:5000/mirror/policy-controller', version: '0.12.1' });
    expect(c.chartName).toBe('policy-controller');
    expect(c.sourceKind).toBe(HelmChartSourceKind.OCI_REPOSITORY);
  });

  test('a plain http mirror is accepted only when explicitly allowed', () => {
    const c = HelmChart.fromHelmRepository({ component: 'demo', repositoryUrl: 'http://mirror.local/charts', chart: 'demo', version: '1.0.0', allowInsecureHttp: true });
    expect(c.allowInsecureHttp).toBe(true);
    const chart = Testing.chart();
    new FluxHelmInstall(chart, 'D', { chart: c });
    expect(Testing.synth(chart).find((d) => d.kind === 'HelmRepository').spec.url).toBe('http://mirror.local/charts');
  });

  describe('fails if', () => {
    const repo = (over: any) => () => HelmChart.fromHelmRepository({ component: 'demo', repositoryUrl: 'https://charts.example.com', chart: 'demo', version: '1.0.0', ...over });
    test('the repository URL is plain http', () => {
      expect(repo({ repositoryUrl: 'http://charts.example.com' })).toThrow(
        /^\[HelmChart.fromHelmRepository\] 'repositoryUrl' uses plain http, which lets anyone on the path replace the chart, got "http:\/\/charts.example.com"; use the https:\/\/ URL/);
    });
    test('the repository URL is an OCI reference or not a URL', () => {
      expect(repo({ repositoryUrl: 'oci://ghcr.io/x/y' })).toThrow(/'repositoryUrl' is an OCI reference.*use HelmChart.fromOci/);
      expect(repo({ repositoryUrl: 'charts.example.com' })).toThrow(/'repositoryUrl' must be an https:\/\/ URL/);
    });
    test('the Pod Security level is below restricted without a reason', () => {
      expect(repo({ podSecurity: PodSecurityLevel.BASELINE })).toThrow(/\[HelmChart.fromHelmRepository\] 'podSecurityReason' must say why the component's pods need Pod Security "baseline" instead of "restricted", got undefined/);
      expect(repo({ podSecurity: PodSecurityLevel.PRIVILEGED, podSecurityReason: 'short' })).toThrow(/'podSecurityReason' must say why/);
      expect(repo({ podSecurity: PodSecurityLevel.BASELINE, podSecurityReason: 'the agent mounts host paths' })).not.toThrow();
    });
    test('a known version is not exact', () => {
      expect(repo({ knownVersions: ['1.x'] })).toThrow(/'knownVersions' must hold exact chart versions only, got "1\.x"/);
    });
    test('every table entry below restricted records why', () => {
      for (const c of UpstreamCharts.all().filter((x) => x.podSecurity !== PodSecurityLevel.RESTRICTED)) expect(c.podSecurityReason).toMatch(/.{20,}/);
    });
    test.each(['^1.2', '~1', '>=1.0.0', 'latest', '1.x', '*', ''])('the version is a range or a tag (%p)', (version) => {
      expect(repo({ version })).toThrow(/\[HelmChart.fromHelmRepository\] 'version' must be one exact chart version/);
    });
    test('component, chart or namespace are not names', () => {
      expect(repo({ component: 'Demo' })).toThrow(/'component' must be a DNS label/);
      expect(repo({ chart: 'De mo' })).toThrow(/'chart' must be a chart name/);
      expect(repo({ defaultNamespace: 'a.b' })).toThrow(/'defaultNamespace' must be a DNS label/);
    });
    test('an OCI URL does not start with oci:// or carries a tag', () => {
      const oci = (url: string) => () => HelmChart.fromOci({ component: 'demo', url, version: '1.0.0' });
      expect(oci('https://ghcr.io/x/demo')).toThrow(/^\[HelmChart.fromOci\] 'url' must be an OCI reference starting with oci:\/\//);
      expect(oci('oci://ghcr.io')).toThrow(/'url' must be an OCI reference/);
      expect(oci('oci://ghcr.io/x/demo:1.0.0')).toThrow(/'url' must not carry a tag or digest/);
    });
  });
});
