import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { requireCidr } from '../../private/validate';
import { PlatformVaultConnection } from '../vault-connection';

/** A validated Vault connection. */
export interface ResolvedVaultConnection {
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly caPem: string;
  readonly authMount: string;
  readonly audiences: string[];
  readonly tlsServerName?: string;
  readonly vaultNamespace?: string;
  readonly cidrs: string[];
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/** True when `pem` is one or more PEM certificate blocks and nothing else (no key of any kind). */
export function isCertificateBundle(pem: unknown): pem is string {
  if (typeof pem !== 'string' || /PRIVATE KEY/.test(pem)) return false;
  const blocks = pem.match(CERT_BLOCK);
  return !!blocks && pem.replace(CERT_BLOCK, '').trim() === '';
}

/** Validates the platform's Vault connection (errors at `scope`, props under `secrets.vault`). */
export function resolveVaultConnection(scope: IConstruct, v: PlatformVaultConnection): ResolvedVaultConnection {
  const prop = 'secrets.vault';
  if (!v || typeof v !== 'object') invalid(scope, prop, 'must describe how to reach Vault', v, 'set { address: "https://vault.bank.example:8200", caCertificatePem }');
  const m = typeof v.address === 'string' ? /^([a-z]+):\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:([0-9]{1,5}))?\/?$/.exec(v.address) : null;
  if (!m) {
    invalid(scope, `${prop}.address`, 'must be https://<host>[:port] with no path', v.address, 'e.g. "https://vault.bank.example:8200"');
  }
  if (m[1] !== 'https') {
    invalid(scope, `${prop}.address`, 'must use https: tokens and secret values would cross the network in clear', v.address,
      `serve Vault over TLS and use "https://${m[2]}${m[6] ?? ''}"`);
  }
  const port = m[7] !== undefined ? Number(m[7]) : 443;
  if (port < 1 || port > 65535) invalid(scope, `${prop}.address`, 'has a port outside 1-65535', v.address, 'e.g. "https://vault.bank.example:8200"');
  if (!isCertificateBundle(v.caCertificatePem)) {
    // Never echo the value: it could be a key pasted by mistake.
    invalid(scope, `${prop}.caCertificatePem`, 'must be PEM certificates only (BEGIN CERTIFICATE blocks, no key)', '<not shown>',
      'pass the public CA certificate that signs Vault\'s server certificate');
  }
  const authMount = v.authMount ?? 'kubernetes';
  if (typeof authMount !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/.test(authMount)) {
    invalid(scope, `${prop}.authMount`, 'must be a Vault mount path', authMount, 'e.g. "kubernetes" or "k8s/prod-cluster"');
  }
  const audiences = v.audiences ?? ['vault'];
  if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a.trim() === '')) {
    invalid(scope, `${prop}.audiences`, 'must list at least one audience', audiences, 'use the audience Vault\'s auth roles expect, e.g. ["vault"]');
  }
  if (v.vaultNamespace !== undefined && (typeof v.vaultNamespace !== 'string' || !/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(v.vaultNamespace))) {
    invalid(scope, `${prop}.vaultNamespace`, 'must be a Vault namespace path', v.vaultNamespace, 'e.g. "bank/platform"');
  }
  if (v.cidrs !== undefined && !Array.isArray(v.cidrs)) invalid(scope, `${prop}.cidrs`, 'must be a list of CIDRs', v.cidrs, 'e.g. ["10.50.0.10/32"]');
  const cidrs = (v.cidrs ?? []).map((c, i) => requireCidr(scope, `${prop}.cidrs[${i}]`, c));
  return {
    cidrs,
    address: `https://${m[2]}${m[6] ?? ''}`,
    host: m[2],
    port,
    caPem: v.caCertificatePem.trim() + '\n',
    authMount,
    audiences: [...audiences],
    tlsServerName: v.tlsServerName,
    vaultNamespace: v.vaultNamespace,
  };
}
