export * from './helm-chart';
export * from './release-settings';
export * from './upstream-charts';
export * from './flux-helm-install';
export * from './ca-bundle';
export * from './component-image-report';
