import { IConstruct } from 'constructs';
import { durationSeconds } from './private/duration';
import { invalid } from '../private/errors';
import { checkWeakening } from '../tenancy/private/weakenings';
import { Weakening } from '../tenancy/weakening';

/** The kinds of Vault secret a workload can consume. */
export enum VaultSecretKind {
  /** A KV version 2 secret, read and re-read on a refresh interval. */
  STATIC = 'static',
  /** Credentials Vault creates on request under a lease (database, RabbitMQ, ...). */
  DYNAMIC = 'dynamic',
  /** A certificate and private key issued by Vault's PKI engine. */
  PKI = 'pki',
}

/** A KV version 2 secret. */
export interface StaticSecretSourceProps {
  /**
   * Path of the secret relative to the KV mount, under the tenant's prefix:
   * `<tenant>/<...>`, e.g. `core-banking/partner-api`.
   */
  readonly path: string;
  /**
   * Mount of the KV version 2 engine.
   * @default 'secret'
   */
  readonly mount?: string;
  /**
   * Version of the secret to read.
   * @default - the latest version
   */
  readonly version?: number;
  /**
   * How often the operator reads the secret again, as a whole number and one unit (`s`, `m`,
   * `h`). A new value written in Vault reaches the pods within this interval.
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * Security: allow a path outside the tenant's prefix (a secret shared across tenants). The
   * tenant's Vault policy then grants that path too; the reason is written in the secrets report.
   * @default - the path must lie under `<tenant>/`
   */
  readonly outsideTenantPrefix?: Weakening;
}

/** Credentials Vault creates under a lease (a database secrets engine role and the like). */
export interface DynamicSecretSourceProps {
  /** Mount of the secrets engine, e.g. `database`. */
  readonly mount: string;
  /**
   * Role of the engine the credentials are created for, named for the tenant:
   * `<tenant>` or `<tenant>-<...>`. The credentials are read from `<mount>/creds/<role>`.
   */
  readonly role: string;
  /**
   * The lease the role gives its credentials (its `default_ttl`), as a whole number and one
   * unit (`s`, `m`, `h`). The library never sees Vault: it checks the refresh against this.
   */
  readonly leaseTtl: string;
  /**
   * Percent of the lease (0-90) at which the credentials are renewed (VSO) or replaced (ESO,
   * which creates new credentials at each refresh).
   * @default 67
   */
  readonly renewalPercent?: number;
  /**
   * How often new credentials are fetched. With VSO it is only used by engines whose response
   * carries no lease; with ESO it is the generation interval. Must be shorter than `leaseTtl`.
   * @default - `renewalPercent` of `leaseTtl`
   */
  readonly refreshInterval?: string;
  /**
   * Security: allow a role not named for the tenant. The reason is written in the secrets report.
   * @default - the role must be `<tenant>` or start with `<tenant>-`
   */
  readonly outsideTenantPrefix?: Weakening;
}

/** A certificate issued by Vault's PKI engine. */
export interface PkiSecretSourceProps {
  /**
   * Mount of the PKI engine.
   * @default 'pki'
   */
  readonly mount?: string;
  /** PKI role that issues the certificate, named for the tenant (`<tenant>` or `<tenant>-<...>`). */
  readonly role: string;
  /** Common name of the certificate. */
  readonly commonName: string;
  /**
   * Further DNS subject alternative names.
   * @default - none
   */
  readonly altNames?: string[];
  /** Validity of each certificate (`72h`, `30d`). */
  readonly ttl: string;
  /**
   * How long before expiry a new certificate is issued (`24h`). Must be shorter than `ttl`.
   */
  readonly renewBefore: string;
  /**
   * Security: allow a PKI role not named for the tenant. The reason is written in the secrets report.
   * @default - the role must be `<tenant>` or start with `<tenant>-`
   */
  readonly outsideTenantPrefix?: Weakening;
}

/**
 * Where a secret comes from in Vault: a KV secret, dynamic credentials or a PKI certificate.
 * Values never pass through the program: a source names a path or a role, never a value.
 */
export class VaultSecretSource {
  /** A KV version 2 secret. */
  public static kv(props: StaticSecretSourceProps): VaultSecretSource {
    return new VaultSecretSource(VaultSecretKind.STATIC, props ?? ({} as StaticSecretSourceProps));
  }

  /** Dynamic credentials under a lease. */
  public static dynamic(props: DynamicSecretSourceProps): VaultSecretSource {
    return new VaultSecretSource(VaultSecretKind.DYNAMIC, props ?? ({} as DynamicSecretSourceProps));
  }

  /** A PKI certificate (delivered as a `kubernetes.io/tls` Secret). */
  public static pki(props: PkiSecretSourceProps): VaultSecretSource {
    return new VaultSecretSource(VaultSecretKind.PKI, props ?? ({} as PkiSecretSourceProps));
  }

  private constructor(
    /** Kind of the secret. */
    public readonly kind: VaultSecretKind,
    private readonly props: StaticSecretSourceProps | DynamicSecretSourceProps | PkiSecretSourceProps,
  ) {}

  /** Props of a static source (internal). @internal */
  public get _static(): StaticSecretSourceProps { return this.props as StaticSecretSourceProps; }
  /** Props of a dynamic source (internal). @internal */
  public get _dynamic(): DynamicSecretSourceProps { return this.props as DynamicSecretSourceProps; }
  /** Props of a PKI source (internal). @internal */
  public get _pki(): PkiSecretSourceProps { return this.props as PkiSecretSourceProps; }

  /** The engine mount the source reads from. */
  public get mount(): string {
    switch (this.kind) {
      case VaultSecretKind.STATIC: return this._static.mount ?? 'secret';
      case VaultSecretKind.DYNAMIC: return this._dynamic.mount;
      default: return this._pki.mount ?? 'pki';
    }
  }

  /**
   * The Vault API path the tenant's policy must grant: `<mount>/data/<path>` (KV v2),
   * `<mount>/creds/<role>` (dynamic) or `<mount>/issue/<role>` (PKI).
   */
  public get apiPath(): string {
    switch (this.kind) {
      case VaultSecretKind.STATIC: return `${this.mount}/data/${this._static.path}`;
      case VaultSecretKind.DYNAMIC: return `${this.mount}/creds/${this._dynamic.role}`;
      default: return `${this.mount}/issue/${this._pki.role}`;
    }
  }

  /** The acknowledgement of a path outside the tenant's prefix, if any. */
  public get outsideTenantPrefix(): Weakening | undefined {
    return this.props.outsideTenantPrefix;
  }

  /**
   * Seconds between two refreshes: the refresh interval (static), the renewal point or the
   * given interval (dynamic), `ttl - renewBefore` (PKI).
   * @internal
   */
  public _refreshSeconds(): number {
    switch (this.kind) {
      case VaultSecretKind.STATIC: return durationSeconds(this._static.refreshInterval ?? '1h')!;
      case VaultSecretKind.DYNAMIC: {
        const d = this._dynamic;
        if (d.refreshInterval !== undefined) return durationSeconds(d.refreshInterval)!;
        return Math.max(1, Math.floor(durationSeconds(d.leaseTtl)! * (d.renewalPercent ?? 67) / 100));
      }
      default: return durationSeconds(this._pki.ttl, true)! - durationSeconds(this._pki.renewBefore, true)!;
    }
  }

  /**
   * Checks the source for the tenant `tenant`, with errors at `scope`/`prop`.
   * @internal
   */
  public _validate(scope: IConstruct | string, prop: string, tenant: string): void {
    checkWeakening(scope, `${prop}.outsideTenantPrefix`, this.props.outsideTenantPrefix);
    const scoped = this.props.outsideTenantPrefix === undefined;
    requireSegment(scope, `${prop}.mount`, this.mount);
    if (this.kind === VaultSecretKind.STATIC) {
      const s = this._static;
      requireVaultPath(scope, `${prop}.path`, s.path);
      if (scoped && !s.path.startsWith(`${tenant}/`)) {
        invalid(scope, `${prop}.path`, `lies outside the tenant's prefix "${tenant}/"`, s.path,
          `use a path under "${tenant}/", or acknowledge a shared path with outsideTenantPrefix: Weakening.acknowledge("<reason>")`);
      }
      if (s.version !== undefined && (!Number.isInteger(s.version) || s.version < 1)) {
        invalid(scope, `${prop}.version`, 'must be a KV version number (1 or more)', s.version, 'omit it to read the latest version');
      }
      requireDuration(scope, `${prop}.refreshInterval`, s.refreshInterval ?? '1h', false);
      return;
    }
    const role = this.kind === VaultSecretKind.DYNAMIC ? this._dynamic.role : this._pki.role;
    requireSegment(scope, `${prop}.role`, role);
    if (scoped && role !== tenant && !role.startsWith(`${tenant}-`)) {
      invalid(scope, `${prop}.role`, `is not named for the tenant ("${tenant}" or "${tenant}-...")`, role,
        `name the Vault role "${tenant}-<purpose>", or acknowledge a shared role with outsideTenantPrefix: Weakening.acknowledge("<reason>")`);
    }
    if (this.kind === VaultSecretKind.DYNAMIC) {
      const d = this._dynamic;
      const lease = requireDuration(scope, `${prop}.leaseTtl`, d.leaseTtl, false);
      const pct = d.renewalPercent ?? 67;
      if (!Number.isInteger(pct) || pct < 0 || pct > 90) {
        invalid(scope, `${prop}.renewalPercent`, 'must be a whole percent from 0 to 90 (the operator\'s range)', pct, 'use the default 67, renewing at two thirds of the lease');
      }
      if (d.refreshInterval !== undefined) {
        const refresh = requireDuration(scope, `${prop}.refreshInterval`, d.refreshInterval, false);
        if (refresh >= lease) {
          invalid(scope, `${prop}.refreshInterval`, `is not shorter than the lease (${d.leaseTtl}): the credentials expire before they are refreshed, and every refresh restarts the consumers with credentials already dead`,
            d.refreshInterval, 'refresh before the lease ends (omit refreshInterval to refresh at renewalPercent of the lease)');
        }
      }
      return;
    }
    const p = this._pki;
    if (typeof p.commonName !== 'string' || !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(p.commonName)) {
      invalid(scope, `${prop}.commonName`, 'must be a DNS name', p.commonName, 'use the name clients connect to, e.g. "ledger.payments.svc"');
    }
    (p.altNames ?? []).forEach((n, i) => {
      if (typeof n !== 'string' || !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(n)) {
        invalid(scope, `${prop}.altNames[${i}]`, 'must be a DNS name', n, 'use a name such as "ledger.payments.svc.cluster.local"');
      }
    });
    const ttl = requireDuration(scope, `${prop}.ttl`, p.ttl, true);
    const before = requireDuration(scope, `${prop}.renewBefore`, p.renewBefore, true);
    if (before >= ttl) {
      invalid(scope, `${prop}.ttl`, `is not longer than its renewal window renewBefore (${p.renewBefore}): every certificate would be renewed as soon as it is issued, restarting the consumers in a loop`,
        p.ttl, 'issue certificates for longer than renewBefore, e.g. ttl "72h" with renewBefore "24h"');
    }
  }
}

/** How a secret reaches the workload's container; both forms are read-only. */
export enum SecretDeliveryKind {
  /** Environment variables, each from one key of the Secret. */
  ENV = 'env',
  /** Every key of the Secret as a file in a read-only directory. */
  FILE = 'file',
}

/** How a secret reaches the container: environment variables from named keys, or mounted files. */
export class SecretDelivery {
  /**
   * Environment variables from named keys: `SecretDelivery.env({ DB_USER: 'username', DB_PASSWORD: 'password' })`.
   * Not offered for PKI secrets (a private key does not belong in the environment).
   */
  public static env(variables: { [envName: string]: string }): SecretDelivery {
    return new SecretDelivery(SecretDeliveryKind.ENV, { ...(variables ?? {}) }, undefined);
  }

  /** Every key of the Secret as a file under `mountPath`, mounted read-only. */
  public static file(mountPath: string): SecretDelivery {
    return new SecretDelivery(SecretDeliveryKind.FILE, undefined, mountPath);
  }

  private constructor(
    /** Kind of delivery. */
    public readonly kind: SecretDeliveryKind,
    /** Environment variable name -> Secret key, for `ENV`. */
    public readonly variables?: { [envName: string]: string },
    /** Directory of the files, for `FILE`. */
    public readonly mountPath?: string,
  ) {}

  /** @internal */
  public _validate(scope: IConstruct | string, prop: string): void {
    if (!(this instanceof SecretDelivery)) {
      invalid(scope, prop, 'must be a SecretDelivery', this, 'use SecretDelivery.env({ NAME: "key" }) or SecretDelivery.file("/var/run/secrets/app")');
    }
    if (this.kind === SecretDeliveryKind.ENV) {
      const entries = Object.entries(this.variables ?? {});
      if (entries.length === 0) invalid(scope, `${prop}.variables`, 'must name at least one variable', this.variables, 'e.g. SecretDelivery.env({ API_KEY: "api-key" })');
      for (const [name, key] of entries) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) invalid(scope, `${prop}.variables`, 'has a name that is not an environment variable name', name, 'use letters, digits and "_", not starting with a digit');
        if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) invalid(scope, `${prop}.variables.${name}`, 'is not a Secret key', key, 'name the key of the Vault secret, e.g. "password"');
      }
      return;
    }
    const p = this.mountPath;
    if (typeof p !== 'string' || !p.startsWith('/') || p === '/' || p.split('/').some((s) => s === '..' || s === '.')) {
      invalid(scope, `${prop}.mountPath`, 'must be an absolute directory path without "." or ".." segments', p, 'use a directory such as "/var/run/secrets/app/db"');
    }
  }
}

function requireDuration(scope: IConstruct | string, prop: string, value: string, allowDays: boolean): number {
  const s = durationSeconds(value, allowDays);
  if (s === undefined) {
    invalid(scope, prop, `is not a duration (a whole number and one unit: s, m, h${allowDays ? ', d' : ''})`, value,
      `use a value such as "${allowDays ? '72h' : '1h'}"`);
  }
  return s;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function requireSegment(scope: IConstruct | string, prop: string, value: string): void {
  if (typeof value !== 'string' || !SEGMENT.test(value) || value === '.' || value === '..') {
    invalid(scope, prop, 'must be one Vault path segment (letters, digits, "_", "-", ".")', value, 'e.g. "database" or "payments-ledger"');
  }
}

function requireVaultPath(scope: IConstruct | string, prop: string, value: string): void {
  if (typeof value !== 'string' || value === '' || value.startsWith('/') || value.endsWith('/')
    || value.split('/').some((s) => s === '' || s === '.' || s === '..' || !SEGMENT.test(s))) {
    invalid(scope, prop, 'must be a path relative to the mount, without "." or ".." segments, empty segments or a leading or trailing "/"', value,
      'write the path below the mount, e.g. "payments/ledger/api-key"');
  }
}
