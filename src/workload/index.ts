export * from './workload-props';
