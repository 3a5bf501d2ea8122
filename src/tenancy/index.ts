export * from './tier';
export * from './labels';
export * from './pod-security';
export * from './team-access';
export * from './resources';
export * from './cluster-dns';
export * from './network';
export * from './tenant';
