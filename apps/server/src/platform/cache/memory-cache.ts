import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import { assertValidTtl, type Cache } from './cache';

export interface MemoryCacheOptions {
  clock: Clock;
  /** Oldest-used entries are evicted past this count. */
  maxEntries?: number;
}

/** The embedded default cache: an in-process LRU whose TTLs run on the injected clock. */
export function createMemoryCache({ clock, maxEntries = 500_000 }: MemoryCacheOptions): Cache {
  const entries = new LRUCache<string, string>({
    max: maxEntries,
    // Reads never extend a TTL (SEC-5): the 14 days count from the last successful sync only.
    updateAgeOnGet: false,
    updateAgeOnHas: false,
    allowStale: false,
    ttlAutopurge: false,
    // Expiry is checked against the injected clock on every read, to the millisecond.
    ttlResolution: 0,
    perf: { now: () => clock.now().getTime() },
  });
  let closed = false;
  const open = () => {
    if (closed) throw new Error('Cache is closed');
  };

  return {
    async get(key) {
      open();
      return entries.get(key);
    },
    async set(key, value, ttlMs) {
      open();
      assertValidTtl(ttlMs);
      entries.set(key, value, { ttl: ttlMs });
    },
    async del(key) {
      open();
      entries.delete(key);
    },
    async ping() {
      open();
    },
    async close() {
      closed = true;
      entries.clear();
    },
  };
}
