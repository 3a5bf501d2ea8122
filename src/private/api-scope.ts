import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { CLUSTER_SCOPED_KINDS, NAMESPACED_KINDS } from './api-scopes.generated';

/** Scope of a kind: cluster-scoped, namespaced, or not known to the library. */
export enum ApiScopeKind {
  CLUSTER = 'cluster',
  NAMESPACED = 'namespaced',
  UNKNOWN = 'unknown',
}

/**
 * Gatekeeper generates the CRD of every constraint kind from its ConstraintTemplate, always
 * cluster-scoped; those kinds exist only at run time, so no CRD file lists them.
 */
const CLUSTER_SCOPED_GROUPS = new Set(['constraints.gatekeeper.sh']);

/** API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> core, the empty string). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Scope of `kind` in `apiVersion`'s group, from the Kubernetes 1.28 OpenAPI and the upstream CRDs
 * (api-scopes.generated.ts), plus `extra` (`group/Kind` -> cluster-scoped) learnt from the program.
 */
export function apiScopeOf(apiVersion: string, kind: string, extra?: ReadonlyMap<string, boolean>): ApiScopeKind {
  const group = apiGroupOf(apiVersion);
  const key = `${group}/${kind}`;
  const declared = extra?.get(key);
  if (declared !== undefined) return declared ? ApiScopeKind.CLUSTER : ApiScopeKind.NAMESPACED;
  if (CLUSTER_SCOPED_KINDS.has(key) || CLUSTER_SCOPED_GROUPS.has(group)) return ApiScopeKind.CLUSTER;
  if (NAMESPACED_KINDS.has(key)) return ApiScopeKind.NAMESPACED;
  return ApiScopeKind.UNKNOWN;
}

const LIBRARY_CLUSTER_SCOPED = new WeakSet<ApiObject>();

/**
 * For a cluster-scoped object the library writes into a chart that has a default namespace (a
 * tenant): cdk8s gives every object of such a chart the chart's namespace, which means nothing on
 * a cluster-scoped object and misleads a reviewer, so the field is removed from its manifest. The
 * object is also recorded as the library's own, which the namespace-placement check admits in a
 * tenant chart.
 */
export function placeClusterScoped(obj: ApiObject): ApiObject {
  if (Chart.of(obj).namespace !== undefined && obj.metadata.namespace === Chart.of(obj).namespace) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  LIBRARY_CLUSTER_SCOPED.add(obj);
  return obj;
}

/** Whether `obj` is a cluster-scoped object written by the library (see `placeClusterScoped`). */
export function isLibraryClusterScoped(obj: ApiObject): boolean {
  return LIBRARY_CLUSTER_SCOPED.has(obj);
}
