export * from './devsecops-platform';
