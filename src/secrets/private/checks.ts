/** Whole-App checks of the secrets layer: the plaintext guard and the consistency of what the operators write. */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isCertificateBundle } from './connection';
import { CA_SECRET_MARK } from './render';
import { invalidMessage } from '../../private/errors';
import { chainRenderedObjects } from '../../private/rendered-objects';

/** Kinds whose pod templates are scanned for the Secrets they consume. */
const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet']);
const VSO_KINDS = new Set(['VaultStaticSecret', 'VaultDynamicSecret', 'VaultPKISecret']);

/** One object of the App as the checks see it. */
export interface AppObject {
  readonly construct: ApiObject;
  readonly json: any;
}

/**
 * Every ApiObject of the App whose kind the checks read (Secrets, workloads, the operators'
 * objects and Cartographer Workloads), rendered once.
 */
export function collectObjects(root: IConstruct, secretsOnly = false): AppObject[] {
  const wanted = new Set(secretsOnly ? ['Secret'] : ['Secret', 'ExternalSecret', 'Workload', ...POD_KINDS, ...VSO_KINDS]);
  const out: AppObject[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || !wanted.has(c.kind)) continue;
    out.push({ construct: c, json: c.toJson() });
  }
  return out;
}

/** True when `c` or one of its scopes is in `exempt`. */
function exemptionOf(c: IConstruct, exempt: Map<IConstruct, string>): string | undefined {
  for (const s of c.node.scopes.slice().reverse()) {
    const r = exempt.get(s);
    if (r !== undefined) return r;
  }
  return undefined;
}

function secretValues(json: any): Array<{ field: string; keys: string[]; values: string[] }> {
  const out: Array<{ field: string; keys: string[]; values: string[] }> = [];
  for (const field of ['data', 'stringData']) {
    const m = json[field];
    if (!m || typeof m !== 'object' || Object.keys(m).length === 0) continue;
    const keys = Object.keys(m).sort();
    const values = keys.map((k) => field === 'data' ? Buffer.from(String(m[k]), 'base64').toString('utf8') : String(m[k]));
    out.push({ field, keys, values });
  }
  return out;
}

/**
 * The plaintext guard: a core `Secret` with `data` or `stringData`, wherever it comes from
 * (this library, cdk8s-plus, an ApiObject, an Include), is refused, unless it is the secrets
 * layer's own Vault CA Secret holding only public certificates, or is exempted with a reason.
 * Messages name keys, never values.
 */
export function plaintextSecretFindings(objects: AppObject[], exempt: Map<IConstruct, string>): string[] {
  const errors: string[] = [];
  for (const { construct, json } of objects) {
    if (json.kind !== 'Secret' || json.apiVersion !== 'v1') continue;
    const filled = secretValues(json);
    if (filled.length === 0) continue;
    if ((construct as any)[CA_SECRET_MARK] && filled.every((f) => f.values.every(isCertificateBundle))) continue;
    if (exemptionOf(construct, exempt) !== undefined) continue;
    const where = `${json.metadata?.namespace ?? '<no namespace>'}/${json.metadata?.name}`;
    for (const f of filled) {
      errors.push(invalidMessage(construct, f.field, `puts secret values in the manifests (Secret ${where}, keys ${f.keys.join(', ')}; values not shown)`, `Secret ${where}`,
        'declare it as a Vault secret (platform.secrets.addSecret(workload, name, { source: VaultSecretSource.kv({ path }) , delivery })) so the operator writes it in the cluster, '
        + 'or, for a Secret that must stay in the manifests, platform.secrets.exemptPlaintextSecret(construct, reason)'));
    }
  }
  return errors;
}

/** The Secrets a pod spec reads: env, envFrom, secret and projected volumes. */
export function podSecretRefs(spec: any): string[] {
  const names = new Set<string>();
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name) names.add(e.valueFrom.secretKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.secretRef?.name) names.add(e.secretRef.name);
  }
  for (const v of spec?.volumes ?? []) {
    if (v.secret?.secretName) names.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) if (s.secret?.name) names.add(s.secret.name);
  }
  return [...names];
}

/** A workload object of the App: its kind, namespace, name and the Secrets its pods read. */
export interface PodOwner {
  readonly construct: IConstruct;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly secrets: string[];
}

function podSpecOf(json: any): any {
  if (json.kind === 'Pod') return json.spec;
  if (json.kind === 'CronJob') return json.spec?.jobTemplate?.spec?.template?.spec;
  return json.spec?.template?.spec;
}

/**
 * Every workload of the App with the Secrets its pods read: the objects themselves, and the
 * objects a Cartographer Workload hands the supply chain in its `platform-config` param.
 */
export function podOwners(objects: AppObject[]): PodOwner[] {
  const out: PodOwner[] = [];
  const add = (construct: IConstruct, o: any, namespace: string) => {
    if (!POD_KINDS.has(o?.kind)) return;
    const ns = o.metadata?.namespace ?? namespace;
    out.push({ construct, kind: o.kind, namespace: ns, name: o.metadata?.name, secrets: podSecretRefs(podSpecOf(o)) });
  };
  for (const { construct, json } of objects) {
    const rendered = chainRenderedObjects(json, construct.node.path);
    if (rendered.length) for (const r of rendered) add(construct, r.json, json.metadata?.namespace);
    else add(construct, json, json.metadata?.namespace);
  }
  return out;
}

/** One Kubernetes Secret an operator object writes. */
export interface OperatorDestination {
  readonly construct: IConstruct;
  readonly kind: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly restartTargets: Array<{ kind: string; name: string }>;
}

/** The Secrets the operators' objects of the App write (VSO destinations, ESO targets). */
export function operatorDestinations(objects: AppObject[]): OperatorDestination[] {
  const out: OperatorDestination[] = [];
  for (const { construct, json } of objects) {
    const ns = json.metadata?.namespace;
    if (VSO_KINDS.has(json.kind) && String(json.apiVersion).startsWith('secrets.hashicorp.com/')) {
      const restartTargets = json.spec?.rolloutRestartTargets ?? [];
      out.push({ construct, kind: json.kind, namespace: ns, secretName: json.spec?.destination?.name, restartTargets });
    } else if (json.kind === 'ExternalSecret' && String(json.apiVersion).startsWith('external-secrets.io/')) {
      const policy = json.spec?.target?.creationPolicy;
      if (policy === 'None' || policy === 'Merge') continue;
      out.push({ construct, kind: json.kind, namespace: ns, secretName: json.spec?.target?.name ?? json.metadata?.name, restartTargets: [] });
    }
  }
  return out;
}

/**
 * The known restart-loop and ownership mistakes across every operator object of the App, the
 * library's and the user's: two objects writing one Secret (each overwrites the other and
 * restarts its targets at every sync), and a restart target that does not read the Secret.
 */
export function destinationFindings(destinations: OperatorDestination[], owners: PodOwner[]): string[] {
  const errors: string[] = [];
  const byName = new Map<string, OperatorDestination>();
  for (const d of destinations) {
    const key = `${d.namespace}/${d.secretName}`;
    const first = byName.get(key);
    if (first) {
      errors.push(invalidMessage(d.construct, 'destination', `writes the Secret ${key}, which ${first.kind} ${first.construct.node.path} writes too: each overwrites the other and restarts its consumers at every sync`,
        key, 'give every secret its own destination Secret name'));
    } else {
      byName.set(key, d);
    }
    for (const t of d.restartTargets) {
      const target = owners.find((o) => o.kind === t.kind && o.namespace === d.namespace && o.name === t.name);
      if (!target || !target.secrets.includes(d.secretName)) {
        errors.push(invalidMessage(d.construct, 'rolloutRestartTargets', `names ${t.kind} ${d.namespace}/${t.name}, which ${target ? `(${target.construct.node.path}) does not read` : 'does not exist and cannot read'} the Secret ${d.secretName}: it would restart on every rotation for nothing`,
          `${t.kind}/${t.name}`, 'restart only the consumers of the secret (the library computes them from the workloads that add it)'));
      }
    }
  }
  return errors;
}
