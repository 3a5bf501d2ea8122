export * from './tenancy';
export * from './install';
export * from './policy';
export * from './registry';
export * from './build';
export * from './platform';
export * from './secrets';
