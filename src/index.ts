export * from './tenancy';
export * from './workload';
export * from './install';
export * from './policy';
export * from './registry';
export * from './image-build';
export * from './platform';
export * from './secrets';
