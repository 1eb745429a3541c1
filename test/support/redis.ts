import { randomUUID } from 'node:crypto';
import type { Cache } from '../../apps/server/src/platform/cache/cache';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { createRedisCache } from '../../apps/server/src/platform/cache/redis-cache';
import type { ManualClock } from '../../apps/server/src/platform/clock';

export interface CacheTarget {
  name: 'memory' | 'redis';
  /** A fresh, empty cache; close() removes every key the test wrote. */
  create(): Promise<Cache>;
  /** A TTL short enough to wait out in a test. */
  shortTtlMs: number;
  /** Lets time pass for the cache: moves the ManualClock (memory) or really waits (redis). */
  passTime(ms: number): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The caches a suite must pass on: memory always, Redis when TEST_REDIS_URL is set.
 * Under CI=true a missing TEST_REDIS_URL is a failure, never a skip (ARCHITECTURE rule 9).
 */
export function cacheTargets(clock: ManualClock): CacheTarget[] {
  const targets: CacheTarget[] = [
    {
      name: 'memory',
      create: async () => createMemoryCache({ clock }),
      shortTtlMs: 14 * 24 * 60 * 60 * 1000,
      passTime: async (ms) => clock.advance(ms),
    },
  ];
  const url = process.env.TEST_REDIS_URL;
  if (url) {
    targets.push({
      name: 'redis',
      create: async () => createTestRedisCache(url),
      shortTtlMs: 400,
      passTime: sleep,
    });
  } else if (process.env.CI === 'true') {
    targets.push({
      name: 'redis',
      create: async () => {
        throw new Error('TEST_REDIS_URL is required when CI=true');
      },
      shortTtlMs: 400,
      passTime: sleep,
    });
  }
  return targets;
}

/** A Redis cache under a random key prefix that deletes what it wrote when closed. */
export function createTestRedisCache(url: string): Cache {
  const cache = createRedisCache({ url, keyPrefix: `test:${randomUUID()}:`, failFast: true });
  const written = new Set<string>();
  return {
    get: (key) => cache.get(key),
    async set(key, value, ttlMs) {
      written.add(key);
      await cache.set(key, value, ttlMs);
    },
    del: (key) => cache.del(key),
    ping: () => cache.ping(),
    async close() {
      for (const key of written) await cache.del(key).catch(() => undefined);
      await cache.close();
    },
  };
}
