import { Construct } from 'constructs';
import { HarborProvider } from './harbor-provider';
import { FluxHelmInstall } from '../install/flux-helm-install';
import { UpstreamCharts } from '../install/upstream-charts';
import { invalid } from '../private/errors';
import { isDnsSubdomain, requireQuantity } from '../private/validate';

/** TLS mode of the connection from Harbor to PostgreSQL (libpq `sslmode`). */
export enum HarborDatabaseSslMode {
  /** Encrypted, server certificate and host name verified. */
  VERIFY_FULL = 'verify-full',
  /** Encrypted, server certificate verified, host name not. */
  VERIFY_CA = 'verify-ca',
  /** Encrypted, nothing verified. */
  REQUIRE = 'require',
}

/** The external PostgreSQL database Harbor keeps its state in. */
export interface HarborDatabase {
  /** Host name of the database server. */
  readonly host: string;
  /**
   * Port.
   * @default 5432
   */
  readonly port?: number;
  /** Database user. */
  readonly username: string;
  /** Existing Secret (in Harbor's namespace) with the user's password under key `password`. */
  readonly passwordSecretName: string;
  /**
   * Database of Harbor core.
   * @default 'registry'
   */
  readonly coreDatabase?: string;
  /**
   * Security: TLS mode; anything below VERIFY_FULL accepts a server it cannot authenticate.
   * @default HarborDatabaseSslMode.VERIFY_FULL
   */
  readonly sslMode?: HarborDatabaseSslMode;
}

/** Sizes and class of Harbor's persistent volumes. */
export interface HarborPersistence {
  /**
   * StorageClass of every volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Size of the image storage volume.
   * @default '200Gi'
   */
  readonly registrySize?: string;
  /**
   * Size of the job log volume.
   * @default '1Gi'
   */
  readonly jobLogSize?: string;
  /**
   * Size of the internal Redis volume.
   * @default '1Gi'
   */
  readonly redisSize?: string;
  /**
   * Size of the Trivy cache volume (vulnerability database).
   * @default '5Gi'
   */
  readonly trivySize?: string;
}

/** Props of `HarborInstall`. */
export interface HarborInstallProps {
  /** Host Harbor is served on (`harbor.bank.example`): the ingress host and the external URL. */
  readonly host: string;
  /** Existing TLS Secret (`tls.crt`, `tls.key`) in Harbor's namespace for the ingress. */
  readonly tlsSecretName: string;
  /** Existing Secret with the initial admin password under key `HARBOR_ADMIN_PASSWORD`. */
  readonly adminPasswordSecretName: string;
  /** Existing Secret with Harbor's 16-character encryption key under key `secretKey`. */
  readonly encryptionKeySecretName: string;
  /**
   * Existing Secret with the internal registry credentials under keys `REGISTRY_PASSWD` and
   * `REGISTRY_HTPASSWD` (otherwise the chart's well-known default password is used).
   */
  readonly registryCredentialsSecretName: string;
  /** The external PostgreSQL database. */
  readonly database: HarborDatabase;
  /**
   * Persistent volumes.
   * @default - default StorageClass, 200Gi registry, 1Gi job logs, 1Gi Redis, 5Gi Trivy
   */
  readonly persistence?: HarborPersistence;
  /**
   * IngressClass of the ingress.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;
  /**
   * Exact chart version for this install only.
   * @default - `UpstreamCharts.HARBOR`'s version
   */
  readonly version?: string;
}

/**
 * Harbor installed through Flux (`FluxHelmInstall` of `UpstreamCharts.HARBOR`, construct id
 * `Resource`) with typed values: HTTPS ingress with an existing TLS Secret, Trivy on, every
 * credential from an existing Secret (admin password, encryption key, registry credentials,
 * database password), an external PostgreSQL with verified TLS, and persistent volumes.
 *
 * The namespace enforces Pod Security `baseline` (the chart's level in `UpstreamCharts`): some
 * Harbor pods (nginx, redis, the database init container) run as root or without a seccomp
 * profile, which `restricted` rejects; none needs host access.
 */
export class HarborInstall extends Construct {
  /** The Flux install (escape hatch: `install.addValues(...)`). */
  public readonly install: FluxHelmInstall;
  /** Host Harbor is served on. */
  public readonly host: string;
  /** Namespace Harbor runs in. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: HarborInstallProps) {
    super(scope, id);
    this.host = HarborProvider.requireHost(this, 'host', props.host);
    const secrets: Array<[string, string]> = [
      ['tlsSecretName', props.tlsSecretName],
      ['adminPasswordSecretName', props.adminPasswordSecretName],
      ['encryptionKeySecretName', props.encryptionKeySecretName],
      ['registryCredentialsSecretName', props.registryCredentialsSecretName],
      ['database.passwordSecretName', props.database?.passwordSecretName],
    ];
    for (const [prop, v] of secrets) {
      if (typeof v !== 'string' || !isDnsSubdomain(v)) {
        invalid(this, prop, 'must name an existing Secret (DNS subdomain)', v, 'create the Secret (Vault or External Secrets) and pass its name; literal secret values are never accepted');
      }
    }
    const db = props.database;
    if (typeof db.host !== 'string' || !/^[A-Za-z0-9.-]+$/.test(db.host)) {
      invalid(this, 'database.host', 'must be a host name', db.host, 'use the database server name, e.g. "harbor-db.bank.example"');
    }
    const port = db.port ?? 5432;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      invalid(this, 'database.port', 'must be an integer port between 1 and 65535', port, 'use 5432');
    }
    if (typeof db.username !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(db.username)) {
      invalid(this, 'database.username', 'must be a database user name', db.username, 'use a name such as "harbor"');
    }
    const sslMode = db.sslMode ?? HarborDatabaseSslMode.VERIFY_FULL;
    if (!Object.values(HarborDatabaseSslMode).includes(sslMode)) {
      invalid(this, 'database.sslMode', 'is not a TLS mode', sslMode, 'use HarborDatabaseSslMode.VERIFY_FULL');
    }
    const p = props.persistence ?? {};
    const size = (prop: string, v: string | undefined, d: string) => requireQuantity(this, `persistence.${prop}`, v ?? d);
    if (p.storageClass !== undefined && !isDnsSubdomain(p.storageClass)) {
      invalid(this, 'persistence.storageClass', 'must be a StorageClass name', p.storageClass, 'use a StorageClass of the cluster, e.g. "encrypted-ssd"');
    }
    const volume = (s: string) => ({ storageClass: p.storageClass, size: s, accessMode: 'ReadWriteOnce' });

    this.install = new FluxHelmInstall(this, 'Resource', {
      chart: UpstreamCharts.HARBOR,
      version: props.version,
      values: {
        externalURL: `https://${this.host}`,
        expose: {
          type: 'ingress',
          tls: { enabled: true, certSource: 'secret', secret: { secretName: props.tlsSecretName } },
          ingress: { hosts: { core: this.host }, className: props.ingressClassName },
        },
        existingSecretAdminPassword: props.adminPasswordSecretName,
        existingSecretAdminPasswordKey: 'HARBOR_ADMIN_PASSWORD',
        existingSecretSecretKey: props.encryptionKeySecretName,
        registry: { credentials: { existingSecret: props.registryCredentialsSecretName } },
        database: {
          type: 'external',
          external: {
            host: db.host,
            port: String(port),
            username: db.username,
            coreDatabase: db.coreDatabase ?? 'registry',
            existingSecret: db.passwordSecretName,
            sslmode: sslMode,
          },
        },
        trivy: { enabled: true },
        persistence: {
          enabled: true,
          resourcePolicy: 'keep',
          persistentVolumeClaim: {
            registry: volume(size('registrySize', p.registrySize, '200Gi')),
            jobservice: { jobLog: volume(size('jobLogSize', p.jobLogSize, '1Gi')) },
            redis: volume(size('redisSize', p.redisSize, '1Gi')),
            trivy: volume(size('trivySize', p.trivySize, '5Gi')),
          },
        },
      },
    });
    this.namespace = this.install.namespace;
  }
}
