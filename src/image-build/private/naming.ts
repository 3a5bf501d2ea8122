import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { isDnsSubdomain } from '../../private/validate';
import { KpackBuildServiceAccount } from '../build-service-account';

/** Validates the object name of a kpack resource (a DNS subdomain, at most `max` characters). */
export function requireObjectName(scope: IConstruct, value: string, max = 253): string {
  if (!isDnsSubdomain(value) || value.length > max) {
    invalid(scope, 'name', `is not a valid object name (DNS subdomain, at most ${max} characters)`, value,
      'use lowercase letters, digits, "-" and ".", e.g. "base-jammy"');
  }
  return value;
}

/** The `serviceAccountRef` kpack's cluster-scoped kinds take: name and namespace, both required. */
export function serviceAccountRef(sa: KpackBuildServiceAccount | undefined): { name: string; namespace: string } | undefined {
  return sa ? { name: sa.name, namespace: sa.namespace } : undefined;
}

/** Sorted copy, for deterministic output. */
export function sorted(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
