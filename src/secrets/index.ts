export * from './external-secrets-install';
export * from './vault-secrets-operator-install';
