export type { Cache } from './cache';
export { createMemoryCache, type MemoryCacheOptions } from './memory-cache';
export { createRedisCache, type RedisCacheOptions } from './redis-cache';
