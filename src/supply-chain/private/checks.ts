/** The chain's synth-time checks: each message names both sides by construct path and the fix. */
import { IConstruct } from 'constructs';
import { policyObjects } from './policy-bundle';

/**
 * The policy bundle (the catalog's templates, expansions and constraints) equals what the App
 * installs: every policy object of the App is in the bundle with the same manifest, and the
 * bundle holds nothing the App does not install.
 */
export function checkPolicyBundle(chain: IConstruct, catalog: IConstruct): string[] {
  const at = (c: IConstruct | string) => `[${typeof c === 'string' ? c : c.node.path}]`;
  const bundle = new Map(policyObjects(catalog).map((o) => [o.key, o]));
  const installed = new Map(policyObjects(chain.node.root).map((o) => [o.key, o]));
  const errors: string[] = [];
  if (catalog.node.root !== chain.node.root) {
    errors.push(`${at(chain)} bundles the policies of ${at(catalog)}, which is not in this App; build the chain with the platform's own PolicyCatalog (platform.policies)`);
    return errors;
  }
  for (const [key, o] of installed) {
    const mine = bundle.get(key);
    if (!mine) {
      errors.push(`${at(chain)} policy bundle (from ${at(catalog)}) lacks ${key}, which ${at(o.path)} installs; policy-check would pass what admission refuses: `
        + 'add the policy through the PolicyCatalog (catalog.template(policy).addConstraint, overrideEnforcement, addExemption), not beside it');
    } else if (JSON.stringify(mine.json) !== JSON.stringify(o.json)) {
      errors.push(`${at(chain)} policy bundle has ${key} as ${at(mine.path)} renders it, but ${at(o.path)} installs another version; install one object per policy`);
    }
  }
  return errors;
}
