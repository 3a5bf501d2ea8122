export * from './scan-economy-report';
