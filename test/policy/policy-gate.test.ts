import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { deployment, hardenedContainer, REGISTRY, tierNamespace } from './fixtures';
import {
  BuiltInPolicy, GatekeeperConstraintTemplate, PolicyCatalog, PolicyEnforcement, PolicyExemption, PolicyGate,
} from '../../src/policy';
import { Tier } from '../../src/tenancy/tier';
import { Weakening } from '../../src/tenancy/weakening';
import { HAS_SHARED, kubeValidate } from '../util';

function newApp(): { app: App; chart: Chart; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-gate-'));
  const app = new App({ outdir });
  return { app, chart: new Chart(app, 'platform'), outdir };
}

let warnSpy: jest.SpyInstance;
beforeEach(() => { warnSpy = jest.spyOn(console, 'warn').mockImplementation(() => {}); });
afterEach(() => warnSpy.mockRestore());

describe('deny fails synth before anything is written', () => {
  test('a privileged container in a SENSITIVE namespace fails synth with path, constraint and message', () => {
    const { app, chart, outdir } = newApp();
    new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    tierNamespace(chart, 'payments', Tier.SENSITIVE);
    const c = hardenedContainer();
    deployment(chart, 'Ledger', 'payments', { ...c, securityContext: { ...c.securityContext, privileged: true } });
    expect(() => app.synth()).toThrow(/\[platform\/Ledger\] Pod payments\/ledger-pod \(pod template of Deployment\/ledger\) violates DevSecOpsPrivilegedContainers "privileged-containers-sensitive" \(deny\): privileged containers are not allowed: app/);
    expect(fs.readdirSync(outdir)).toEqual([]);
    expect(fs.existsSync(`${outdir}-reports`)).toBe(false);
  });

  test('the same workload in a DEV namespace only warns: manifests and the report are written', () => {
    const { app, chart, outdir } = newApp();
    new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    tierNamespace(chart, 'sandbox', Tier.DEV);
    const c = hardenedContainer();
    deployment(chart, 'Ledger', 'sandbox', { ...c, securityContext: { ...c.securityContext, privileged: true } });
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'policy-report.json'), 'utf8'));
    expect(report.summary.deny).toBe(0);
    expect(report.summary.warn).toBe(1);
    expect(report.violations[0]).toMatchObject({
      enforcement: 'warn', constraintName: 'privileged-containers-dev', constructPath: 'platform/Ledger', expandedFrom: 'Deployment/ledger',
    });
    expect(fs.readdirSync(outdir)).toEqual(['platform.k8s.yaml']); // the report is not among the manifests
    expect(warnSpy).toHaveBeenCalledTimes(1);
    expect(String(warnSpy.mock.calls[0][0])).toMatch(/1 warn, 0 dryrun/);
  });

  test('a policy made dryrun for a tier is reported, not denied', () => {
    const { app, chart, outdir } = newApp();
    const catalog = new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    catalog.overrideEnforcement(BuiltInPolicy.CONTAINER_RESOURCES, Tier.SENSITIVE, PolicyEnforcement.DRYRUN,
      Weakening.acknowledge('RISK-7: measuring the impact before enforcing'));
    tierNamespace(chart, 'payments', Tier.SENSITIVE);
    deployment(chart, 'Ledger', 'payments', hardenedContainer({ resources: undefined }));
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'policy-report.json'), 'utf8'));
    expect(report.violations.map((v: any) => `${v.enforcement} ${v.constraintName}`)).toEqual(['dryrun container-resources-sensitive']);
  });

  test('the report is not written when another construct fails validation', () => {
    const { app, chart, outdir } = newApp();
    new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    tierNamespace(chart, 'sandbox', Tier.DEV);
    deployment(chart, 'Ledger', 'sandbox', hardenedContainer({ image: 'nginx:latest' }));
    chart.node.addValidation({ validate: () => ['something else is wrong'] });
    expect(() => app.synth()).toThrow(/something else is wrong/);
    expect(fs.readdirSync(outdir)).toEqual([]);
    expect(fs.existsSync(`${outdir}-reports`)).toBe(false);
  });
});

describe('exemptions', () => {
  test('a namespace exemption on a policy lets the workload through and is listed with its reason', () => {
    const { app, chart, outdir } = newApp();
    const catalog = new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    tierNamespace(chart, 'payments', Tier.SENSITIVE);
    deployment(chart, 'Ledger', 'payments', hardenedContainer({ resources: undefined }));
    catalog.addExemption(BuiltInPolicy.CONTAINER_RESOURCES, PolicyExemption.namespaces(['pay*'], 'Sized by the vertical pod autoscaler, reviewed in RISK-1234'), Tier.SENSITIVE);
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(`${outdir}-reports`, 'policy-report.json'), 'utf8'));
    expect(report.violations).toEqual([]);
    expect(report.exemptions).toContainEqual({
      appliedTo: 'DevSecOpsContainerResources/container-resources-sensitive',
      constructPath: 'platform/Policy/container-resources/sensitive/Resource',
      namespaces: ['pay*'],
      reason: 'Sized by the vertical pod autoscaler, reviewed in RISK-1234',
    });
  });

  test('a label exemption (service account token) applies to the pod template labels', () => {
    const { app, chart } = newApp();
    const catalog = new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    tierNamespace(chart, 'payments', Tier.SENSITIVE);
    const d = deployment(chart, 'Operator', 'payments');
    d.addJsonPatch(JsonPatch.replace('/spec/template/spec/automountServiceAccountToken', true));
    expect(() => app.synth()).toThrow(/DevSecOpsServiceAccountToken/);
    d.addJsonPatch(JsonPatch.add('/spec/template/metadata/labels/devsecops.cdk8s.io~1api-access', 'granted'));
    catalog.addExemption(BuiltInPolicy.SERVICE_ACCOUNT_TOKEN, PolicyExemption.labelledObjects('devsecops.cdk8s.io/api-access', 'granted', 'The operator reconciles CRDs through the API server'));
    expect(() => app.synth()).not.toThrow();
  });

  test('the Gatekeeper Config exempts system namespaces from every policy', () => {
    const { app, chart } = newApp();
    new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    const ns = tierNamespace(chart, 'kube-system', Tier.SENSITIVE);
    ns.addJsonPatch(JsonPatch.replace('/metadata/labels/pod-security.kubernetes.io~1enforce', 'privileged'));
    deployment(chart, 'Cni', 'kube-system', hardenedContainer({ image: 'quay.io/cilium/cilium:latest' }));
    expect(() => app.synth()).not.toThrow();
    // the Config's, and the same namespaces on the one constraint that judges Namespace objects (for gator)
    expect(PolicyGate.of(app).lastReport!.exemptions.map((e) => e.appliedTo)).toEqual(['Config/config', 'Config/config',
      'DevSecOpsRequiredLabels/namespace-tier-label', 'DevSecOpsRequiredLabels/namespace-tier-label']);
  });

  test('fails if an exemption has no real reason', () => {
    const { chart } = newApp();
    const catalog = new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
    expect(() => catalog.addExemption(BuiltInPolicy.HOST_PATH, PolicyExemption.namespaces(['monitoring'], 'needed')))
      .toThrow(/\[platform\/Policy\/host-path\/sensitive\] 'exemption.reason' must explain why the exemption is needed/);
  });
});

describe('not evaluated is reported, never passed', () => {
  test('a Rego-only template is listed as not evaluated; failOnNotEvaluated turns it into a synth error', () => {
    const { app, chart } = newApp();
    const gate = new PolicyGate(app, 'Gate', { writeReport: false, quiet: true });
    const t = new GatekeeperConstraintTemplate(chart, 'Rego', { kind: 'K8sRegoOnly', rego: 'package x\nviolation[{"msg": "no"}] { true }' });
    t.addConstraint('C');
    app.synth();
    expect(gate.lastReport!.notEvaluated).toEqual([expect.objectContaining({ constraintKind: 'K8sRegoOnly', reason: expect.stringMatching(/no K8sNativeValidation \(CEL\) code \(engines: Rego\)/) })]);
    const strict = newApp();
    new PolicyGate(strict.app, 'Gate', { failOnNotEvaluated: true, quiet: true });
    new GatekeeperConstraintTemplate(strict.chart, 'Rego', { kind: 'K8sRegoOnly', rego: 'package x' }).addConstraint('C');
    expect(() => strict.app.synth()).toThrow(/K8sRegoOnly was not evaluated/);
  });

  test('a template calling an unsupported CEL function is not evaluated, naming the function', () => {
    const { app, chart } = newApp();
    new GatekeeperConstraintTemplate(chart, 'Q', {
      kind: 'K8sQuantity', validations: [{ expression: "quantity('1Gi').isGreaterThan(quantity('1Mi'))" }],
    }).addConstraint('C');
    app.synth();
    expect(PolicyGate.of(app).lastReport!.notEvaluated[0].reason).toMatch(/CEL function 'isGreaterThan' is not supported|CEL function 'quantity' is not supported/);
  });

  test('only one gate per App', () => {
    const { app } = newApp();
    PolicyGate.of(app);
    expect(() => new PolicyGate(app, 'Other')).toThrow(/is already defined in this App/);
  });
});

(HAS_SHARED ? test : test.skip)('every emitted object passes kube-validate --pss with 0 errors', () => {
  const { app, chart, outdir } = newApp();
  new PolicyCatalog(chart, 'Policy', { allowedRepositories: [REGISTRY] });
  tierNamespace(chart, 'payments', Tier.SENSITIVE);
  tierNamespace(chart, 'orders', Tier.STANDARD);
  tierNamespace(chart, 'sandbox', Tier.DEV);
  deployment(chart, 'Ledger', 'payments');
  app.synth();
  expect(PolicyGate.of(app).lastReport!.violations).toEqual([]);
  expect(kubeValidate(outdir)).toMatch(/kube-validate: \d+ objects, \d+ kinds, 0 errors/);
});
