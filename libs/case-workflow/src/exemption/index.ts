export * from './case-history';
export * from './procedural-report';
export * from './participant-positions';
export * from './loss-tier';
