export * from './platform-project';
