import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformLabels } from './labels';
import { requireDnsLabel } from '../private/validate';

/**
 * Properties of a `TenantServiceAccount`.
 */
export interface TenantServiceAccountProps {
  /** Name of the service account. */
  readonly name: string;
  /** Namespace it lives in. */
  readonly namespace: string;
  /**
   * Names of image pull Secrets of the namespace it carries.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
}

/**
 * A workload service account of a tenant, without API token automount. It is a cdk8s-plus
 * `IServiceAccount`: pass it to a cdk8s-plus workload (`serviceAccount`) or bind it with a
 * cdk8s-plus `RoleBinding`. Create it with `Tenant.addServiceAccount(name)`, which also
 * records it so the platform's pull credentials reach it.
 *
 * The Kubernetes object is `node.defaultChild` (id `Resource`).
 */
export class TenantServiceAccount extends Construct implements kplus.IServiceAccount {
  /** Name of the service account. */
  public readonly name: string;
  /** Namespace of the service account. */
  public readonly namespace: string;
  /** Always `v1`. */
  public readonly apiVersion = 'v1';
  /** Always `ServiceAccount`. */
  public readonly kind = 'ServiceAccount';
  /** The core API group (empty string). */
  public readonly apiGroup = '';
  /** Always `serviceaccounts`. */
  public readonly resourceType = 'serviceaccounts';
  /** The service account's name. */
  public readonly resourceName?: string;
  /** The ServiceAccount object. */
  public readonly apiObject: ApiObject;

  /**
   * @internal Where the pull Secrets come from when the manifest is written: the tenant's list,
   * so Secrets added to the tenant later still reach every account.
   */
  public _pullSecretSource?: () => string[];

  constructor(scope: Construct, id: string, props: TenantServiceAccountProps) {
    super(scope, id);
    this.name = requireDnsLabel(this, 'name', props?.name);
    this.namespace = requireDnsLabel(this, 'namespace', props.namespace);
    this.resourceName = props.name;
    const own = [...(props.imagePullSecrets ?? [])];
    this.apiObject = new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE } },
      automountServiceAccountToken: false,
      imagePullSecrets: Lazy.any({
        produce: () => {
          const names = [...new Set([...own, ...(this._pullSecretSource?.() ?? [])])];
          return names.length ? names.map((name) => ({ name })) : undefined;
        },
      }),
    });
  }

  /** The RBAC subject of this service account (cdk8s-plus `ISubject`). */
  public toSubjectConfiguration(): kplus.SubjectConfiguration {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }
}
