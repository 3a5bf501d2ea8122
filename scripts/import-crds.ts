/**
 * Regenerates src/imports/ from the upstream CRDs in ../shared/crds (or $CRDS_DIR).
 *
 * Only the kinds and versions the library emits are imported (a layer that starts emitting a kind
 * adds it here in the same change; test/imports.test.ts fails on a generated kind nothing uses):
 * each CRD file is filtered down to the listed kinds, and each kind down to one served version, before `cdk8s import` runs. That
 * keeps the generated code (and the jsii compile) small, and makes the generated class name the
 * plain kind (`Task` is Tekton v1, not the first version listed in the CRD).
 *
 * kpack's CRDs carry no schema (x-kubernetes-preserve-unknown-fields); its typed API lives in
 * kpack-swagger.json, so for kpack a structural CRD is built from the swagger definitions first.
 *
 * Run with `npx projen import`. The CRD files themselves never enter the project.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { kpackStructuralSchema } from './kpack-schema';

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.resolve(process.env.CRDS_DIR ?? path.join(ROOT, '..', 'shared', 'crds'));
const OUT = path.join(ROOT, 'src', 'imports');

interface ImportSpec {
  /** Module name: the file written is src/imports/<module>.ts. */
  readonly module: string;
  /** CRD files, relative to the CRD directory. */
  readonly files: string[];
  /** Kind -> the one version imported. */
  readonly kinds: Record<string, string>;
  /** Build the CRDs from a Swagger 2.0 file (kpack) instead of reading them. */
  readonly swagger?: { file: string; definitionPrefix: string; group: string };
}

/** The one table of upstream APIs the library emits. */
const IMPORTS: ImportSpec[] = [
  {
    module: 'gatekeeper',
    files: ['gatekeeper/gatekeeper-crds.yaml'],
    kinds: { ConstraintTemplate: 'v1', Config: 'v1alpha1', ExpansionTemplate: 'v1beta1' },
  },
  {
    module: 'kpack',
    files: ['kpack/kpack-crds.yaml'],
    kinds: {
      ClusterStore: 'v1alpha2',
      ClusterStack: 'v1alpha2',
      ClusterBuilder: 'v1alpha2',
      ClusterLifecycle: 'v1alpha2',
      Image: 'v1alpha2',
    },
    swagger: { file: 'kpack/kpack-swagger.json', definitionPrefix: 'kpack.build.', group: 'kpack.io' },
  },
  {
    module: 'flux-source',
    files: ['flux/flux-crds.yaml'],
    kinds: { HelmRepository: 'v1', OCIRepository: 'v1' },
  },
  {
    module: 'cartographer',
    files: ['cartographer/cartographer-crds.yaml'],
    kinds: {
      ClusterSupplyChain: 'v1alpha1',
      ClusterSourceTemplate: 'v1alpha1',
      ClusterImageTemplate: 'v1alpha1',
      ClusterConfigTemplate: 'v1alpha1',
      ClusterTemplate: 'v1alpha1',
      ClusterRunTemplate: 'v1alpha1',
      Workload: 'v1alpha1',
    },
  },
  {
    module: 'flux-kustomize',
    files: ['flux/flux-crds.yaml'],
    kinds: { Kustomization: 'v1' },
  },
  {
    module: 'flux-helm',
    files: ['flux/flux-helm-controller-crds.yaml'],
    kinds: { HelmRelease: 'v2' },
  },
  {
    module: 'external-secrets',
    files: ['external-secrets/external-secrets-crds.yaml'],
    kinds: { ExternalSecret: 'v1', SecretStore: 'v1' },
  },
  {
    module: 'external-secrets-generators',
    files: ['external-secrets/external-secrets-generators-crds.yaml'],
    kinds: { VaultDynamicSecret: 'v1alpha1' },
  },
  {
    module: 'vault-secrets-operator',
    files: ['vault-secrets-operator/vault-secrets-operator-crds.yaml'],
    kinds: { VaultConnection: 'v1beta1', VaultAuth: 'v1beta1', VaultStaticSecret: 'v1beta1', VaultDynamicSecret: 'v1beta1', VaultPKISecret: 'v1beta1' },
  },
  {
    module: 'policy-controller',
    files: ['policy-controller/policy-controller-crds.yaml'],
    kinds: { ClusterImagePolicy: 'v1beta1' },
  },
  {
    module: 'crossplane',
    files: ['crossplane/crossplane-pkg-crds.yaml'],
    kinds: { Provider: 'v1' },
  },
  {
    module: 'falco',
    files: ['falco/falco-crds.yaml'],
    kinds: { Falco: 'v1alpha1', Rulesfile: 'v1alpha1', Config: 'v1alpha1' },
  },
  {
    module: 'tetragon',
    files: ['tetragon/tetragon-crds.yaml'],
    kinds: { TracingPolicyNamespaced: 'v1alpha1' },
  },
  {
    module: 'harbor',
    files: ['harbor-crossplane/harbor-crossplane-crds.yaml'],
    kinds: {
      ProviderConfig: 'v1beta1',
      Project: 'v1alpha1',
      RobotAccount: 'v1alpha1',
      InterrogationServices: 'v1alpha1',
    },
  },
];

type Json = any;

function readCrds(file: string): Json[] {
  const text = fs.readFileSync(path.join(CRDS, file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJSON())
    .filter((d) => d && d.kind === 'CustomResourceDefinition');
}

/** Keeps the listed kinds, each with only its listed version (marked storage, as the only one). */
function filterCrds(spec: ImportSpec, crds: Json[]): Json[] {
  const out: Json[] = [];
  const seen = new Set<string>();
  for (const crd of crds) {
    const kind: string = crd.spec.names.kind;
    const version = spec.kinds[kind];
    if (!version) continue;
    const v = crd.spec.versions.find((x: Json) => x.name === version);
    if (!v) throw new Error(`${spec.module}: ${kind} has no version ${version} in ${spec.files.join(', ')}`);
    if (v.served === false) throw new Error(`${spec.module}: ${kind} ${version} is not served upstream`);
    seen.add(kind);
    out.push({ ...crd, spec: { ...crd.spec, versions: [{ ...v, storage: true }] } });
  }
  const missing = Object.keys(spec.kinds).filter((k) => !seen.has(k));
  if (missing.length) throw new Error(`${spec.module}: kinds not found upstream: ${missing.join(', ')}`);
  return out;
}

function kpackCrds(spec: ImportSpec, crds: Json[]): Json[] {
  const swagger = JSON.parse(fs.readFileSync(path.join(CRDS, spec.swagger!.file), 'utf8'));
  return filterCrds(spec, crds).map((crd) => {
    const kind: string = crd.spec.names.kind;
    const version: string = crd.spec.versions[0].name;
    const schema = kpackStructuralSchema(swagger, spec.swagger!.definitionPrefix, kind, version);
    return {
      ...crd,
      spec: { ...crd.spec, versions: [{ ...crd.spec.versions[0], schema: { openAPIV3Schema: schema } }] },
    };
  });
}

function main() {
  if (!fs.existsSync(CRDS)) {
    throw new Error(`CRD directory not found: ${CRDS}. Set CRDS_DIR or place the shared CRDs beside the project.`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-devsecops-import-'));
  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (f.endsWith('.ts')) fs.rmSync(path.join(OUT, f));
  try {
    for (const spec of IMPORTS) {
      const all = spec.files.flatMap(readCrds);
      const docs = spec.swagger ? kpackCrds(spec, all) : filterCrds(spec, all);
      const file = path.join(tmp, `${spec.module}.yaml`);
      fs.writeFileSync(file, docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
      execFileSync(
        cdk8s,
        ['import', `${spec.module}:=${file}`, '--language', 'typescript', '--output', OUT, '--no-check-upgrade'],
        // cwd: the temporary folder, because cdk8s import records what it imported in ./cdk8s.yaml.
        { stdio: ['ignore', 'ignore', 'inherit'], cwd: tmp },
      );
      console.log(`imported ${spec.module}: ${Object.entries(spec.kinds).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
