import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { isHarborProjectName, isRegistryHost, isRepositoryPath } from '../private/validate';

/**
 * A project (namespace of repositories) in an OCI registry, as the build layer needs it: where
 * builder and application images are pushed. The registry layer's Harbor project implements it;
 * `RegistryLocation.of(host, project)` is the plain value for a project declared elsewhere.
 */
export interface IImageRepositoryLocation {
  /** Registry host, with an optional port (for example `harbor.bank.example`). */
  readonly registryHost: string;
  /** Project name inside the registry (for example `payments`). */
  readonly projectName: string;
  /**
   * The full repository path of `name` inside this project: `<registryHost>/<projectName>/<name>`.
   */
  repositoryFor(name: string): string;
}


/**
 * A registry project given by host and name: the value form of `IImageRepositoryLocation`.
 */
export class RegistryLocation implements IImageRepositoryLocation {
  /**
   * A project `project` on registry `host`.
   * @param host registry host, lowercase, with an optional port (no scheme)
   * @param project project name
   */
  public static of(host: string, project: string): RegistryLocation {
    if (!isRegistryHost(host)) {
      invalid('RegistryLocation.of', 'host', 'is not a lowercase registry host with an optional port', host,
        'pass the host only, e.g. "harbor.bank.example" (no https://, no path)');
    }
    if (!isHarborProjectName(project)) {
      invalid('RegistryLocation.of', 'project', 'is not a registry project name', project,
        'use lowercase letters and digits with single ".", "_" or "-" between them, e.g. "payments"');
    }
    return new RegistryLocation(host, project);
  }

  /**
   * @internal The repository prefix every image of `location` must start with, after checking
   * that the location's own `repositoryFor` keeps inside it.
   */
  public static _prefixOf(scope: IConstruct, prop: string, location: IImageRepositoryLocation): string {
    if (!location || typeof location.registryHost !== 'string' || typeof location.projectName !== 'string' || typeof location.repositoryFor !== 'function') {
      invalid(scope, prop, 'is not an image repository location', location, 'pass a registry project or RegistryLocation.of(host, project)');
    }
    const prefix = `${location.registryHost}/${location.projectName}/`;
    const probe = location.repositoryFor('probe');
    if (probe !== `${prefix}probe`) {
      invalid(scope, prop, `maps repositories outside its project ${prefix}`, probe,
        'repositoryFor(name) must return "<registryHost>/<projectName>/<name>"');
    }
    return prefix;
  }

  /** @internal Validates a repository name inside a project. */
  public static _requireRepositoryName(scope: IConstruct, prop: string, name: string): string {
    if (!isRepositoryPath(name) || name.length > 200) {
      invalid(scope, prop, 'is not a repository name', name,
        'use lowercase path components of letters and digits joined by ".", "_" or "-", separated by "/", e.g. "ledger" or "builders/base"');
    }
    return name;
  }

  public readonly registryHost: string;
  public readonly projectName: string;

  private constructor(host: string, project: string) {
    this.registryHost = host;
    this.projectName = project;
  }

  public repositoryFor(name: string): string {
    return `${this.registryHost}/${this.projectName}/${name}`;
  }
}
