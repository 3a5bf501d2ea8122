export * from './devsecops-platform';
export * from './platform-components';
