export * from './lib/projen';
