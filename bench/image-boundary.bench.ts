/**
 * Measures the two ways of drawing the per-tenant image boundary at N tenants (default 1,000):
 *
 * - map: the catalog's way. One allowed-repositories constraint per tier whose CEL takes the
 *   pod's namespace and looks it up in a parameter map (namespace -> repositories).
 * - per-tenant: one constraint per tenant, matching its namespace, with its repositories.
 *
 * For each: construction of the constraints (and one Namespace and one pod per tenant), the
 * synth-time evaluation of those constraints against the pods (the same CEL Gatekeeper runs),
 * the number of constraint objects and the bytes they add to the output. A full platform synth
 * is not needed to compare the two (see the README's Performance section for that), so the
 * objects are evaluated directly with PolicyEvaluator. Run:
 *   node -r ts-node/register/transpile-only bench/image-boundary.bench.ts [tenants]
 */
import { App, Chart } from 'cdk8s';
import {
  BuiltInPolicy, PlatformLabels, PolicyCatalog, PolicyEvaluator, Tier,
} from '../src';

const HOST = 'harbor.bank.example';
const TIERS = [Tier.SENSITIVE, Tier.STANDARD, Tier.DEV];
const DIGEST = `@sha256:${'a'.repeat(64)}`;

function namespace(name: string, tier: Tier): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [PlatformLabels.TIER]: tier } } };
}

function pod(ns: string, image: string): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: ns }, spec: { containers: [{ name: 'app', image }] } };
}

function measure(n: number, mode: 'map' | 'per-tenant', print = true): void {
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir: '/tmp/unused' });
  const chart = new Chart(app, 'c');
  const catalog = new PolicyCatalog(chart, 'catalog', { allowedRepositories: [], evaluateOnSynth: false });
  const template = catalog.template(BuiltInPolicy.ALLOWED_REPOSITORIES);
  const objects: any[] = [];
  for (let i = 0; i < n; i++) {
    const name = `tenant-${i}`;
    const tier = TIERS[i % 3];
    const tenant = { namespaceName: name, tier } as any;
    if (mode === 'map') {
      catalog.allowTenantRepositories(tenant, [`${HOST}/${name}`]);
    } else {
      template.addConstraint(`t${i}`, {
        name: `allowed-repositories-${name}`,
        match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], namespaces: [name] },
        parameters: { repositories: [`${HOST}/${name}`] },
      });
    }
    objects.push(namespace(name, tier), pod(name, `${HOST}/${name}/app${DIGEST}`));
  }
  // Only the allowed-repositories template and its constraints: the other policies are the same
  // in both modes.
  const constraints = chart.node.findAll().filter((c: any) => c.template === template).map((c: any) => c.resource.toJson());
  if (mode === 'per-tenant') {
    // The per-tier catalog constraints would admit nothing: judge only the per-tenant ones.
    constraints.splice(0, constraints.length, ...constraints.filter((c) => !String(c.metadata.name).startsWith('allowed-repositories-sensitive')
      && !String(c.metadata.name).startsWith('allowed-repositories-standard') && !String(c.metadata.name).startsWith('allowed-repositories-dev')));
  }
  const built = process.hrtime.bigint();
  const report = PolicyEvaluator.evaluateManifests([template.resource.toJson(), ...constraints, ...objects]);
  const evaluated = process.hrtime.bigint();
  const bytes = constraints.reduce((s, c) => s + JSON.stringify(c).length, 0);
  const largest = Math.max(...constraints.map((c) => JSON.stringify(c).length));
  const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(0);
  if (!print) return;
  console.log([
    mode.padEnd(10), String(n).padStart(6), String(constraints.length).padStart(6), ms(t0, built).padStart(8), ms(built, evaluated).padStart(8),
    String(report.summary.evaluations).padStart(9), String(report.violations.length).padStart(5),
    String(Math.round(bytes / 1024)).padStart(7), String(Math.round(largest / 1024)).padStart(7),
  ].join(' | '));
}

const n = Number(process.argv[2] ?? 1000);
// Warm up: compile the template's CEL once, so neither mode pays for it.
measure(30, 'map', false);
measure(30, 'per-tenant', false);
console.log('mode       | tenants | constraints | build ms | eval ms | evaluations | violations | KiB of constraints | largest KiB');
for (const mode of ['map', 'per-tenant'] as const) measure(n, mode);
