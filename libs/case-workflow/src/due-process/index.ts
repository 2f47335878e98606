export * from './three-distinctions';
export * from './legality-review';
export * from './hearing';
export * from './appeal';
export * from './reopening';
