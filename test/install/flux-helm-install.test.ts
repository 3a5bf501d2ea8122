import { Chart, JsonPatch, Testing } from 'cdk8s';
import {
  FluxHelmInstall, HelmChart, HelmChartVerification, HelmCrdPolicy, HelmDriftDetectionMode, UpstreamCharts,
} from '../../src/install';
import { PodSecurityLevel } from '../../src/tenancy/pod-security';

function find(docs: any[], kind: string, name?: string): any {
  const found = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
}

/** A chart without a known key list: arbitrary values raise no warning. */
function demo(props: Partial<ConstructorParameters<typeof FluxHelmInstall>[2]> = {}) {
  const chart = Testing.chart();
  const install = new FluxHelmInstall(chart, 'Demo', { chart: OCI_CHART, ...props });
  return { chart, install, docs: Testing.synth(chart) };
}

function gatekeeper(props: Partial<ConstructorParameters<typeof FluxHelmInstall>[2]> = {}) {
  const chart = Testing.chart();
  const install = new FluxHelmInstall(chart, 'Gatekeeper', { chart: UpstreamCharts.GATEKEEPER, ...props });
  return { chart, install, docs: Testing.synth(chart) };
}

const OCI_CHART = HelmChart.fromOci({
  component: 'demo',
  url: 'oci://ghcr.io/example/charts/demo',
  version: '1.2.3',
});

describe('FluxHelmInstall', () => {
  test('defaults', () => {
    expect(gatekeeper().docs).toMatchSnapshot();
  });

  test('emits a Namespace, a HelmRepository and a HelmRelease, all in the component namespace', () => {
    const { docs } = gatekeeper();
    expect(docs.map((d) => `${d.apiVersion}/${d.kind}`)).toEqual([
      'v1/Namespace', 'source.toolkit.fluxcd.io/v1/HelmRepository', 'helm.toolkit.fluxcd.io/v2/HelmRelease',
    ]);
    const release = find(docs, 'HelmRelease');
    const repo = find(docs, 'HelmRepository');
    expect(release.metadata.namespace).toBe('gatekeeper-system');
    expect(repo.metadata.namespace).toBe('gatekeeper-system');
    // same-namespace reference: works with Flux --no-cross-namespace-refs
    expect(release.spec.chart.spec.sourceRef).toEqual({ kind: 'HelmRepository', name: 'gatekeeper' });
    expect(repo.spec.url).toBe('https://open-policy-agent.github.io/gatekeeper/charts');
  });

  test('the namespace carries the Pod Security level of the table entry, the component and managed-by labels', () => {
    const labelsOf = (c: HelmChart) => {
      const chart = Testing.chart();
      new FluxHelmInstall(chart, 'I', { chart: c });
      return find(Testing.synth(chart), 'Namespace').metadata.labels;
    };
    const gk = labelsOf(UpstreamCharts.GATEKEEPER);
    expect(gk['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(gk['pod-security.kubernetes.io/enforce-version']).toBe('v1.28');
    expect(gk['devsecops.cdk8s.io/component']).toBe('gatekeeper');
    expect(gk['app.kubernetes.io/managed-by']).toBe('cdk8s-devsecops');
    expect(labelsOf(UpstreamCharts.FALCO_OPERATOR)['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(labelsOf(UpstreamCharts.TETRAGON)['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(labelsOf(UpstreamCharts.HARBOR)['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labelsOf(UpstreamCharts.CROSSPLANE)['pod-security.kubernetes.io/enforce']).toBe('baseline');
    // audit and warn stay restricted even for a privileged component, so gaps stay visible
    expect(labelsOf(UpstreamCharts.TETRAGON)['pod-security.kubernetes.io/warn']).toBe('restricted');
  });

  describe('every @default', () => {
    const { install, docs } = gatekeeper();
    const spec = find(docs, 'HelmRelease').spec;

    test('version defaults to the table version', () => {
      expect(install.chartVersion).toBe(UpstreamCharts.GATEKEEPER.version);
      expect(spec.chart.spec.version).toBe('3.23.0');
    });
    test('namespace defaults to the chart default namespace', () => {
      expect(install.namespace).toBe('gatekeeper-system');
      expect(find(docs, 'Namespace').metadata.name).toBe('gatekeeper-system');
    });
    test('releaseName defaults to the component', () => {
      expect(install.releaseName).toBe('gatekeeper');
      expect(spec.releaseName).toBe('gatekeeper');
    });
    test('podSecurity defaults to the chart entry', () => {
      expect(install.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
    });
    test('interval 10m, sourceInterval 1h, timeout 5m', () => {
      expect(spec.interval).toBe('10m');
      expect(spec.timeout).toBe('5m');
      expect(find(docs, 'HelmRepository').spec.interval).toBe('1h');
    });
    test('install and upgrade remediation retry 3 times; upgrade rolls back, also after the last failure', () => {
      expect(spec.install.remediation).toEqual({ retries: 3 });
      expect(spec.upgrade.remediation).toEqual({ retries: 3, remediateLastFailure: true, strategy: 'rollback' });
      expect(spec.upgrade.cleanupOnFail).toBe(true);
    });
    test('CRDs are CreateReplace on install and upgrade', () => {
      expect(spec.install.crds).toBe('CreateReplace');
      expect(spec.upgrade.crds).toBe('CreateReplace');
    });
    test('drift detection is enabled', () => {
      expect(spec.driftDetection).toEqual({ mode: 'enabled' });
    });
    test('no dependsOn, no impersonation, no values, no verification', () => {
      expect(spec.dependsOn).toBeUndefined();
      expect(spec.serviceAccountName).toBeUndefined();
      expect(spec.values).toBeUndefined();
    });
    test('the HelmRelease is the default child', () => {
      expect(install.node.defaultChild).toBe(install.release);
      expect(install.release.kind).toBe('HelmRelease');
    });
  });

  test('overrides reach the manifest', () => {
    const chart = Testing.chart();
    const gk = HelmChart.fromHelmRepository({
      component: 'gatekeeper',
      repositoryUrl: 'https://open-policy-agent.github.io/gatekeeper/charts',
      chart: 'gatekeeper',
      version: '3.23.0',
      knownVersions: ['3.22.0'],
      defaultNamespace: 'gatekeeper-system',
    });
    new FluxHelmInstall(chart, 'Gatekeeper', {
      chart: gk,
      version: '3.22.0',
      namespace: 'opa',
      releaseName: 'opa-gatekeeper',
      interval: '1h',
      sourceInterval: '24h',
      timeout: '15m',
      installRetries: 0,
      upgradeRetries: 5,
      crds: HelmCrdPolicy.CREATE,
      driftDetection: HelmDriftDetectionMode.WARN,
      serviceAccountName: 'flux-installer',
      podSecurity: PodSecurityLevel.BASELINE,
      podSecurityReason: 'test: a lower level with its recorded reason',
    });
    const docs = Testing.synth(chart);
    expect(find(docs, 'Namespace').metadata.annotations).toEqual({ 'devsecops.cdk8s.io/pod-security-reason': 'test: a lower level with its recorded reason' });
    const release = find(docs, 'HelmRelease');
    expect(release.metadata).toMatchObject({ name: 'opa-gatekeeper', namespace: 'opa' });
    expect(release.spec).toMatchObject({
      interval: '1h',
      timeout: '15m',
      serviceAccountName: 'flux-installer',
      install: { crds: 'Create', remediation: { retries: 0 } },
      upgrade: { crds: 'Create', remediation: { retries: 5 } },
      driftDetection: { mode: 'warn' },
      chart: { spec: { version: '3.22.0', sourceRef: { name: 'opa-gatekeeper' } } },
    });
    expect(find(docs, 'HelmRepository').spec.interval).toBe('24h');
    expect(find(docs, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('an OCI chart becomes an OCIRepository pinned by tag, selected as a Helm chart layer, referenced by chartRef', () => {
    const chart = Testing.chart();
    new FluxHelmInstall(chart, 'Demo', { chart: OCI_CHART });
    const docs = Testing.synth(chart);
    const repo = find(docs, 'OCIRepository');
    expect(repo.metadata).toMatchObject({ name: 'demo', namespace: 'demo' });
    expect(repo.spec).toEqual({
      url: 'oci://ghcr.io/example/charts/demo',
      interval: '1h',
      ref: { tag: '1.2.3' },
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
    const release = find(docs, 'HelmRelease');
    expect(release.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'demo' });
    expect(release.spec.chart).toBeUndefined();
  });

  test('cosign keyless verification of an OCI chart', () => {
    const chart = Testing.chart();
    new FluxHelmInstall(chart, 'PC', {
      chart: UpstreamCharts.POLICY_CONTROLLER,
      verification: HelmChartVerification.cosignKeyless('^https://token\\.actions\\.githubusercontent\\.com$', '^https://github\\.com/sigstore/helm-charts/.*$'),
    });
    expect(find(Testing.synth(chart), 'OCIRepository').spec.verify).toEqual({
      provider: 'cosign',
      matchOIDCIdentity: [{ issuer: '^https://token\\.actions\\.githubusercontent\\.com$', subject: '^https://github\\.com/sigstore/helm-charts/.*$' }],
    });
  });

  test('cosign public-key verification of an OCI chart', () => {
    const chart = Testing.chart();
    new FluxHelmInstall(chart, 'Demo', { chart: OCI_CHART, verification: HelmChartVerification.cosignPublicKeys('cosign-pub') });
    expect(find(Testing.synth(chart), 'OCIRepository').spec.verify).toEqual({ provider: 'cosign', secretRef: { name: 'cosign-pub' } });
  });

  test('dependsOn takes installs by object and names their namespace', () => {
    const chart = Testing.chart();
    const crossplane = new FluxHelmInstall(chart, 'Crossplane', { chart: UpstreamCharts.CROSSPLANE });
    const gk = new FluxHelmInstall(chart, 'Gatekeeper', { chart: UpstreamCharts.GATEKEEPER });
    const harbor = new FluxHelmInstall(chart, 'Harbor', { chart: UpstreamCharts.HARBOR, dependsOn: [gk] });
    harbor.addDependency(crossplane);
    harbor.addDependency(gk); // duplicate ignored
    expect(find(Testing.synth(chart), 'HelmRelease', 'harbor').spec.dependsOn).toEqual([
      { name: 'gatekeeper', namespace: 'gatekeeper-system' },
      { name: 'crossplane', namespace: 'crossplane-system' },
    ]);
  });

  describe('values', () => {
    test('props values, then addValues calls, deep-merged in order; arrays replaced; keys sorted', () => {
      const { chart, install } = demo({ values: { replicas: 3, audit: { interval: 60, ns: ['a'] }, z: 1 } });
      install.addValues({ audit: { ns: ['b', 'c'], logLevel: 'INFO' } });
      install.addValues({ replicas: 2 });
      const values = find(Testing.synth(chart), 'HelmRelease').spec.values;
      expect(values).toEqual({ audit: { interval: 60, logLevel: 'INFO', ns: ['b', 'c'] }, replicas: 2, z: 1 });
      expect(JSON.stringify(values)).toBe('{"audit":{"interval":60,"logLevel":"INFO","ns":["b","c"]},"replicas":2,"z":1}');
    });

    test('values passed in are copied, later mutation does not leak in', () => {
      const input: any = { a: { b: 1 } };
      const { chart } = demo({ values: input });
      input.a.b = 2;
      expect(find(Testing.synth(chart), 'HelmRelease').spec.values).toEqual({ a: { b: 1 } });
    });

    test('synth is deterministic', () => {
      const build = () => {
        const chart = Testing.chart();
        const i = new FluxHelmInstall(chart, 'G', { chart: OCI_CHART, values: { b: 1, a: { d: 1, c: 2 } } });
        i.addValues({ a: { e: 3 } });
        return JSON.stringify(Testing.synth(chart));
      };
      expect(build()).toBe(build());
    });

    test('the HelmRelease escape hatch works', () => {
      const { chart, install } = gatekeeper();
      install.release.addJsonPatch(JsonPatch.add('/spec/maxHistory', 10));
      expect(find(Testing.synth(chart), 'HelmRelease').spec.maxHistory).toBe(10);
    });
  });

  test('warns, naming the key and the chart, about a top-level value the chart does not read; nothing for keys it reads', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { install } = gatekeeper({ values: { replicas: 2 } });
      expect(install.warnings).toEqual([]);
      install.addValues({ exemptNamespaces: ['kube-system'] });
      expect(install.warnings).toEqual([
        '[test/Gatekeeper] \'values.exemptNamespaces\' is not read by chart gatekeeper 3.23.0 (Helm drops it silently), got ["kube-system"]; check the key against the chart\'s values.yaml; a misspelt security setting is not applied',
      ]);
      expect(warn).toHaveBeenCalledWith(`WARNING ${install.warnings[0]}`);
    } finally {
      warn.mockRestore();
    }
  });

  describe('fails if', () => {
    const expectError = (fn: () => unknown, re: RegExp) => expect(fn).toThrow(re);
    const make = (props: any) => () => new FluxHelmInstall(new Chart(Testing.app(), 'test'), 'Gk', { chart: UpstreamCharts.GATEKEEPER, ...props });

    test.each(['^1.2', '~1', '>=1.0.0', 'latest', '1.x', '*', '', '1.2', '3.23'])('the version is not exact (%p)', (version) => {
      expectError(make({ version }), /^\[test\/Gk\] 'version' must be one exact chart version, got .*; pin a released version such as "3\.23\.0"/);
    });
    test('the version is not a known version of the chart', () => {
      expectError(make({ version: '3.22.0' }), /^\[test\/Gk\] 'version' is not a known version of chart "gatekeeper", got "3\.22\.0"; use one of 3\.23\.0, or declare the version/);
    });
    test('the namespace level is lowered below the chart\'s without a reason', () => {
      expectError(make({ podSecurity: PodSecurityLevel.BASELINE }),
        /^\[test\/Gk\] 'podSecurityReason' must say why the namespace needs Pod Security "baseline", below the "restricted" the chart's pods pass, got undefined/);
    });
    test('the namespace is not a DNS label', () => {
      expectError(make({ namespace: 'Gatekeeper_System' }), /^\[test\/Gk\] 'namespace' must be a DNS label.*got "Gatekeeper_System"/);
    });
    test('the release name is too long for Helm', () => {
      expectError(make({ releaseName: 'a'.repeat(54) }), /\[test\/Gk\] 'releaseName' must be a DNS label .*at most 53 characters/);
    });
    test('an interval is not a Go duration', () => {
      expectError(make({ interval: '10 minutes' }), /\[test\/Gk\] 'interval' must be a Go duration, got "10 minutes"; use a value such as "10m"/);
      expectError(make({ timeout: '5' }), /'timeout' must be a Go duration/);
      expectError(make({ sourceInterval: '1d' }), /'sourceInterval' must be a Go duration/);
    });
    test('retries are negative or fractional', () => {
      expectError(make({ installRetries: -1 }), /\[test\/Gk\] 'installRetries' must be an integer between 0 and 100, got -1/);
      expectError(make({ upgradeRetries: 1.5 }), /'upgradeRetries' must be an integer/);
    });
    test('the service account name is invalid', () => {
      expectError(make({ serviceAccountName: 'Flux Installer' }), /'serviceAccountName' must be a ServiceAccount name/);
    });
    test('verification is asked for an https chart', () => {
      expectError(make({ verification: HelmChartVerification.cosignPublicKeys('k') }),
        /\[test\/Gk\] 'verification' is only supported for OCI charts, got "https:\/\/open-policy-agent.github.io\/gatekeeper\/charts"; install the chart from its OCI registry/);
    });
    test('keyless verification has an empty or invalid pattern', () => {
      const oci = (v: HelmChartVerification) => () => new FluxHelmInstall(Testing.chart(), 'P', { chart: OCI_CHART, verification: v });
      expectError(oci(HelmChartVerification.cosignKeyless('', '.*')), /'verification.issuer' must be a non-empty regular expression/);
      expectError(oci(HelmChartVerification.cosignKeyless('^x$', '(')), /'verification.subject' is not a valid regular expression/);
      expectError(oci(HelmChartVerification.cosignPublicKeys('Bad Name')), /'verification.secretName' must be a Secret name/);
    });
    test('values hold something that is not JSON data', () => {
      expectError(make({ values: { hook: () => 1 } }), /\[test\/Gk\] 'values' holds a value that is not JSON data at hook/);
      expectError(make({ values: { n: Infinity } }), /'values' holds a non-finite number at n/);
    });
    test('an install depends on itself', () => {
      const install = make({})();
      expect(() => install.addDependency(install)).toThrow(/'dependsOn' cannot contain the install itself/);
    });
  });
});
