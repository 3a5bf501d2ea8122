import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CosignKeyPair, HarborInstall, HarborProject, HarborProvider, HarborScanSchedule, RegistryAllowList,
  SignaturePolicy, SignaturePolicyInstall,
} from '../../src/registry';
import { Tenant } from '../../src/tenancy/tenant';
import { Tier } from '../../src/tenancy/tier';

/** A fixed ECDSA P-256 public key (cosign's default key type), generated once for the tests. */
export const PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5iqbyk+mFYd65vVX3YIBCVLX25ID
XHjP910LKhixmmpJdshzeRehNhGuQxwOlMex5VqPGFWrwVKxHV4b10Buig==
-----END PUBLIC KEY-----
`;

export const HOST = 'harbor.bank.example';

export function keyPair(): CosignKeyPair {
  return CosignKeyPair.fromPublicKeyPem(PUBLIC_KEY_PEM, { privateKeySecretName: 'cosign-signing-key' });
}

export function provider(scope: Construct): HarborProvider {
  return new HarborProvider(scope, 'HarborProvider', { registryHost: HOST, credentialsSecretName: 'harbor-provider-credentials' });
}

export function harborInstall(scope: Construct): HarborInstall {
  return new HarborInstall(scope, 'Harbor', {
    host: HOST,
    tlsSecretName: 'harbor-tls',
    adminPasswordSecretName: 'harbor-admin',
    encryptionKeySecretName: 'harbor-encryption-key',
    registryCredentialsSecretName: 'harbor-registry-credentials',
    database: { host: 'harbor-db.bank.example', username: 'harbor', passwordSecretName: 'harbor-db' },
    internalSecrets: { coreSecretName: 'harbor-core', jobserviceSecretName: 'harbor-jobservice', registryHttpSecretName: 'harbor-registry-http', xsrfKeySecretName: 'harbor-xsrf', tokenCertSecretName: 'harbor-token-cert' },
  });
}

/** A whole registry layer: installs, provider, one project per tenant, signature policies. */
export function registryApp(app: App, tenants: Array<{ name: string; tier: Tier }>): {
  projects: HarborProject[]; policy: SignaturePolicy; allowed: string[];
} {
  const components = new Chart(app, 'components');
  harborInstall(components);
  new SignaturePolicyInstall(components, 'PolicyController');
  const registry = new Chart(app, 'registry');
  const harbor = provider(registry);
  new HarborScanSchedule(registry, 'Scanning', { provider: harbor });
  const policy = new SignaturePolicy(registry, 'Signatures', { key: keyPair() });
  const projects = tenants.map((t) => {
    const tenant = new Tenant(app, t.name, { tier: t.tier, team: `${t.name}-team` });
    const project = new HarborProject(registry, `Project-${t.name}`, { provider: harbor, tenant, today: '2025-01-01' });
    policy.addProject(project);
    policy.optIn(tenant);
    return project;
  });
  return { projects, policy, allowed: RegistryAllowList.repositories(projects) };
}
