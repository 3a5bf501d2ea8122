import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IBuildSigningKey } from './signing-key';
import { invalid } from '../private/errors';
import { isDnsSubdomain, requireDnsLabel } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';
import { ITenant } from '../tenancy/tenant-props';

/**
 * Props of `KpackBuildServiceAccount`.
 */
export interface KpackBuildServiceAccountProps {
  /**
   * Tenant whose namespace the account lives in (where its Images build). Give this or `namespace`.
   * @default - `namespace`
   */
  readonly tenant?: ITenant;

  /**
   * Namespace for an account outside any tenant, such as the one a ClusterBuilder pushes with
   * (`kpack`). Give this or `tenant`.
   * @default - the tenant's namespace
   */
  readonly namespace?: string;

  /**
   * Name of the ServiceAccount.
   * @default 'kpack-build'
   */
  readonly name?: string;

  /**
   * Name of the `kubernetes.io/dockerconfigjson` Secret (in the same namespace) holding push and
   * pull credentials for the registry project, as the registry layer's robot account writes it.
   * kpack reads it from the account's `secrets`; it is also the account's `imagePullSecrets`.
   */
  readonly registryCredentialsSecretName: string;

  /**
   * Further `kubernetes.io/dockerconfigjson` Secrets (same namespace) with pull-only credentials,
   * for images builds read from other registry projects: the builder and run images of the
   * platform project. Listed in `secrets` and `imagePullSecrets`.
   * @default - none
   */
  readonly pullSecretNames?: string[];

  /**
   * Cosign key pair kpack signs every image built under this account with. Its Secret is listed
   * in the account's `secrets`, which is what makes kpack sign.
   * @default - no signing key: accepted for a builder's account, refused by `KpackImage`
   */
  readonly signingKey?: IBuildSigningKey;

  /**
   * Name of a `kubernetes.io/basic-auth` Secret annotated `kpack.io/git: <https://host>` with
   * credentials for private git repositories.
   * @default - none: sources must be readable anonymously
   */
  readonly gitSecretName?: string;
}

/**
 * The service account kpack builds (or, for a ClusterBuilder, pushes the builder) under. It
 * carries credentials by reference only: the registry credentials Secret (in `secrets` and
 * `imagePullSecrets`), the cosign signing Secret and an optional git Secret (in `secrets`). Its
 * API token is not automounted: kpack's controller reads the listed Secrets and mounts them into
 * build pods as volumes; no build step calls the Kubernetes API.
 */
export class KpackBuildServiceAccount extends Construct {
  /** Name of the ServiceAccount. */
  public readonly name: string;
  /** Namespace of the ServiceAccount. */
  public readonly namespace: string;
  /** The tenant the account belongs to, when created for one. */
  public readonly tenant?: ITenant;
  /** Name of the registry credentials Secret. */
  public readonly registryCredentialsSecretName: string;
  /** The signing key, if any. */
  public readonly signingKey?: IBuildSigningKey;

  constructor(scope: Construct, id: string, props: KpackBuildServiceAccountProps) {
    super(scope, id);
    if ((props.tenant === undefined) === (props.namespace === undefined)) {
      invalid(this, 'tenant', 'and \'namespace\' must be given one at a time', { tenant: props.tenant?.namespaceName, namespace: props.namespace },
        'pass tenant for a tenant build account, or namespace (e.g. "kpack") for a platform account');
    }
    this.tenant = props.tenant;
    this.namespace = props.tenant ? props.tenant.namespaceName : requireDnsLabel(this, 'namespace', props.namespace!);
    this.name = props.name ?? 'kpack-build';
    if (!isDnsSubdomain(this.name)) {
      invalid(this, 'name', 'is not a ServiceAccount name (DNS subdomain)', this.name, 'use a name such as "kpack-build"');
    }
    this.registryCredentialsSecretName = requireSecretName(this, 'registryCredentialsSecretName', props.registryCredentialsSecretName);
    this.signingKey = props.signingKey;
    const pulls = (props.pullSecretNames ?? []).map((n, i) => requireSecretName(this, `pullSecretNames[${i}]`, n));
    const secrets = [this.registryCredentialsSecretName, ...pulls];
    if (props.signingKey) {
      secrets.push(requireSecretName(this, 'signingKey.secretName', props.signingKey.secretName));
    }
    if (props.gitSecretName !== undefined) secrets.push(requireSecretName(this, 'gitSecretName', props.gitSecretName));
    if (new Set(secrets).size !== secrets.length) {
      invalid(this, 'signingKey.secretName', 'names the same Secret as another credential', secrets,
        'keep registry credentials, the cosign key pair and git credentials in separate Secrets');
    }

    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: {
          [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE,
          ...(props.tenant ? { [PlatformLabels.TENANT]: props.tenant.namespaceName } : {}),
        },
      },
      automountServiceAccountToken: false,
      secrets: secrets.map((name) => ({ name })),
      imagePullSecrets: [this.registryCredentialsSecretName, ...pulls].map((name) => ({ name })),
    });
  }

  /** The ServiceAccount object. */
  public get apiObject(): ApiObject {
    return this.node.defaultChild as ApiObject;
  }
}

function requireSecretName(scope: Construct, prop: string, value: string): string {
  if (!isDnsSubdomain(value)) {
    invalid(scope, prop, 'is not a Secret name (DNS subdomain)', value, 'pass the name of the Secret, e.g. "harbor-robot-payments"');
  }
  return value;
}
