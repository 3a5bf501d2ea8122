export * from './devsecops-platform';
export * from './platform-components';
export * from './platform-props';
