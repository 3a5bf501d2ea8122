import { IConstruct } from 'constructs';
import { OciRepositorySpecVerify, OciRepositorySpecVerifyProvider } from '../../imports/flux-source-source.toolkit.fluxcd.io';
import { invalid } from '../../private/errors';
import { isDnsSubdomain } from '../../private/validate';
import { HelmChartVerification } from '../release-settings';

const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** A Flux interval or timeout: a Go duration, or the house error naming `prop`. */
export function fluxDuration(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !DURATION.test(value)) {
    invalid(scope, prop, 'must be a Go duration', value, 'use a value such as "10m", "1h" or "90s"');
  }
  return value;
}

/** `OCIRepository.spec.verify` for a cosign verification of the artifact, checked. */
export function ociVerify(scope: IConstruct, verification: HelmChartVerification): OciRepositorySpecVerify {
  const provider = OciRepositorySpecVerifyProvider.COSIGN;
  if (verification.secretName !== undefined) {
    if (!isDnsSubdomain(verification.secretName)) {
      invalid(scope, 'verification.secretName', 'must be a Secret name (DNS subdomain)', verification.secretName,
        'use the name of a Secret in the install namespace holding the cosign public keys');
    }
    return { provider, secretRef: { name: verification.secretName } };
  }
  for (const [name, pattern] of [['issuer', verification.issuer], ['subject', verification.subject]] as const) {
    if (typeof pattern !== 'string' || pattern.length === 0) {
      invalid(scope, `verification.${name}`, 'must be a non-empty regular expression', pattern,
        'anchor it, for example "^https://token\\.actions\\.githubusercontent\\.com$"');
    }
    try {
      new RegExp(pattern);
    } catch {
      invalid(scope, `verification.${name}`, 'is not a valid regular expression', pattern, 'fix the expression (Go RE2 syntax)');
    }
  }
  return { provider, matchOidcIdentity: [{ issuer: verification.issuer!, subject: verification.subject! }] };
}
