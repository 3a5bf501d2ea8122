import { IConstruct } from 'constructs';
import { Tier } from '../tenancy/tier';

/**
 * A project of the platform's registry, as the build and policy layers take it: where images
 * of one tenant are pushed and pulled.
 */
export interface IRegistryProject extends IConstruct {
  /** Registry host (`harbor.bank.example`). */
  readonly registryHost: string;
  /** Project name inside the registry (`payments`). */
  readonly projectName: string;
  /** Tier of the tenant the project belongs to; decides signature enforcement. */
  readonly tier: Tier;
  /** `<host>/<project>`: the prefix every repository of the project starts with. */
  readonly repositoryPrefix: string;
  /**
   * Full repository path of an image of this project: `<host>/<project>/<name>`.
   * `name` may contain `/`-separated lowercase path components.
   */
  repositoryFor(name: string): string;
}

/**
 * A Harbor project managed through Crossplane provider-harbor: what robots need to refer to it.
 */
export interface IHarborProject extends IRegistryProject {
  /** Name of the Crossplane `Project` object (cluster-scoped). */
  readonly resourceName: string;
  /** Name of the ProviderConfig its managed resources use. */
  readonly providerConfigName: string;
}
