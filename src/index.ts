// The layers are re-exported here as they land.
export {};
export * from './policy';
