export * from './canonical-json';
export * from './audit-chain';
export * from './chains-verifier';
