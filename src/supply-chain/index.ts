export * from './tool-images';
export * from './supply-chain-props';
export * from './secure-supply-chain';
export * from './platform-supply-chain';
export * from './install';
export * from './report';
