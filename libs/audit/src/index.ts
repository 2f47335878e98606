export * from './canonical-json';
export * from './audit-chain';
