/** The files the Vault administrator applies: one policy (HCL) and one Kubernetes auth role per tenant. */
import { ResolvedVaultConnection } from './connection';
import { VaultSecret } from '../vault-secret';
import { VaultSecretKind } from '../vault-secret-source';

/** Name of a tenant's Vault policy (and of its Kubernetes auth role). */
export function tenantPolicyName(tenant: string): string {
  return `tenant-${tenant}`;
}

/** The tenant's Vault policy: read exactly the declared paths, plus lease renewal and revocation for dynamic secrets. */
export function tenantPolicyHcl(tenant: string, secrets: VaultSecret[]): string {
  const grants = new Map<string, Set<string>>();
  const grant = (path: string, caps: string[]) => {
    const set = grants.get(path) ?? new Set<string>();
    caps.forEach((c) => set.add(c));
    grants.set(path, set);
  };
  for (const s of secrets) {
    switch (s.source.kind) {
      case VaultSecretKind.STATIC: grant(s.source.apiPath, ['read']); break;
      case VaultSecretKind.DYNAMIC: grant(s.source.apiPath, ['read']); break;
      default: grant(s.source.apiPath, ['create', 'update']);
    }
  }
  if (secrets.some((s) => s.source.kind === VaultSecretKind.DYNAMIC)) {
    // The operator renews the leases it holds, and revokes them when the secret is deleted.
    grant('sys/leases/renew', ['update']);
    grant('sys/leases/revoke', ['update']);
  }
  const order = ['create', 'read', 'update'];
  const lines = [
    `# Vault policy "${tenantPolicyName(tenant)}" for tenant ${tenant}, written by cdk8s-devsecops.`,
    `# Apply: vault policy write ${tenantPolicyName(tenant)} ${tenant}.policy.hcl`,
  ];
  for (const path of [...grants.keys()].sort()) {
    const caps = [...grants.get(path)!].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    lines.push('', `path "${path}" {`, `  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]`, '}');
  }
  return lines.join('\n') + '\n';
}

/**
 * The tenant's Kubernetes auth role, as the body of `vault write auth/<mount>/role/<name> @file`:
 * bound to the service accounts that authenticate for its secrets in its namespace only, to the
 * token audience, and to its policy. Periodic tokens (`token_period`, no `token_max_ttl`): a
 * token that reaches a max TTL takes its dynamic leases down with it, and the operator then
 * issues new credentials and restarts every consumer (hashicorp/vault-secrets-operator#285).
 */
export function tenantAuthRole(tenant: string, serviceAccounts: string[], conn: ResolvedVaultConnection): { [key: string]: unknown } {
  return {
    bound_service_account_names: [...new Set(serviceAccounts)].sort(),
    bound_service_account_namespaces: [tenant],
    audience: conn.audiences[0],
    token_policies: [tenantPolicyName(tenant)],
    token_period: '20m',
    token_ttl: 0,
    token_max_ttl: 0,
  };
}
