import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { apiGroupOf, apiScopeOf, ApiScopeKind, isLibraryClusterScoped } from '../../private/api-scope';
import { invalidMessage } from '../../private/errors';
import type { ClusterScopedKind, UnmanagedNamespace } from '../namespace-placement';
import type { Tenant } from '../tenant';

const NS = 'metadata.namespace';

/**
 * Every namespace-placement error of the App `scope` belongs to (see `NamespacePlacement`), in
 * one walk of the construct tree: linear in the number of constructs.
 */
export function checkNamespacePlacement(scope: IConstruct): string[] {
  const all = scope.node.root.node.findAll();
  const objects: ApiObject[] = [];
  const tenants: Tenant[] = [];
  const unmanaged = new Map<string, UnmanagedNamespace>();
  const declared = new Map<string, ApiObject>();
  const extraScopes = new Map<string, boolean>();
  for (const c of all) {
    if (c instanceof ApiObject) {
      objects.push(c);
      if (c.kind === 'Namespace' && c.apiVersion === 'v1') declared.set(c.name, c);
      if (c.kind === 'CustomResourceDefinition' && apiGroupOf(c.apiVersion) === 'apiextensions.k8s.io') {
        const spec = c.toJson().spec ?? {};
        if (spec.group && spec.names?.kind) extraScopes.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Cluster');
      }
    } else if (isTenant(c)) {
      tenants.push(c);
    } else if (isUnmanaged(c)) {
      if (!unmanaged.has(c.namespace)) unmanaged.set(c.namespace, c);
    } else if (isClusterScopedKind(c)) {
      extraScopes.set(`${c.apiGroup}/${c.kind}`, true);
    }
  }
  const tenantByNamespace = new Map(tenants.map((t) => [t.namespaceName, t]));
  const errors: string[] = [];
  const unmanagedHint = (ns: string) => `new UnmanagedNamespace(scope, id, { namespace: "${ns}", reason: "..." })`;

  for (const u of unmanaged.values()) {
    const owner = tenantByNamespace.get(u.namespace) ?? declared.get(u.namespace);
    if (owner) {
      errors.push(invalidMessage(u, 'namespace', `is declared by this program at [${owner.node.path}], so it is not unmanaged`, u.namespace,
        'remove the UnmanagedNamespace'));
    }
  }

  for (const obj of objects) {
    const chart = Chart.of(obj);
    const tenant = isTenant(chart) ? chart : undefined;
    const scopeKind = apiScopeOf(obj.apiVersion, obj.kind, extraScopes);
    const ns = obj.metadata.namespace;
    if (scopeKind === ApiScopeKind.CLUSTER) {
      if (tenant && !isLibraryClusterScoped(obj)) {
        errors.push(invalidMessage(obj, 'kind', `is cluster-scoped, and tenant "${tenant.namespaceName}"'s chart holds only objects of its namespace (cdk8s would write the tenant's namespace on it, which the API server ignores)`,
          obj.kind, 'create it in a chart of its own (a new Chart, or platform.components) so its cluster-wide effect is reviewed as such'));
      }
      continue;
    }
    if (tenant) {
      if (ns === tenant.namespaceName) continue;
      const other = ns !== undefined ? tenantByNamespace.get(ns) : undefined;
      if (ns === undefined || ns === '') {
        errors.push(invalidMessage(obj, NS, `is empty in tenant "${tenant.namespaceName}"'s chart`, ns,
          `leave ${NS} unset (the tenant places the object in "${tenant.namespaceName}")`));
      } else if (ns === 'default') {
        errors.push(invalidMessage(obj, NS, `is the "default" namespace, in tenant "${tenant.namespaceName}"'s chart`, ns,
          `leave ${NS} unset (the tenant places the object in "${tenant.namespaceName}")`));
      } else if (other) {
        errors.push(invalidMessage(obj, NS, `names tenant "${ns}" ([${other.node.path}]) from tenant "${tenant.namespaceName}"'s chart`, ns,
          `leave ${NS} unset to place the object in "${tenant.namespaceName}", or create it in tenant "${ns}"`));
      } else if (!declared.has(ns) && !unmanaged.has(ns)) {
        errors.push(invalidMessage(obj, NS, `is a namespace this program does not declare, in tenant "${tenant.namespaceName}"'s chart`, ns,
          `leave ${NS} unset to place the object in "${tenant.namespaceName}"; for a namespace managed elsewhere, declare ${unmanagedHint(ns)}`));
      }
      continue;
    }
    if (ns === undefined || ns === '') {
      const unknown = scopeKind === ApiScopeKind.UNKNOWN
        ? `; if ${obj.kind} is cluster-scoped, declare it with new ClusterScopedKind(scope, id, { apiGroup: "${apiGroupOf(obj.apiVersion)}", kind: "${obj.kind}" }) or add its CustomResourceDefinition to the App`
        : '';
      errors.push(invalidMessage(obj, NS, `is not set on a namespaced ${obj.kind} outside any tenant's chart (it would land in whatever namespace the applier defaults to)`, ns,
        `set ${NS} to a declared namespace, or create the object in a tenant's chart, which places it in the tenant's namespace${unknown}`));
    } else if (!declared.has(ns) && !unmanaged.has(ns) && !tenantByNamespace.has(ns)) {
      errors.push(invalidMessage(obj, NS, 'is a namespace this program does not declare (no tenant, no Namespace object)', ns,
        `use a declared namespace, or, if "${ns}" is managed elsewhere, declare ${unmanagedHint(ns)}`));
    }
  }

  // A tenant of the same platform is reached with NetworkPeer.tenant, which writes both sides.
  for (const t of tenants) {
    for (const { namespace, prop } of t._podsPeerNamespaces()) {
      const other = tenantByNamespace.get(namespace);
      if (other && other !== t && other.node.scope === t.node.scope) {
        errors.push(podsPeerIsTenantMessage(t, prop, namespace));
      }
    }
  }
  return errors;
}

/** The error for `NetworkPeer.podsInNamespace(ns)` naming a tenant of the same platform. */
export function podsPeerIsTenantMessage(scope: IConstruct, prop: string, namespace: string): string {
  return invalidMessage(scope, `${prop}.namespace`, 'is the namespace of a tenant of this platform: a pods peer writes only this side, so the other tenant\'s default-deny still drops the traffic', namespace,
    `use NetworkPeer.tenant(platform.tenant("${namespace}")), which writes the egress and the matching ingress rule`);
}

function isTenant(c: unknown): c is Tenant {
  return typeof c === 'object' && c !== null && (c as any)[TENANT_MARK] === true;
}

function isUnmanaged(c: IConstruct): c is UnmanagedNamespace {
  return (c as any)[UNMANAGED_MARK] === true;
}

function isClusterScopedKind(c: IConstruct): c is ClusterScopedKind {
  return (c as any)[KIND_MARK] === true;
}

/** Marks set by the constructs' constructors, so this module needs no runtime import of them. */
export const TENANT_MARK = Symbol.for('cdk8s-devsecops.tenant');
export const UNMANAGED_MARK = Symbol.for('cdk8s-devsecops.unmanaged-namespace');
export const KIND_MARK = Symbol.for('cdk8s-devsecops.cluster-scoped-kind');
