import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { BuiltInPolicy, PolicyCatalog, PolicyEvaluator } from '../../src/policy';

/** Samples in the gatekeeper-library layout: <policy>/samples/<case>/{constraint,example_allowed,example_disallowed}.yaml */
const CATALOG_DIR = path.join(__dirname, '..', '..', 'src', 'policy', 'catalog');

function load(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON()).filter((d) => d);
}

const chart = new Chart(Testing.app(), 'samples');
const catalog = new PolicyCatalog(chart, 'Catalog', { allowedRepositories: ['harbor.bank.example'], evaluateOnSynth: false });

const cases: Array<[BuiltInPolicy, string]> = [];
for (const policy of PolicyCatalog.POLICIES) {
  const dir = path.join(CATALOG_DIR, policy, 'samples');
  for (const c of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) cases.push([policy, c]);
}

test('every built-in policy ships at least one sample case', () => {
  for (const policy of PolicyCatalog.POLICIES) {
    expect(cases.filter(([p]) => p === policy).length).toBeGreaterThanOrEqual(1);
  }
  expect(cases.length).toBeGreaterThanOrEqual(PolicyCatalog.POLICIES.length);
});

describe.each(cases)('%s / %s', (policy, sample) => {
  const dir = path.join(CATALOG_DIR, policy, 'samples', sample);
  const template = catalog.template(policy).resource.toJson();
  const constraint = load(path.join(dir, 'constraint.yaml'))[0];

  test('the sample constraint is of the template\'s kind', () => {
    expect(constraint.kind).toBe(template.spec.crd.spec.names.kind);
  });

  test('example_allowed passes', () => {
    const report = PolicyEvaluator.evaluateManifests([template, constraint, ...load(path.join(dir, 'example_allowed.yaml'))]);
    expect(report.notEvaluated).toEqual([]);
    expect(report.summary.evaluations).toBeGreaterThan(0);
    expect(report.violations.map((v) => v.message)).toEqual([]);
  });

  test('example_disallowed is denied', () => {
    const report = PolicyEvaluator.evaluateManifests([template, constraint, ...load(path.join(dir, 'example_disallowed.yaml'))]);
    expect(report.notEvaluated).toEqual([]);
    expect(report.violations.length).toBeGreaterThan(0);
    for (const v of report.violations) {
      expect(v.enforcement).toBe('deny');
      expect(v.constraintKind).toBe(constraint.kind);
      expect(v.message).not.toMatch(/CEL error/);
    }
  });
});
