import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ciRequires, databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { createRedisSessionStore } from './redis-session-store';
import type { SessionStore, SessionTimeouts } from './session-store';
import { createSqlSessionStore } from './sql-session-store';

/** One backend under test: stores opened here share their storage, like two app nodes would. */
export interface OpenBackend {
  store(timeouts?: Partial<SessionTimeouts>): SessionStore;
  /** Everything the backend holds for sessions, as text (to prove the raw id is never stored). */
  dump(): Promise<string>;
  /** A Redis key's remaining time to live in ms (-2 when gone); SQL backends have none. */
  pttl?(key: string): Promise<number>;
  keyPrefix?: string;
  close(): Promise<void>;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres' | 'redis';
  open(): Promise<OpenBackend>;
}

function sqlBackend(target: ReturnType<typeof databaseTargets>[number]): StoreBackend {
  return {
    name: target.name,
    async open() {
      const database: TestDatabase = await target.create();
      return {
        store: (timeouts) => createSqlSessionStore({ database: database.handle, timeouts }),
        dump: async () =>
          JSON.stringify(await database.handle.db.selectFrom('sessions').selectAll().execute()),
        close: () => database.close(),
      };
    },
  };
}

/** A test Redis client that fails fast instead of reconnecting forever. */
export const testRedis = (url: string) =>
  new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 2_000 });

function redisBackend(url: string | undefined, missing: Error | undefined): StoreBackend {
  return {
    name: 'redis',
    async open() {
      if (!url) throw missing ?? new Error('TEST_REDIS_URL is not set');
      const keyPrefix = `test:${randomUUID()}:`;
      const clients: Redis[] = [];
      const admin = testRedis(url);
      const keys = async () => {
        const found: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
          cursor = next;
          found.push(...batch);
        } while (cursor !== '0');
        return found;
      };
      return {
        keyPrefix,
        store(timeouts) {
          // A client per store: two stores here are two nodes with their own connections.
          const client = testRedis(url);
          clients.push(client);
          return createRedisSessionStore({ redis: client, timeouts, keyPrefix });
        },
        async dump() {
          const entries: unknown[] = [];
          for (const key of await keys()) {
            const type = await admin.type(key);
            entries.push([key, type === 'hash' ? await admin.hgetall(key) : await admin.smembers(key)]);
          }
          return JSON.stringify(entries);
        },
        pttl: (key) => admin.pttl(key),
        async close() {
          const written = await keys();
          if (written.length > 0) await admin.del(...written);
          for (const client of [...clients, admin]) client.disconnect();
        },
      };
    },
  };
}

/** SQLite always, PostgreSQL and Redis when configured (under CI=true a missing one fails). */
export function storeBackends(): StoreBackend[] {
  let url: string | undefined;
  let missing: Error | undefined;
  try {
    url = ciRequires('TEST_REDIS_URL');
  } catch (err) {
    missing = err as Error;
  }
  return [...databaseTargets().map(sqlBackend), ...(url || missing ? [redisBackend(url, missing)] : [])];
}
