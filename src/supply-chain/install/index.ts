export * from './tekton-pipelines-install';
export * from './cartographer-install';
