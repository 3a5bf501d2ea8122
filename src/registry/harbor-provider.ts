import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Provider } from '../imports/crossplane-pkg.crossplane.io';
import { ProviderConfig, ProviderConfigSpecCredentialsSource } from '../imports/harbor-harbor.crossplane.io';
import { invalid } from '../private/errors';
import { isDnsLabel, isDnsSubdomain, isRegistryHost } from '../private/validate';
import { PlatformLabels } from '../tenancy/labels';

/**
 * The Harbor API as the registry constructs reach it: the registry host and the Crossplane
 * ProviderConfig whose credentials the provider uses.
 */
export interface IHarborProvider extends IConstruct {
  /** Registry host images are pushed to and pulled from (`harbor.bank.example`). */
  readonly registryHost: string;
  /** Name of the (cluster-scoped) ProviderConfig managed resources refer to. */
  readonly providerConfigName: string;
}

/**
 * Props of `HarborProvider`.
 */
export interface HarborProviderProps {
  /**
   * Registry host (DNS name, optionally with a port), the same as `HarborInstall.host`.
   * Repository paths and robot credentials are derived from it.
   */
  readonly registryHost: string;

  /**
   * Secret (in `credentialsSecretNamespace`) whose key `credentialsSecretKey` holds the JSON the
   * provider reads: `{"url":"https://harbor.bank.example","username":"...","password":"..."}`.
   * A local Harbor user with project-admin rights everywhere is needed (a robot cannot create
   * robots). The library only refers to the Secret; fill it from Vault or External Secrets.
   */
  readonly credentialsSecretName: string;

  /**
   * Namespace of the credentials Secret.
   * @default 'crossplane-system'
   */
  readonly credentialsSecretNamespace?: string;

  /**
   * Key of the credentials Secret holding the JSON.
   * @default 'credentials'
   */
  readonly credentialsSecretKey?: string;

  /**
   * Crossplane package of the provider, pinned to one exact version tag (or digest).
   * @default HarborProvider.PACKAGE
   */
  readonly package?: string;

  /**
   * Name of the ProviderConfig (and of the Provider package object).
   * @default 'harbor'
   */
  readonly name?: string;
}

const PACKAGE_REF = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+(:v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?|@sha256:[a-f0-9]{64})$/;

/**
 * Harbor configured as code through Crossplane: the `pkg.crossplane.io/v1` Provider package of
 * globallogicuki/provider-harbor, pinned to one release, and the `harbor.crossplane.io/v1beta1`
 * ProviderConfig (construct id `Resource`) whose credentials come from a Secret reference.
 * Both objects are cluster-scoped; Crossplane itself is installed with
 * `UpstreamCharts.CROSSPLANE`.
 */
export class HarborProvider extends Construct implements IHarborProvider {
  /**
   * The provider package pinned by default: provider-harbor v3.11.2, the release whose CRDs
   * the library's typed classes were generated from (git tag v3.11.2, commit 060270f; the
   * provider's release workflow publishes the package to xpkg.upbound.io under the git tag).
   */
  public static readonly PACKAGE = 'xpkg.upbound.io/globallogicuki/provider-harbor:v3.11.2';

  /** Validates a registry host: a lowercase DNS name with an optional port, no scheme or path. */
  public static requireHost(scope: IConstruct, prop: string, host: string): string {
    if (!isRegistryHost(host)) {
      invalid(scope, prop, 'must be a registry host name without scheme or path', host, 'use a host such as "harbor.bank.example"');
    }
    return host;
  }

  public readonly registryHost: string;
  public readonly providerConfigName: string;
  /** The Provider package object. */
  public readonly providerPackage: ApiObject;

  constructor(scope: Construct, id: string, props: HarborProviderProps) {
    super(scope, id);
    this.registryHost = HarborProvider.requireHost(this, 'registryHost', props.registryHost);
    const name = props.name ?? 'harbor';
    if (!isDnsSubdomain(name)) {
      invalid(this, 'name', 'must be an object name (DNS subdomain)', name, 'use a name such as "harbor"');
    }
    this.providerConfigName = name;
    const pkg = props.package ?? HarborProvider.PACKAGE;
    if (typeof pkg !== 'string' || !PACKAGE_REF.test(pkg)) {
      invalid(this, 'package', 'must be a package reference pinned to one exact version or digest', pkg,
        `use "${HarborProvider.PACKAGE}" or "<registry>/<org>/provider-harbor@sha256:<digest>"; "latest" and untagged references make installs unreproducible`);
    }
    if (!isDnsSubdomain(props.credentialsSecretName)) {
      invalid(this, 'credentialsSecretName', 'must be a Secret name (DNS subdomain)', props.credentialsSecretName,
        'name the Secret holding the provider credentials JSON, for example "harbor-provider-credentials"');
    }
    const secretNamespace = props.credentialsSecretNamespace ?? 'crossplane-system';
    if (!isDnsLabel(secretNamespace)) {
      invalid(this, 'credentialsSecretNamespace', 'must be a namespace name (DNS label)', secretNamespace, 'use the namespace of the Secret, for example "crossplane-system"');
    }
    const key = props.credentialsSecretKey ?? 'credentials';
    if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) {
      invalid(this, 'credentialsSecretKey', 'must be a Secret data key', key, 'use a key such as "credentials"');
    }
    const labels = { [PlatformLabels.MANAGED_BY]: PlatformLabels.MANAGED_BY_VALUE };

    this.providerPackage = new Provider(this, 'Package', {
      metadata: { name: `provider-${name}`, labels },
      spec: {
        package: pkg,
        packagePullPolicy: 'IfNotPresent',
        revisionActivationPolicy: 'Automatic',
        revisionHistoryLimit: 1,
      },
    });

    new ProviderConfig(this, 'Resource', {
      metadata: { name, labels },
      spec: {
        credentials: {
          source: ProviderConfigSpecCredentialsSource.SECRET,
          secretRef: { name: props.credentialsSecretName, namespace: secretNamespace, key },
        },
      },
    });
  }
}
