/** The operators' objects for one declared secret, per backend. */
import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ResolvedVaultConnection } from './connection';
import { formatDuration } from './duration';
import {
  ExternalSecret, ExternalSecretSpecRefreshPolicy, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy, ExternalSecretSpecTargetTemplateEngineVersion, SecretStore, SecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets-external-secrets.io';
import { VaultDynamicSecret as EsoVaultDynamicSecret, VaultDynamicSecretSpecResultType } from '../../imports/external-secrets-generators-generators.external-secrets.io';
import {
  VaultAuth, VaultAuthSpecMethod, VaultConnection, VaultDynamicSecret, VaultPkiSecret, VaultStaticSecret, VaultStaticSecretSpecType,
} from '../../imports/vault-secrets-operator-secrets.hashicorp.com';
import { PlatformLabels } from '../../tenancy/labels';
import { VaultSecret } from '../vault-secret';
import { VaultSecretKind } from '../vault-secret-source';

/** Name of the platform's VaultConnection, in the operator's namespace. */
export const VSO_CONNECTION_NAME = 'vault';
/** Name of the Secret holding Vault's CA certificate (public), beside the VaultConnection. */
export const VSO_CA_SECRET_NAME = 'vault-ca';
/** Marks the CA Secret the plaintext guard admits (public certificates only, checked by content). */
export const CA_SECRET_MARK = Symbol.for('cdk8s-devsecops.vault-ca-secret');

function managed(): { [key: string]: string } {
  return { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
}

/** Name of the VaultAuth / SecretStore through which the operator authenticates as `serviceAccount`. */
export function authObjectName(serviceAccount: string, mount?: string): string {
  return mount === undefined || mount === 'secret' ? `vault-${serviceAccount}` : `vault-${serviceAccount}-${mount.replace(/[^a-z0-9-]/g, '-')}`;
}

/** The VSO VaultConnection (and its CA Secret) in the operator's namespace. */
export function renderVsoConnection(scope: Construct, namespace: string, conn: ResolvedVaultConnection): void {
  const ca = new k8s.KubeSecret(scope, 'VaultCa', {
    metadata: { name: VSO_CA_SECRET_NAME, namespace, labels: managed() },
    type: 'Opaque',
    stringData: { 'ca.crt': conn.caPem },
  });
  Object.defineProperty(ca, CA_SECRET_MARK, { value: true });
  new VaultConnection(scope, 'VaultConnection', {
    metadata: { name: VSO_CONNECTION_NAME, namespace, labels: managed() },
    spec: {
      address: conn.address,
      skipTlsVerify: false,
      caCertSecretRef: VSO_CA_SECRET_NAME,
      tlsServerName: conn.tlsServerName,
    },
  });
}

/** A VSO VaultAuth: Kubernetes auth as `serviceAccount`, with the tenant's role. */
export function renderVsoAuth(scope: Construct, id: string, namespace: string, serviceAccount: string, role: string,
  conn: ResolvedVaultConnection, operatorNamespace: string): ApiObject {
  return new VaultAuth(scope, id, {
    metadata: { name: authObjectName(serviceAccount), namespace, labels: managed() },
    spec: {
      method: VaultAuthSpecMethod.KUBERNETES,
      mount: conn.authMount,
      namespace: conn.vaultNamespace,
      vaultConnectionRef: `${operatorNamespace}/${VSO_CONNECTION_NAME}`,
      kubernetes: { role, serviceAccount, audiences: [...conn.audiences], tokenExpirationSeconds: 600 },
    },
  });
}

/** The VSO object of one secret; its restart targets are read from the secret's consumers at synth. */
export function renderVsoSecret(scope: Construct, id: string, secret: VaultSecret, conn: ResolvedVaultConnection): ApiObject {
  const source = secret.source;
  const metadata = { name: secret.secretName, namespace: secret.namespace, labels: managed() };
  const destination = { name: secret.secretName, create: true, overwrite: false, labels: managed() };
  const rolloutRestartTargets = Lazy.any({ produce: () => secret.restartTargets.map((name) => ({ kind: 'Deployment', name })) }) as any;
  const vaultAuthRef = authObjectName(secret.owner.serviceAccountName);
  const common = { vaultAuthRef, namespace: conn.vaultNamespace, mount: source.mount, rolloutRestartTargets };
  switch (source.kind) {
    case VaultSecretKind.STATIC: {
      const s = source._static;
      return new VaultStaticSecret(scope, id, {
        metadata,
        spec: {
          ...common,
          type: VaultStaticSecretSpecType.KV_HYPHEN_V2,
          path: s.path,
          version: s.version,
          refreshAfter: formatDuration(source._refreshSeconds()),
          hmacSecretData: true,
          destination,
        },
      });
    }
    case VaultSecretKind.DYNAMIC: {
      const d = source._dynamic;
      return new VaultDynamicSecret(scope, id, {
        metadata,
        spec: {
          ...common,
          path: `creds/${d.role}`,
          renewalPercent: d.renewalPercent ?? 67,
          refreshAfter: d.refreshInterval,
          revoke: true,
          destination,
        },
      });
    }
    default: {
      const p = source._pki;
      return new VaultPkiSecret(scope, id, {
        metadata,
        spec: {
          ...common,
          role: p.role,
          commonName: p.commonName,
          altNames: p.altNames?.length ? [...p.altNames] : undefined,
          ttl: p.ttl,
          expiryOffset: formatDuration(secondsOf(p.renewBefore)),
          format: 'pem',
          revoke: true,
          clear: true,
          destination: { ...destination, type: 'kubernetes.io/tls' },
        },
      });
    }
  }
}

function secondsOf(d: string): number {
  const n = Number(d.slice(0, -1));
  return n * ({ s: 1, m: 60, h: 3600, d: 86400 } as { [u: string]: number })[d.slice(-1)];
}

/** The Vault provider block of ESO stores and generators, authenticating as `serviceAccount`. */
function esoVaultProvider(conn: ResolvedVaultConnection, role: string, serviceAccount: string, kvMount?: string): any {
  return {
    server: conn.address,
    path: kvMount,
    version: kvMount ? SecretStoreSpecProviderVaultVersion.V2 : undefined,
    namespace: conn.vaultNamespace,
    caBundle: Buffer.from(conn.caPem, 'utf8').toString('base64'),
    auth: { kubernetes: { mountPath: conn.authMount, role, serviceAccountRef: { name: serviceAccount, audiences: [...conn.audiences] } } },
  };
}

/** An ESO SecretStore for KV reads from `kvMount` as `serviceAccount`. */
export function renderEsoStore(scope: Construct, id: string, namespace: string, serviceAccount: string, kvMount: string, role: string,
  conn: ResolvedVaultConnection): ApiObject {
  return new SecretStore(scope, id, {
    metadata: { name: authObjectName(serviceAccount, kvMount), namespace, labels: managed() },
    spec: { provider: { vault: esoVaultProvider(conn, role, serviceAccount, kvMount) } },
  });
}

/** The ExternalSecret (and, for dynamic and PKI secrets, its VaultDynamicSecret generator) of one secret. */
export function renderEsoSecret(scope: Construct, id: string, secret: VaultSecret, role: string, conn: ResolvedVaultConnection): void {
  const source = secret.source;
  const metadata = { name: secret.secretName, namespace: secret.namespace, labels: managed() };
  const target = {
    name: secret.secretName,
    creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
    deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.DELETE,
  };
  const refresh = { refreshInterval: formatDuration(source._refreshSeconds()), refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC };
  if (source.kind === VaultSecretKind.STATIC) {
    const s = source._static;
    secret._resource = new ExternalSecret(scope, id, {
      metadata,
      spec: {
        ...refresh,
        secretStoreRef: {
          kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
          name: authObjectName(secret.owner.serviceAccountName, source.mount),
        },
        target,
        dataFrom: [{ extract: { key: s.path, version: s.version !== undefined ? String(s.version) : undefined } }],
      },
    });
    return;
  }
  const pki = source.kind === VaultSecretKind.PKI ? source._pki : undefined;
  secret._generator = new EsoVaultDynamicSecret(scope, `${id}-generator`, {
    metadata,
    spec: {
      path: source.apiPath,
      method: pki ? 'POST' : 'GET',
      parameters: pki ? { common_name: pki.commonName, ttl: pki.ttl, ...(pki.altNames?.length ? { alt_names: pki.altNames.join(',') } : {}) } : undefined,
      resultType: VaultDynamicSecretSpecResultType.DATA,
      provider: esoVaultProvider(conn, role, secret.owner.serviceAccountName),
    },
  });
  secret._resource = new ExternalSecret(scope, id, {
    metadata,
    spec: {
      ...refresh,
      target: pki ? {
        ...target,
        template: {
          type: 'kubernetes.io/tls',
          engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
          data: { 'tls.crt': '{{ .certificate }}', 'tls.key': '{{ .private_key }}', 'ca.crt': '{{ .issuing_ca }}' },
        },
      } : target,
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'VaultDynamicSecret' as any, name: secret.secretName } } }],
    },
  });
}
