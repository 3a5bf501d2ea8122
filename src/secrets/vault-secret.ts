import { ApiObject } from 'cdk8s';
import { restartTargetsOf } from './private/restart';
import { SecretDelivery, VaultSecretSource } from './vault-secret-source';
import { ITenant } from '../tenancy/tenant-props';
import { IWorkload } from '../workload/workload-props';

/** One workload's use of a secret. */
export interface VaultSecretConsumer {
  /** The consuming workload. */
  readonly workload: IWorkload;
  /** How the secret reaches its container. */
  readonly delivery: SecretDelivery;
}

/**
 * A secret declared by a workload (`PlatformSecrets.addSecret`): where it comes from in Vault,
 * the Kubernetes Secret the operator writes (`secretName`, derived once), and who consumes it.
 * It never holds a value.
 */
export class VaultSecret {
  /** @internal */
  public static _create(owner: IWorkload, secretName: string, source: VaultSecretSource): VaultSecret {
    return new VaultSecret(owner, secretName, source);
  }

  /** The tenant the secret belongs to (the owner's). */
  public readonly tenant: ITenant;
  /** Name of the Kubernetes Secret the operator writes in the tenant's namespace; also the name of the operator's object. */
  public readonly secretName: string;
  /** Namespace of the Secret (the tenant's). */
  public readonly namespace: string;

  /** The operator's object (VaultStaticSecret, VaultDynamicSecret, VaultPKISecret or ExternalSecret). @internal */
  public _resource?: ApiObject;
  /** The ESO generator, for dynamic and PKI secrets with External Secrets. @internal */
  public _generator?: ApiObject;

  private readonly uses: VaultSecretConsumer[] = [];
  private unused?: string;

  private constructor(
    /** The workload that declared the secret; the operator authenticates to Vault as its service account. */
    public readonly owner: IWorkload,
    secretName: string,
    /** Where the secret comes from in Vault. */
    public readonly source: VaultSecretSource,
  ) {
    this.tenant = owner.tenant;
    this.namespace = owner.namespace;
    this.secretName = secretName;
  }

  /** The workloads that consume the secret and how, in the order they were added. */
  public get consumers(): VaultSecretConsumer[] {
    return [...this.uses];
  }

  /** Why the secret has no consumer, when it was declared unused on purpose. */
  public get unusedReason(): string | undefined {
    return this.unused;
  }

  /**
   * The Deployments restarted when the secret rotates: exactly those of the consuming
   * workloads, sorted and without duplicates. Computed, never typed by hand.
   */
  public get restartTargets(): string[] {
    return restartTargetsOf(this.uses.map((u) => u.workload));
  }

  /** @internal */
  public _addConsumer(consumer: VaultSecretConsumer): void {
    this.uses.push(consumer);
  }

  /** @internal */
  public _markUnused(reason: string): void {
    this.unused = reason;
  }
}
