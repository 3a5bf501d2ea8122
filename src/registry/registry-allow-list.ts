import { IRegistryProject } from './registry-project';

/**
 * The allowed-repositories list that follows from the declared registry projects, to hand to
 * `PolicyCatalog` (`allowedRepositories`), so admission allows exactly the platform's projects.
 */
export class RegistryAllowList {
  /**
   * `<host>/<project>` of every project, deduplicated and sorted. Every `repositoryFor(...)` of
   * every project starts with one of them at a path boundary.
   */
  public static repositories(projects: IRegistryProject[]): string[] {
    return Array.from(new Set(projects.map((p) => p.repositoryPrefix))).sort();
  }

  private constructor() {}
}
