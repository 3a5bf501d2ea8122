export * from './tenancy';
export * from './install';
export * from './platform';
