export * from './workload-props';
export * from './workload';
