export * from './environment';
export * from './settings';
export * from './policies';
export * from './app-config.service';
export * from './config.module';
export * from './repo-root';
export * from './database-url';
