import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ComponentImageReport, FluxHelmInstall, HelmChart, UpstreamCharts } from '../../src/install';
import { DevSecOpsPlatform } from '../../src/platform';
import { ExternalSecretsInstall } from '../../src/secrets';

function values(chart: Chart, name: string): any {
  return Testing.synth(chart).find((d) => d.kind === 'HelmRelease' && d.metadata.name === name).spec.values;
}

describe('component images', () => {
  test('@default nothing is relocated: every image is pulled from upstream', () => {
    const chart = Testing.chart();
    new ExternalSecretsInstall(chart, 'eso');
    const report = new ComponentImageReport(chart, 'images', { writeFile: false });
    expect(report.toJson().relocatedTo).toBeNull();
    expect(report.images.map((i) => [i.valuesKey, i.pulledFrom])).toEqual([
      ['certController.image.repository', 'ghcr.io/external-secrets/external-secrets:v2.9.0'],
      ['image.repository', 'ghcr.io/external-secrets/external-secrets:v2.9.0'],
      ['webhook.image.repository', 'ghcr.io/external-secrets/external-secrets:v2.9.0'],
    ]);
    expect(values(chart, 'external-secrets').image).toBeUndefined();
  });

  test('relocation keeps path, tag and digest, sets the chart\'s repository keys, and lets a later addValues win', () => {
    const chart = Testing.chart();
    const pc = new FluxHelmInstall(chart, 'pc', { chart: UpstreamCharts.POLICY_CONTROLLER, values: { webhook: { replicaCount: 2 } } });
    const gk = new FluxHelmInstall(chart, 'gk', { chart: UpstreamCharts.GATEKEEPER });
    const report = new ComponentImageReport(chart, 'images', { relocateTo: 'harbor.bank.example/platform', writeFile: false });
    gk.addValues({ postInstall: { probeWebhook: { image: { repository: 'mirror.bank.example/curl' } } } });
    expect(values(chart, 'policy-controller').webhook).toEqual({
      replicaCount: 2,
      image: { repository: 'harbor.bank.example/platform/sigstore/policy-controller/policy-controller' },
    });
    const byKey = Object.fromEntries(report.images.map((i) => [`${i.component} ${i.valuesKey}`, i.pulledFrom]));
    expect(byKey['policy-controller webhook.image.repository'])
      .toBe('harbor.bank.example/platform/sigstore/policy-controller/policy-controller@sha256:0bcd60beb93f4427c29cf3a669743caf58490e98ded4380c33c09f092734a6ab');
    expect(byKey['gatekeeper image.repository']).toBe('harbor.bank.example/platform/openpolicyagent/gatekeeper:v3.23.0');
    expect(byKey['gatekeeper postInstall.probeWebhook.image.repository']).toBe('mirror.bank.example/curl:8.20.0');
    expect(report.toJson().notRelocated).toEqual(['gatekeeper-system: docker.io/curlimages/curl:8.20.0']);
    expect(pc.images.every((i) => i.note === undefined)).toBe(true);
  });

  test('Harbor and charts without an image table stay upstream and say why', () => {
    const chart = Testing.chart();
    new FluxHelmInstall(chart, 'harbor', { chart: UpstreamCharts.HARBOR });
    const own = new FluxHelmInstall(chart, 'own', { chart: HelmChart.fromOci({ component: 'demo', url: 'oci://ghcr.io/example/demo', version: '1.0.0' }) });
    const report = new ComponentImageReport(chart, 'images', { relocateTo: 'harbor.bank.example/platform', writeFile: false });
    expect(values(chart, 'harbor')).toBeUndefined();
    expect(report.images.filter((i) => i.component === 'harbor').every((i) => i.pulledFrom === i.upstream && /cannot pull its own images/.test(i.note!))).toBe(true);
    expect(own.images).toEqual([]);
  });

  test('the platform writes component-images.json after a successful synth, relocated to its platform project', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'component-images-'));
    const app = new App({ outdir });
    new DevSecOpsPlatform(app, 'bank', {
      registry: { host: 'harbor.bank.example', harbor: { providerCredentialsSecretName: 'creds', relocateComponentImages: true } },
    });
    app.synth();
    // In the reports folder beside the manifests, never among them.
    expect(fs.existsSync(path.join(outdir, 'component-images.json'))).toBe(false);
    const report = JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'component-images.json'), 'utf8'));
    expect(report.relocatedTo).toBe('harbor.bank.example/platform');
    expect(report.notRelocated).toEqual([]);
    expect(report.images.map((i: any) => i.namespace)).toEqual(expect.arrayContaining(['gatekeeper-system', 'crossplane-system', 'external-secrets']));
    for (const d of [outdir, `${outdir}-reports`]) fs.rmSync(d, { recursive: true, force: true });
  });

  test('@default the platform does not relocate; nothing is written when synth fails', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'component-images-'));
    const app = new App({ outdir });
    const p = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });
    expect(p.componentImages.relocateTo).toBeUndefined();
    new Chart(app, 'broken').node.addValidation({ validate: () => ['broken on purpose'] });
    expect(() => app.synth()).toThrow(/broken on purpose/);
    expect(fs.existsSync(path.join(outdir, 'component-images.json'))).toBe(false);
    expect(fs.existsSync(`${outdir}-reports`)).toBe(false);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('fails if the relocation target is not a registry host with a project path, or the file name is not plain', () => {
    const chart = Testing.chart();
    new FluxHelmInstall(chart, 'gk', { chart: UpstreamCharts.GATEKEEPER });
    expect(() => new ComponentImageReport(chart, 'a', { relocateTo: 'https://harbor.bank.example/platform' }))
      .toThrow(/\[test\/gk\] 'registryPrefix' must be a registry host with a project path, got "https:\/\/harbor.bank.example\/platform"; use for example/);
    expect(() => new ComponentImageReport(chart, 'b', { fileName: '../images.json' })).toThrow(/\[test\/b\] 'fileName' is not a plain file name ending in \.json/);
  });
});
