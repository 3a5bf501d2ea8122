import { VaultSecretsOperatorInstallProps } from './vault-secrets-operator-install';

/** The operator that turns Vault secrets into Kubernetes Secrets. */
export enum SecretsBackend {
  /**
   * External Secrets Operator (Apache-2.0): a namespaced `SecretStore` per consuming service
   * account, an `ExternalSecret` per secret, and a `VaultDynamicSecret` generator for dynamic and
   * PKI secrets. ESO restarts nothing: secrets are delivered as files, which the kubelet updates
   * in place at each refresh.
   */
  EXTERNAL_SECRETS = 'external-secrets',
  /**
   * HashiCorp Vault Secrets Operator (BUSL-1.1): `VaultConnection`, a `VaultAuth` per consuming
   * service account, and `VaultStaticSecret` / `VaultDynamicSecret` / `VaultPKISecret` whose
   * `rolloutRestartTargets` are the Deployments of the consuming workloads.
   */
  VAULT_SECRETS_OPERATOR = 'vault-secrets-operator',
}

/**
 * How the platform reaches Vault. Vault runs outside the cluster; the platform writes the Vault
 * policies and Kubernetes auth roles its tenants need beside the reports, for the Vault
 * administrator to apply.
 */
export interface PlatformVaultConnection {
  /** Vault's address: `https://<host>[:port]` (TLS is required; no path). */
  readonly address: string;
  /**
   * The CA certificate(s) that sign Vault's server certificate, PEM (public certificates only:
   * a private key is refused).
   */
  readonly caCertificatePem: string;
  /**
   * Mount of Vault's Kubernetes auth method for this cluster.
   * @default 'kubernetes'
   */
  readonly authMount?: string;
  /**
   * Audiences of the service-account tokens presented to Vault; each tenant's auth role is
   * bound to the first.
   * @default ['vault']
   */
  readonly audiences?: string[];
  /**
   * Server name expected in Vault's certificate (SNI).
   * @default - the address's host
   */
  readonly tlsServerName?: string;
  /**
   * IP blocks Vault answers on, for the NetworkPolicies that restrict the operator's egress
   * (External Secrets with `components.externalSecrets.apiServerCidrs`): the controller is let
   * out to them on the address's port, and to nothing else new. Tenant pods never talk to Vault.
   * @default - none; required when the operator's egress is restricted
   */
  readonly cidrs?: string[];
  /**
   * Vault Enterprise namespace every request is made in.
   * @default - none (Vault's root namespace)
   */
  readonly vaultNamespace?: string;
}

/** Vault-backed secrets of the platform. */
export interface PlatformSecretsProps {
  /** How the platform reaches Vault. */
  readonly vault: PlatformVaultConnection;
  /**
   * Which operator delivers the secrets.
   * @default SecretsBackend.EXTERNAL_SECRETS
   */
  readonly backend?: SecretsBackend;
  /**
   * Settings of the Vault Secrets Operator install (with `SecretsBackend.VAULT_SECRETS_OPERATOR`).
   * @default - VaultSecretsOperatorInstall's defaults
   */
  readonly vaultSecretsOperator?: VaultSecretsOperatorInstallProps;
}
