import { Tier } from '../../tenancy/tier';
import { BuiltInPolicy } from '../built-in-policy';
import { GatekeeperParameterSchema as P } from '../parameter-schema';
import { ALL_TIERS, PolicyDefinition } from './definition';

const OBJ = 'variables.anyObject';

const labelOk = `has(${OBJ}.metadata.labels) && l.key in ${OBJ}.metadata.labels && ${OBJ}.metadata.labels[l.key] != '' && (!has(l.allowedRegex) || ${OBJ}.metadata.labels[l.key].matches(l.allowedRegex))`;
const REQUIRED_LABELS: PolicyDefinition = {
  policy: BuiltInPolicy.REQUIRED_LABELS,
  kind: 'DevSecOpsRequiredLabels',
  description: 'Workloads and Namespaces must carry the required labels (owner, data classification), non-empty and matching their pattern.',
  kinds: [
    { apiGroups: [''], kinds: ['Namespace'] },
    { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
    { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
  ],
  tiers: ALL_TIERS,
  parameters: {
    labels: P.arrayOf(P.objectOf({
      key: P.stringType({ description: 'Label key.' }),
      allowedRegex: P.stringType({ description: 'RE2 pattern the value must match.' }),
    })),
  },
  variables: [
    { name: 'required', expression: 'variables.params == null || !has(variables.params.labels) ? [] : variables.params.labels' },
    { name: 'missing', expression: `variables.required.filter(l, !(${labelOk})).map(l, l.key)` },
  ],
  validations: [{
    expression: 'size(variables.missing) == 0',
    messageExpression: `${OBJ}.kind + ' must carry non-empty labels matching their pattern: ' + variables.missing.join(', ')`,
  }],
  parametersFor: (_tier, ctx) => ({ labels: ctx.requiredLabels.map((key) => ({ key })) }),
};

const SERVICE_TYPES: PolicyDefinition = {
  policy: BuiltInPolicy.SERVICE_TYPES,
  kind: 'DevSecOpsServiceTypes',
  description: 'Services must not use the listed types (NodePort and LoadBalancer expose the workload outside the mesh and network policy).',
  kinds: [{ apiGroups: [''], kinds: ['Service'] }],
  tiers: [Tier.SENSITIVE],
  parameters: { disallowedTypes: P.arrayOf(P.stringEnum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'])) },
  variables: [
    { name: 'type', expression: `has(${OBJ}.spec.type) ? ${OBJ}.spec.type : 'ClusterIP'` },
    { name: 'disallowed', expression: 'variables.params == null || !has(variables.params.disallowedTypes) ? [] : variables.params.disallowedTypes' },
  ],
  validations: [{
    expression: '!(variables.type in variables.disallowed)',
    messageExpression: "'Service type ' + variables.type + ' is not allowed here (disallowed: ' + variables.disallowed.join(', ') + ')'",
  }],
  parametersFor: () => ({ disallowedTypes: ['NodePort', 'LoadBalancer'] }),
};

/** Key names that suggest a credential. */
const SECRET_KEY = '(?i)(passw(or)?d|secret|token|api[-_.]?key|private[-_.]?key|credential|access[-_.]?key)';
/** Values that are credentials: PEM private keys and common token formats. */
const SECRET_VALUE = [
  '-----BEGIN [A-Z ]*PRIVATE KEY-----', // PEM private keys (RSA, EC, OPENSSH, PKCS#8)
  '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b', // AWS access key ids
  '\\bgh[pousr]_[A-Za-z0-9]{36,}', // GitHub tokens
  '\\bglpat-[A-Za-z0-9_-]{20,}', // GitLab personal access tokens
  '\\bxox[abposr]-[A-Za-z0-9-]{10,}', // Slack tokens
  '\\bAIza[0-9A-Za-z_-]{35}', // Google API keys
  '\\bsk_live_[0-9A-Za-z]{24,}', // Stripe live secret keys
  '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]+', // JSON Web Tokens
].join('|');
const CONFIGMAP_SECRETS: PolicyDefinition = {
  policy: BuiltInPolicy.CONFIGMAP_SECRETS,
  kind: 'DevSecOpsConfigMapSecrets',
  description: 'ConfigMaps must not hold secret-like data: keys named like credentials, PEM private keys or common token formats. Values are never echoed.',
  kinds: [{ apiGroups: [''], kinds: ['ConfigMap'] }],
  tiers: ALL_TIERS,
  parameters: { allowedKeys: P.arrayOf(P.stringType(), { description: 'Keys known not to hold secrets (reviewed false positives).' }) },
  variables: [
    { name: 'allowedKeys', expression: 'variables.params == null || !has(variables.params.allowedKeys) ? [] : variables.params.allowedKeys' },
    { name: 'data', expression: `has(${OBJ}.data) ? ${OBJ}.data : {}` },
    { name: 'binaryKeys', expression: `has(${OBJ}.binaryData) ? ${OBJ}.binaryData.map(k, k) : []` },
    { name: 'suspectKeys', expression: `(variables.data.map(k, k) + variables.binaryKeys).filter(k, k.matches('${SECRET_KEY}') && !(k in variables.allowedKeys))` },
    { name: 'suspectValues', expression: `variables.data.filter(k, !(k in variables.allowedKeys) && variables.data[k].matches('${SECRET_VALUE.replace(/\\/g, '\\\\')}'))` },
  ],
  validations: [
    { expression: 'size(variables.suspectKeys) == 0', messageExpression: "'ConfigMap keys look like credentials (use a Secret backed by Vault or External Secrets): ' + variables.suspectKeys.join(', ')" },
    { expression: 'size(variables.suspectValues) == 0', messageExpression: "'ConfigMap values contain private keys or tokens (use a Secret backed by Vault or External Secrets): ' + variables.suspectValues.join(', ')" },
  ],
};

const SERVICE_ACCOUNT_TOKEN: PolicyDefinition = {
  policy: BuiltInPolicy.SERVICE_ACCOUNT_TOKEN,
  kind: 'DevSecOpsServiceAccountToken',
  description: 'Pods and ServiceAccounts must set automountServiceAccountToken to false; workloads that call the API server are exempted explicitly.',
  kinds: [{ apiGroups: [''], kinds: ['Pod', 'ServiceAccount'] }],
  tiers: ALL_TIERS,
  variables: [
    { name: 'automount', expression: `${OBJ}.kind == 'Pod' ? ${OBJ}.spec : ${OBJ}` },
  ],
  validations: [{
    expression: 'has(variables.automount.automountServiceAccountToken) && variables.automount.automountServiceAccountToken == false',
    messageExpression: `${OBJ}.kind + ' must set automountServiceAccountToken: false (exempt workloads that call the Kubernetes API with a PolicyExemption)'`,
  }],
};

const INGRESS_TLS: PolicyDefinition = {
  policy: BuiltInPolicy.INGRESS_TLS,
  kind: 'DevSecOpsIngressTls',
  description: 'Ingresses must terminate TLS, with every rule host listed in a TLS entry.',
  kinds: [{ apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] }],
  tiers: [Tier.SENSITIVE],
  variables: [
    { name: 'tls', expression: `has(${OBJ}.spec.tls) ? ${OBJ}.spec.tls : []` },
    { name: 'hosts', expression: `has(${OBJ}.spec.rules) ? ${OBJ}.spec.rules.filter(r, has(r.host)).map(r, r.host) : []` },
    { name: 'uncovered', expression: 'variables.hosts.filter(h, !variables.tls.exists(t, has(t.hosts) && h in t.hosts))' },
  ],
  validations: [
    { expression: 'size(variables.tls) > 0', message: 'Ingress must define spec.tls' },
    { expression: 'size(variables.uncovered) == 0', messageExpression: "'Ingress hosts must be listed in spec.tls: ' + variables.uncovered.join(', ')" },
  ],
};

export const OBJECT_POLICIES: PolicyDefinition[] = [REQUIRED_LABELS, SERVICE_TYPES, CONFIGMAP_SECRETS, SERVICE_ACCOUNT_TOKEN, INGRESS_TLS];
