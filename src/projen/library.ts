/**
 * What the platform-repository tooling needs to know about this library: its name and version,
 * and the toolchain it is built and tested with (read from its own package.json, so a platform
 * repository gets exactly the versions this release was tested against).
 */
import * as fs from 'fs';
import * as path from 'path';

interface LibraryPackage {
  readonly name: string;
  readonly version: string;
  readonly devDependencies: Record<string, string>;
}

/** The library's package.json. */
export const LIBRARY: LibraryPackage = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

/** The exact version of `dep` this library is tested with (its dev dependency, without `^`/`~`). */
export function testedVersion(dep: string): string {
  const v = LIBRARY.devDependencies[dep];
  if (!v) throw new Error(`cdk8s-devsecops/projen: ${LIBRARY.name} records no tested version of ${dep}`);
  return v.replace(/^[~^]/, '');
}

/**
 * TypeScript of platform repositories. TypeScript 7 (what a bare `npm install typescript` gives)
 * has no classic compiler API, so ts-jest and ts-node cannot run it; 5.9 runs both (the
 * packed-consumer check in CI proves it).
 */
export const PLATFORM_TYPESCRIPT = '~5.9.3';
