export * from './canonical-json';
export * from './audit-chain';
export * from './chains-verifier';
export * from './checkpoint';
export * from './checkpoint-store';
export * from './s3-checkpoint-store';
export * from './open-checkpoint-store';
