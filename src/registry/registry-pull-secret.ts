import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy, ExternalSecretSpecTargetTemplateEngineVersion, SecretStore,
  SecretStoreSpecProviderKubernetesServerCaProviderType,
} from '../imports/external-secrets-external-secrets.io';
import { invalid } from '../private/errors';
import { isDnsLabel, isDnsSubdomain } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';

/**
 * Props of `RegistryDockerConfigSecret`.
 */
export interface RegistryDockerConfigSecretProps {
  /** Namespace of both the source Secret and the `kubernetes.io/dockerconfigjson` Secret. */
  readonly namespace: string;
  /** Name of the `kubernetes.io/dockerconfigjson` Secret to produce. */
  readonly secretName: string;
  /** Name of the Secret holding the registry password (for a robot: its connection secret). */
  readonly sourceSecretName: string;
  /** Key of the password in the source Secret. */
  readonly sourceSecretKey: string;
  /** Registry host the credentials are for (the `auths` key). */
  readonly registryHost: string;
  /** Registry user name (for a Harbor project robot: `robot$<project>+<name>`). Not a secret. */
  readonly username: string;
  /**
   * How often External Secrets re-reads the source Secret (Go duration), so a rotated robot
   * secret reaches the dockerconfigjson Secret.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * A `kubernetes.io/dockerconfigjson` Secret built at run time, with no credential in the
 * manifests: an External Secrets `ExternalSecret` (construct id `Resource`) reads the password
 * from a Secret in the same namespace (written there by the Crossplane provider) through a
 * namespaced `SecretStore` of the `kubernetes` provider, and renders the dockerconfigjson with
 * the template engine. The store authenticates as its own ServiceAccount, which a Role allows to
 * `get` only that one Secret.
 *
 * Needs External Secrets Operator (`UpstreamCharts.EXTERNAL_SECRETS`).
 */
export class RegistryDockerConfigSecret extends Construct {
  /** Name of the produced `kubernetes.io/dockerconfigjson` Secret. */
  public readonly secretName: string;
  /** Namespace of the produced Secret. */
  public readonly namespace: string;
  /** The ExternalSecret. */
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: RegistryDockerConfigSecretProps) {
    super(scope, id);
    if (!isDnsLabel(props.namespace)) {
      invalid(this, 'namespace', 'must be a namespace name (DNS label)', props.namespace, 'use the namespace of the workloads that pull, e.g. tenant.namespaceName');
    }
    for (const [prop, v] of [['secretName', props.secretName], ['sourceSecretName', props.sourceSecretName]] as const) {
      if (!isDnsSubdomain(v) || v.length > 200) {
        invalid(this, prop, 'must be a Secret name (DNS subdomain, at most 200 characters)', v, 'use a name such as "harbor-pull"');
      }
    }
    if (props.secretName === props.sourceSecretName) {
      invalid(this, 'secretName', 'must differ from the source Secret', props.secretName, 'choose another name for the dockerconfigjson Secret');
    }
    if (typeof props.username !== 'string' || !/^[A-Za-z0-9$+._-]+$/.test(props.username)) {
      invalid(this, 'username', 'must be a registry user name without quotes or template characters', props.username, 'use the robot name, e.g. "robot$payments+pull"');
    }
    const refresh = props.refreshInterval ?? '1h';
    if (!/^([0-9]+(ms|s|m|h))+$/.test(refresh)) {
      invalid(this, 'refreshInterval', 'must be a Go duration', refresh, 'use a value such as "1h"');
    }
    this.secretName = props.secretName;
    this.namespace = props.namespace;
    const ns = props.namespace;
    const base = props.secretName;
    const labels = { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };
    const reader = `${base}-reader`;

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: reader, namespace: ns, labels },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: reader, namespace: ns, labels },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [props.sourceSecretName], verbs: ['get'] }],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: reader, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: reader },
      subjects: [{ kind: 'ServiceAccount', name: reader, namespace: ns }],
    });
    new SecretStore(this, 'Store', {
      metadata: { name: reader, namespace: ns, labels },
      spec: {
        provider: {
          kubernetes: {
            remoteNamespace: ns,
            server: {
              url: 'https://kubernetes.default.svc',
              caProvider: { type: SecretStoreSpecProviderKubernetesServerCaProviderType.CONFIG_MAP, name: 'kube-root-ca.crt', key: 'ca.crt' },
            },
            auth: { serviceAccount: { name: reader } },
          },
        },
      },
    });

    const host = props.registryHost;
    const user = props.username;
    const dockerConfig = `{"auths":{"${host}":{"username":"${user}","auth":"{{ printf "%s:%s" "${user}" .password | b64enc }}"}}}`;
    this.externalSecret = new ExternalSecret(this, 'Resource', {
      metadata: { name: base, namespace: ns, labels },
      spec: {
        refreshInterval: refresh,
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: reader },
        target: {
          name: base,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.DELETE,
          template: {
            type: 'kubernetes.io/dockerconfigjson',
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: { '.dockerconfigjson': dockerConfig },
          },
        },
        data: [{ secretKey: 'password', remoteRef: { key: props.sourceSecretName, property: props.sourceSecretKey } }],
      },
    });
  }
}
