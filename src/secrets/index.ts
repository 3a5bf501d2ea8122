export * from './external-secrets-install';
export * from './platform-secrets';
export * from './vault-connection';
export * from './vault-secret';
export * from './vault-secret-source';
export * from './vault-secrets-operator-install';
