import { Testing } from 'cdk8s';
import { BuiltInPolicy, ClusterDns, DevSecOpsPlatform, PolicyCatalog, PolicyEnforcement, PolicyGate, Tenant, Tier, UpstreamCharts } from '../../src';
import { named, synthObjects } from '../util';

describe('DevSecOpsPlatform', () => {
  test('addTenant returns a Tenant named by its first argument, in its own chart', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' } });
    const t = platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'payments-eng' });
    expect(Tenant.isTenant(t)).toBe(true);
    expect(t.namespaceName).toBe('payments');
    expect(t.node.path).toBe('bank/payments');
    expect(platform.tenants).toEqual([t]);
    expect(platform.tenant('payments')).toBe(t);
    expect(app.charts).toContain(t);
  });

  test('the platform clusterDns reaches every tenant', () => {
    const app = Testing.app();
    const platform = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' }, clusterDns: ClusterDns.pods('dns', { app: 'coredns' }) });
    platform.addTenant('a', { tier: Tier.DEV, team: 't' });
    const dns = named(synthObjects(app), 'NetworkPolicy', 'allow-egress-to-cluster-dns', 'a');
    expect(dns.spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } },
      podSelector: { matchLabels: { app: 'coredns' } },
    });
  });

  test('fails if two tenants have the same name', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: 'harbor.bank.example' } });
    platform.addTenant('payments', { tier: Tier.SENSITIVE, team: 'a' });
    expect(() => platform.addTenant('payments', { tier: Tier.DEV, team: 'b' }))
      .toThrow("[bank/payments] 'name' is already a tenant of this platform, got \"payments\"; give every tenant a distinct name");
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('fails if a tenant is named like the system namespace %s', (name) => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: 'harbor.bank.example' } });
    expect(() => platform.addTenant(name, { tier: Tier.DEV, team: 't' })).toThrow(`'name' is a Kubernetes system namespace, got "${name}"`);
  });

  test.each(DevSecOpsPlatform.COMPONENT_NAMESPACES)('fails if a tenant takes the component namespace %s', (name) => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: 'harbor.bank.example' } });
    expect(() => platform.addTenant(name, { tier: Tier.DEV, team: 't' }))
      .toThrow(new RegExp(`\\[bank/${name}\\] 'name' is a namespace reserved for a platform component, got "${name}"; choose another name; reserved: `));
  });

  test('reservedNamespaces extends the reserved list', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: 'harbor.bank.example' }, reservedNamespaces: ['istio-system'] });
    expect(() => platform.addTenant('istio-system', { tier: Tier.DEV, team: 't' })).toThrow('reserved for a platform component');
  });

  test('fails on unknown tenant lookups', () => {
    const platform = new DevSecOpsPlatform(Testing.app(), 'bank', { registry: { host: 'harbor.bank.example' } });
    expect(() => platform.tenant('nope')).toThrow("[bank] 'tenant' is not a tenant of this platform, got \"nope\"; use one of: (none yet: call addTenant first)");
  });
});

describe('DevSecOpsPlatform admission policy', () => {
  function platform(props: Partial<ConstructorParameters<typeof DevSecOpsPlatform>[2]> = {}) {
    const app = Testing.app();
    const p = new DevSecOpsPlatform(app, 'bank', { registry: { host: 'harbor.bank.example' }, ...props });
    return { app, p };
  }

  test('installs Gatekeeper through Flux, failing closed, with 3 replicas and the component namespaces exempt', () => {
    const { app } = platform();
    const release = named(synthObjects(app), 'HelmRelease', 'gatekeeper', 'gatekeeper-system');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'gatekeeper', version: UpstreamCharts.GATEKEEPER.version });
    expect(release.spec.values).toMatchObject({ replicas: 3, validatingWebhookFailurePolicy: 'Fail', auditInterval: 60 });
    const skipped = ['gatekeeper-system', 'kube-system', ...DevSecOpsPlatform.COMPONENT_NAMESPACES];
    // the keys chart 3.23 reads (the rendered webhook is checked in test/install/chart-render.test.ts)
    expect(release.spec.values.validatingWebhookExemptNamespacesLabels['kubernetes.io/metadata.name']).toEqual(expect.arrayContaining(skipped));
    expect(release.spec.values.controllerManager.exemptNamespaces).toEqual(expect.arrayContaining(skipped));
    expect(release.spec.values.exemptNamespaces).toBeUndefined();
  });

  test('components: the typed security settings reach each install', () => {
    const { app } = platform({
      registry: { host: 'harbor.bank.example', harbor: { providerCredentialsSecretName: 'creds' } },
      components: {
        gatekeeper: { apiServerCidrs: ['10.0.0.0/28'], auditViolationsLimit: 30 },
        externalSecrets: { replicas: 3 },
        crossplane: { registryCaBundle: { configMapName: 'bank-ca' } },
      },
    });
    const objects = synthObjects(app);
    const gk = named(objects, 'HelmRelease', 'gatekeeper', 'gatekeeper-system').spec.values;
    expect(gk.constraintViolationsLimit).toBe(30);
    expect(gk.controllerManager.networkPolicy.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.0.0.0/28' } }]);
    expect(gk.replicas).toBe(3);
    expect(named(objects, 'HelmRelease', 'external-secrets', 'external-secrets').spec.values.replicaCount).toBe(3);
    expect(named(objects, 'HelmRelease', 'crossplane', 'crossplane-system').spec.values.registryCaBundleConfig).toEqual({ name: 'bank-ca', key: 'ca-bundle.crt' });
  });

  test('the policy report lists the webhook\'s namespace exemptions with their reasons', () => {
    const { app } = platform();
    app.synth();
    const report = PolicyGate.of(app).lastReport!;
    const webhook = report.exemptions.filter((e: any) => e.appliedTo === 'ValidatingWebhookConfiguration/gatekeeper-validating-webhook-configuration');
    expect(webhook.flatMap((e: any) => e.namespaces)).toEqual(expect.arrayContaining(['gatekeeper-system', 'kube-system', 'flux-system', 'harbor']));
    expect(webhook.every((e: any) => e.reason.length >= 10)).toBe(true);
  });

  test('every catalog policy has its default constraint for each tier it applies to, SENSITIVE/STANDARD deny, DEV warn', () => {
    const { app } = platform();
    const objects = synthObjects(app);
    const constraints = objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
    const byName = new Map(constraints.map((c) => [c.metadata.name, c]));
    for (const policy of PolicyCatalog.POLICIES) {
      for (const tier of [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV]) {
        const c = byName.get(`${policy}-${tier}`);
        const sensitiveOnly = ['read-only-root-filesystem', 'service-types', 'ingress-tls', 'node-placement'].includes(policy);
        if (sensitiveOnly && tier !== Tier.SENSITIVE) {
          expect(c).toBeUndefined();
          continue;
        }
        expect(c).toBeDefined();
        expect(c.spec.enforcementAction).toBe(tier === Tier.DEV ? 'warn' : 'deny');
        expect(c.spec.match.namespaceSelector).toEqual({ matchLabels: { 'devsecops.cdk8s.io/tier': tier } });
      }
    }
  });

  test('the allowed-registries constraint admits only the platform registry', () => {
    const { app } = platform();
    for (const tier of ['sensitive', 'standard', 'dev']) {
      const c = named(synthObjects(app), 'DevSecOpsAllowedRepositories', `allowed-repositories-${tier}`);
      expect(c.spec.parameters).toEqual({ repositories: ['harbor.bank.example'] });
    }
  });

  test('policy props reach the catalog and the install', () => {
    const override = { policy: BuiltInPolicy.HOST_PATH, tier: Tier.DEV, enforcement: PolicyEnforcement.DENY };
    const { app } = platform({ policy: { gatekeeperReplicas: 5, failOpen: true, enforcementOverrides: [override] } });
    const objects = synthObjects(app);
    expect(named(objects, 'HelmRelease', 'gatekeeper').spec.values).toMatchObject({ replicas: 5, validatingWebhookFailurePolicy: 'Ignore' });
    expect(objects.find((o) => o.metadata.name === 'host-path-dev').spec.enforcementAction).toBe('deny');
  });

  test.each(['https://harbor.bank.example', 'harbor.bank.example/payments', '', 'Harbor.Bank', 'harbor.bank.example:99999'])('fails if the registry host is %p', (host) => {
    expect(() => platform({ registry: { host } })).toThrow(`[bank] 'registry.host' must be a registry host name with an optional port, got ${JSON.stringify(host)}`);
  });

  test('a registry host may carry a port', () => {
    expect(platform({ registry: { host: 'harbor.bank.example:8443' } }).p.registryHost).toBe('harbor.bank.example:8443');
  });

  test('fails if Gatekeeper replicas are not a positive integer', () => {
    expect(() => platform({ policy: { gatekeeperReplicas: 0 } })).toThrow("[bank/components/gatekeeper] 'replicas' must be an integer of at least 1, got 0");
  });
});
