export * from './audit';
export * from './auth';
export * from './directory';
export * from './errors';
export * from './health';
export * from './jobs';
export * from './scim';
export * from './tenants';
