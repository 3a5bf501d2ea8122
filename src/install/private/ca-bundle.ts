import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { isDnsSubdomain } from '../../private/validate';
import { CaBundleConfigMap } from '../ca-bundle';

/** Checks a CA bundle reference and returns it with its key filled in. */
export function requireCaBundle(scope: IConstruct, prop: string, bundle: CaBundleConfigMap): { name: string; key: string } {
  if (bundle === null || typeof bundle !== 'object' || typeof bundle.configMapName !== 'string' || !isDnsSubdomain(bundle.configMapName)) {
    invalid(scope, `${prop}.configMapName`, 'must name a ConfigMap (DNS subdomain)', bundle?.configMapName,
      'create a ConfigMap with the PEM bundle in the component\'s namespace and pass its name, e.g. "bank-ca"');
  }
  const key = bundle.key ?? 'ca-bundle.crt';
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(key)) {
    invalid(scope, `${prop}.key`, 'must be a ConfigMap key', key, 'use a key such as "ca-bundle.crt"');
  }
  return { name: bundle.configMapName, key };
}
