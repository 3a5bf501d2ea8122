import { Chart, Testing } from 'cdk8s';
import {
  BuiltInPolicy, GatekeeperConstraintTemplate, GatekeeperInstall, GatekeeperInstallValues, GatekeeperWorkloadExpansion,
  GatekeeperParameterSchema as P, GatekeeperSelectorOperator,
  PolicyCatalog, PolicyEnforcement, PolicyExemption, PolicyGate,
} from '../../src/policy';
import { PlatformLabels } from '../../src/tenancy/labels';
import { Tier } from '../../src/tenancy/tier';

const chart = () => Testing.chart();
const template = (c: Chart) => new GatekeeperConstraintTemplate(c, 'T', {
  kind: 'K8sExample',
  parameters: { labels: P.arrayOf(P.stringType()), strict: P.booleanType() },
  validations: [{ expression: 'true', message: 'never' }],
});

describe('GatekeeperConstraintTemplate', () => {
  test('defaults: v1, lowercase name, CEL engine, structural parameters schema', () => {
    const c = chart();
    template(c);
    const [t] = Testing.synth(c);
    expect(t).toMatchSnapshot();
    expect(t.apiVersion).toBe('templates.gatekeeper.sh/v1');
    expect(t.metadata.name).toBe('k8sexample');
    expect(t.spec.crd.spec.validation.openAPIV3Schema).toEqual({
      type: 'object', properties: { labels: { type: 'array', items: { type: 'string' } }, strict: { type: 'boolean' } },
    });
    expect(t.spec.targets).toEqual([{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source: { validations: [{ expression: 'true', message: 'never' }] } }] }]);
  });

  test('Rego is emitted as a second engine after CEL', () => {
    const c = chart();
    new GatekeeperConstraintTemplate(c, 'T', { kind: 'K8sBoth', validations: [{ expression: 'true' }], rego: 'package k8sboth' });
    const [t] = Testing.synth(c);
    expect(t.spec.targets[0].code.map((x: any) => x.engine)).toEqual(['K8sNativeValidation', 'Rego']);
    expect(t.spec.targets[0].code[1].source).toEqual({ rego: 'package k8sboth' });
  });

  test.each([
    [{ kind: 'lowercase', validations: [{ expression: 'true' }] }, /'kind' must be a CamelCase kind/],
    [{ kind: 'K8sX' }, /'validations' must not be empty when no Rego is given/],
    [{ kind: 'K8sX', validations: [{ expression: 'object.(' }] }, /'validations\[0\].expression' is not a valid CEL expression/],
    [{ kind: 'K8sX', validations: [{ expression: 'true' }], variables: [{ name: 'params', expression: '1' }] }, /'variables\[0\].name' must be a unique CEL identifier/],
  ])('fails on bad input %#', (props, error) => {
    expect(() => new GatekeeperConstraintTemplate(chart(), 'T', props as any)).toThrow(error);
  });
});

describe('GatekeeperConstraint', () => {
  test('defaults: v1beta1, kind from the template, deny, match everything, a gate in the App', () => {
    const c = chart();
    const t = template(c);
    const k = t.addConstraint('C');
    const [, constraint] = Testing.synth(c);
    expect(constraint.apiVersion).toBe('constraints.gatekeeper.sh/v1beta1');
    expect(constraint.kind).toBe('K8sExample');
    expect(constraint.spec).toEqual({ enforcementAction: 'deny', match: {} });
    expect(k.enforcement).toBe(PolicyEnforcement.DENY);
    expect(c.node.root.node.children.some((x) => x instanceof PolicyGate)).toBe(true);
    expect(t.allConstraints).toEqual([k]);
  });

  test('typed match block and exemptions render to spec.match', () => {
    const c = chart();
    const k = template(c).addConstraint('C', {
      enforcement: PolicyEnforcement.WARN,
      parameters: { labels: ['owner'], strict: true },
      match: {
        kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }],
        namespaces: ['team-*'],
        excludedNamespaces: ['*-sandbox'],
        namespaceSelector: { matchLabels: { tier: 'dev' } },
        labelSelector: { matchExpressions: [{ key: 'app', operator: GatekeeperSelectorOperator.EXISTS }] },
      },
    });
    k.addExemption(PolicyExemption.namespaces(['team-legacy'], 'Migrating off the old chart by Q3'));
    k.addExemption(PolicyExemption.labelledObjects('exempt', 'yes', 'Break-glass workloads reviewed weekly'));
    const [, constraint] = Testing.synth(c);
    expect(constraint.spec.enforcementAction).toBe('warn');
    expect(constraint.spec.parameters).toEqual({ labels: ['owner'], strict: true });
    expect(constraint.spec.match).toEqual({
      kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }],
      namespaces: ['team-*'],
      excludedNamespaces: ['*-sandbox', 'team-legacy'],
      namespaceSelector: { matchLabels: { tier: 'dev' } },
      labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'exempt', operator: 'NotIn', values: ['yes'] }] },
    });
    expect(JSON.parse(constraint.metadata.annotations['devsecops.cdk8s.io/exemptions'])).toHaveLength(2);
  });

  test.each([
    [{ parameters: { labels: 'owner' } }, /'parameters.labels' must be a list/],
    [{ parameters: { unknown: 1 } }, /'parameters.unknown' is not a parameter of this template/],
    [{ match: { excludedNamespaces: ['team*x'] } }, /'match.excludedNamespaces\[0\]' must be a namespace name or a prefix\/suffix glob/],
    [{ match: { kinds: [] } }, /'match.kinds' must not be an empty list/],
    [{ match: { labelSelector: { matchExpressions: [{ key: 'a', operator: GatekeeperSelectorOperator.IN }] } } }, /must not be empty for In/],
    [{ enforcement: 'audit' }, /'enforcement' must be deny, warn or dryrun/],
  ])('fails on bad input %#', (options, error) => {
    expect(() => template(chart()).addConstraint('C', options as any)).toThrow(error);
  });
});

describe('PolicyCatalog per-tier defaults', () => {
  const c = chart();
  const catalog = new PolicyCatalog(c, 'Policy', { allowedRepositories: ['harbor.bank.example/payments'] });
  const objects = Testing.synth(c);
  const constraints = objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
  const byName = (n: string) => constraints.find((o) => o.metadata.name === n);
  const SENSITIVE_ONLY = [
    BuiltInPolicy.READ_ONLY_ROOT_FILESYSTEM, BuiltInPolicy.SERVICE_TYPES, BuiltInPolicy.INGRESS_TLS, BuiltInPolicy.NODE_PLACEMENT,
  ];

  test('one CEL template per built-in policy', () => {
    const templates = objects.filter((o) => o.kind === 'ConstraintTemplate');
    expect(templates).toHaveLength(PolicyCatalog.POLICIES.length);
    for (const t of templates) expect(t.spec.targets[0].code[0].engine).toBe('K8sNativeValidation');
  });

  test.each(PolicyCatalog.POLICIES)('%s: a constraint per tier, selected by the tier label, deny/deny/warn', (policy) => {
    for (const tier of [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV]) {
      const o = byName(`${policy}-${tier}`);
      if (SENSITIVE_ONLY.includes(policy) && tier !== Tier.SENSITIVE) {
        expect(o).toBeUndefined();
        continue;
      }
      expect(o).toBeDefined();
      expect(o.spec.enforcementAction).toBe(tier === Tier.DEV ? 'warn' : 'deny');
      expect(o.spec.match.namespaceSelector).toEqual({ matchLabels: { [PlatformLabels.TIER]: tier } });
      expect(catalog.constraint(policy, tier).enforcement).toBe(PolicyCatalog.defaultEnforcement(tier));
    }
  });

  test('digests are required in SENSITIVE only; defaults of the parameters', () => {
    expect(byName('image-tags-sensitive').spec.parameters).toEqual({ requireDigest: true });
    expect(byName('image-tags-standard').spec.parameters).toEqual({ requireDigest: false });
    expect(byName('capabilities-dev').spec.parameters).toEqual({ allowedCapabilities: [] });
    expect(byName('required-labels-standard').spec.parameters).toEqual({ labels: [{ key: PlatformLabels.OWNER }, { key: PlatformLabels.DATA_CLASSIFICATION }] });
    expect(byName('seccomp-dev').spec.parameters).toEqual({ allowedProfiles: ['RuntimeDefault', 'Localhost'] });
    expect(byName('service-types-sensitive').spec.parameters).toEqual({ disallowedTypes: ['NodePort', 'LoadBalancer'] });
  });

  test('every Namespace must declare a valid tier, denied cluster-wide', () => {
    const o = byName(PolicyCatalog.NAMESPACE_TIER_CONSTRAINT);
    expect(o.spec.enforcementAction).toBe('deny');
    // The Config's namespace exemptions repeated on the constraint, because gator ignores the Config.
    expect(o.spec.match).toEqual({
      kinds: [{ apiGroups: [''], kinds: ['Namespace'] }],
      excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system'],
    });
    expect(o.spec.parameters.labels[0]).toEqual({ key: PlatformLabels.TIER, allowedRegex: '^(sensitive|standard|dev)$' });
  });

  test('default Config exempts the system namespaces with reasons; ExpansionTemplates and the gate are on', () => {
    const config = objects.find((o) => o.kind === 'Config');
    expect(config.metadata).toMatchObject({ name: 'config', namespace: 'gatekeeper-system' });
    expect(config.spec.match).toEqual([{ excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system'], processes: ['*'] }]);
    const expansions = objects.filter((o) => o.kind === 'ExpansionTemplate');
    expect(expansions.map((e) => e.spec.templateSource).sort()).toEqual(['spec.jobTemplate.spec.template', 'spec.template', 'spec.template', 'spec.template']);
    expect(expansions.every((e) => e.apiVersion === 'expansion.gatekeeper.sh/v1beta1' && e.spec.generatedGVK.kind === 'Pod')).toBe(true);
    expect(c.node.root.node.children.some((x) => x instanceof PolicyGate)).toBe(true);
  });

  test('enforcement overrides per policy and tier', () => {
    const c2 = chart();
    const cat = new PolicyCatalog(c2, 'Policy', {
      allowedRepositories: ['harbor.bank.example'],
      tiers: [Tier.DEV],
      enforcementOverrides: [{ policy: BuiltInPolicy.PRIVILEGED_CONTAINERS, tier: Tier.DEV, enforcement: PolicyEnforcement.DENY }],
      evaluateOnSynth: false,
      workloadExpansion: false,
    });
    cat.overrideEnforcement(BuiltInPolicy.HOST_PATH, Tier.DEV, PolicyEnforcement.DRYRUN);
    const out = Testing.synth(c2);
    const action = (n: string) => out.find((o) => o.metadata.name === n)?.spec.enforcementAction;
    expect(action('privileged-containers-dev')).toBe('deny');
    expect(action('host-path-dev')).toBe('dryrun');
    expect(action('seccomp-dev')).toBe('warn');
    expect(out.some((o) => o.kind === 'ExpansionTemplate')).toBe(false);
    expect(out.some((o) => o.metadata.name === 'privileged-containers-sensitive')).toBe(false);
    expect(() => cat.overrideEnforcement(BuiltInPolicy.INGRESS_TLS, Tier.DEV, PolicyEnforcement.WARN)).toThrow(/has no default constraint for tier dev/);
  });

  test.each([
    [{ allowedRepositories: 'harbor.bank.example' }, /'allowedRepositories' must be a list of registries or repositories/],
    [{ allowedRepositories: ['harbor.bank.example/*'] }, /'allowedRepositories\[0\]' must be a registry host or repository path without wildcards/],
    [{ allowedRepositories: ['harbor.bank.example'], allowedCapabilities: ['CAP_NET_ADMIN'] }, /'allowedCapabilities\[0\]' must be a capability name without the CAP_ prefix/],
  ])('fails on bad input %#', (props, error) => {
    expect(() => new PolicyCatalog(chart(), 'Policy', props as any)).toThrow(error);
  });
});

test('GatekeeperInstallValues: fail closed, the Config exemptions and Gatekeeper\'s namespace', () => {
  const c = chart();
  const catalog = new PolicyCatalog(c, 'Policy', { allowedRepositories: ['harbor.bank.example'], evaluateOnSynth: false });
  const values = new GatekeeperInstallValues({ config: catalog.config });
  const skipped = ['gatekeeper-system', 'kube-node-lease', 'kube-public', 'kube-system'];
  expect(values.toValues()).toEqual({
    replicas: 3,
    auditInterval: 60,
    constraintViolationsLimit: 100, // @default auditViolationsLimit
    validatingWebhookFailurePolicy: 'Fail',
    // the webhook skips them (namespaceSelector) ...
    validatingWebhookExemptNamespacesLabels: { 'kubernetes.io/metadata.name': skipped },
    // ... and controller and audit let them carry the ignore label
    controllerManager: { exemptNamespaces: skipped },
    logDenies: true, // @default disableDenyLogging false
    emitAdmissionEvents: true, // @default disableAdmissionEvents false
    emitAuditEvents: true, // @default disableAuditEvents false
    disableMutation: true, // @default enableMutation false
  });
  expect(values.webhookExemptions[0]).toEqual({ namespaces: ['gatekeeper-system'], reason: expect.stringMatching(/own namespace/) });
  expect(new GatekeeperInstallValues({ failOpen: true }).failurePolicy).toBe('Ignore');
});

test('GatekeeperWorkloadExpansion: no enforcement override by default; one can be set', () => {
  const c = chart();
  new GatekeeperWorkloadExpansion(c, 'Default');
  new GatekeeperWorkloadExpansion(c, 'Warn', { enforcement: PolicyEnforcement.WARN });
  const out = Testing.synth(c);
  expect(out.filter((o) => o.metadata.name === 'expand-cronjob-pods').map((o) => o.spec.enforcementAction)).toEqual([undefined, 'warn']);
});

test('parameter schema types are enforced on constraint parameters', () => {
  const t = new GatekeeperConstraintTemplate(chart(), 'T', {
    kind: 'K8sTyped',
    parameters: { n: P.integerType(), x: P.numberType(), mode: P.stringEnum(['a', 'b']), o: P.objectOf({ k: P.stringType() }) },
    validations: [{ expression: 'true' }],
  });
  expect(() => t.addConstraint('A', { parameters: { n: 1.5 } })).toThrow(/'parameters.n' must be an integer/);
  expect(() => t.addConstraint('B', { parameters: { mode: 'c' } })).toThrow(/'parameters.mode' must be one of a, b/);
  expect(() => t.addConstraint('C', { parameters: { o: { k: 1 } } })).toThrow(/'parameters.o.k' must be a string/);
  expect(() => t.addConstraint('D', { parameters: { n: 2, x: 0.5, mode: 'a', o: { k: 'v' } } })).not.toThrow();
});

describe('parameters that grow while the program runs', () => {
  test('addAllowedRepository reaches every tier\'s allowed-repositories constraint at synth, sorted and deduplicated', () => {
    const c = chart();
    const catalog = new PolicyCatalog(c, 'Policy', { allowedRepositories: ['harbor.bank.example/platform'], evaluateOnSynth: false });
    catalog.addAllowedRepository('harbor.bank.example/payments');
    catalog.addAllowedRepository('harbor.bank.example/payments');
    expect(catalog.allowedRepositories).toEqual(['harbor.bank.example/payments', 'harbor.bank.example/platform']);
    const constraints = Testing.synth(c).filter((o) => o.kind === 'DevSecOpsAllowedRepositories');
    expect(constraints).toHaveLength(3);
    for (const k of constraints) expect(k.spec.parameters.repositories).toEqual(['harbor.bank.example/payments', 'harbor.bank.example/platform']);
  });

  test('fails if an added repository has a wildcard or scheme; replaceParameters is checked against the schema', () => {
    const c = chart();
    const catalog = new PolicyCatalog(c, 'Policy', { allowedRepositories: ['harbor.bank.example'], evaluateOnSynth: false });
    expect(() => catalog.addAllowedRepository('https://docker.io')).toThrow(/\[test\/Policy\] 'addAllowedRepository' must be a registry host or repository path without wildcards, got "https:\/\/docker.io"/);
    const k = catalog.constraint(BuiltInPolicy.ALLOWED_REPOSITORIES, Tier.DEV);
    expect(() => k.replaceParameters({ repositories: 'harbor.bank.example' })).toThrow(/\[test\/Policy\/allowed-repositories\/dev\] 'parameters.repositories' must be a list/);
    // the failed replacement left the previous parameters in place
    expect(k.parameters).toEqual({ repositories: ['harbor.bank.example'] });
  });
});

test('GatekeeperInstall refuses a violations limit below 1, a bad API server CIDR and a namespace that is neither a name nor a glob', () => {
  expect(() => new GatekeeperInstall(chart(), 'Gk', { auditViolationsLimit: 0 }))
    .toThrow(/\[test\/Gk\] 'auditViolationsLimit' must be an integer of at least 1, got 0; keep at least 1 violation/);
  expect(() => new GatekeeperInstall(chart(), 'Gk', { apiServerCidrs: ['10.0.0.0/33'] })).toThrow(/'apiServerCidrs\[0\]'/);
  expect(() => new GatekeeperInstall(chart(), 'Gk', { exemptNamespaces: ['*'] })).toThrow(/'exemptNamespaces' must hold namespace names or prefix\*\/\*suffix globs, got "\*"/);
  expect(() => new GatekeeperInstall(chart(), 'Gk', { exemptNamespaces: ['Team_A'] })).toThrow(/'exemptNamespaces' must hold namespace names/);
});

test('GatekeeperInstall: an exemption added to the Config after the install reaches the webhook; a webhook-only exemption fails synth', () => {
  const late = chart();
  const catalog = new PolicyCatalog(late, 'Policy', { allowedRepositories: ['harbor.bank.example'], evaluateOnSynth: false });
  const gk = new GatekeeperInstall(late, 'Gk', { config: catalog.config });
  catalog.config.addExemption(PolicyExemption.namespaces(['legacy'], 'legacy batch jobs migrate next quarter'));
  expect(gk.node.validate()).toEqual([]);
  const release = Testing.synth(late).find((o: any) => o.kind === 'HelmRelease');
  expect(release.spec.values.validatingWebhookExemptNamespacesLabels['kubernetes.io/metadata.name']).toContain('legacy');
  expect(release.spec.values.controllerManager.exemptNamespaces).toContain('legacy');
  expect(JSON.parse(release.metadata.annotations['devsecops.cdk8s.io/exemptions']))
    .toContainEqual({ kind: 'namespaces', namespaces: ['legacy'], reason: 'legacy batch jobs migrate next quarter' });

  const extra = chart();
  const cat2 = new PolicyCatalog(extra, 'Policy', { allowedRepositories: ['harbor.bank.example'], evaluateOnSynth: false });
  const gk2 = new GatekeeperInstall(extra, 'Gk', { config: cat2.config, exemptNamespaces: ['monitoring'] });
  expect(gk2.node.validate()).toEqual([expect.stringMatching(/'exemptNamespaces' are skipped by the webhook but audited through the Config, got \["monitoring"\]/)]);
});
