import { shortHash } from '../../private/hash';

/**
 * Name of a tenant's robot in another project: `<verb>-<project>`, or, when that exceeds Harbor
 * robot names' 40 characters, a prefix of the project name and a hash of the whole of it, so
 * distinct tenants never share a robot.
 */
export function robotName(verb: string, projectResourceName: string): string {
  const plain = `${verb}-${projectResourceName}`;
  if (plain.length <= 40) return plain;
  return `${verb}-${projectResourceName.slice(0, 30 - verb.length).replace(/-+$/, '')}-${shortHash(projectResourceName)}`;
}
