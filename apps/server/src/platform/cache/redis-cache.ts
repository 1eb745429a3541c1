import { Redis, type RedisOptions } from 'ioredis';
import { assertValidTtl, type Cache } from './cache';

export interface RedisCacheOptions {
  /** `redis://` or `rediss://` (TLS, verified against `ca` when given). */
  url: string;
  /** PEM of the CA that signed the Redis server certificate. */
  ca?: string;
  /** Prepended to every key so several deployments or test runs can share one Redis. */
  keyPrefix: string;
  /**
   * Fail a command at once instead of queueing it while reconnecting; a refused connection is not retried.
   * Tests use this so an unreachable Redis rejects quickly instead of reconnecting forever.
   */
  failFast?: boolean;
  /** Connection errors go here (ioredis emits them as events). */
  onError?: (error: Error) => void;
}

/** The production cache: Redis, run with persistence off so directory data never reaches a disk (SEC-5). */
export function createRedisCache({
  url,
  ca,
  keyPrefix,
  failFast = false,
  onError,
}: RedisCacheOptions): Cache {
  const useTls = url.startsWith('rediss://');
  const options: RedisOptions = {
    keyPrefix,
    lazyConnect: true,
    ...(useTls ? { tls: ca ? { ca, rejectUnauthorized: true } : { rejectUnauthorized: true } } : {}),
    ...(failFast
      ? {
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          connectTimeout: 2_000,
        }
      : {}),
  };
  const client = new Redis(url, options);
  // Without a listener ioredis reports every failed (re)connect as an unhandled error event.
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
    onError?.(error);
  });

  let connecting: Promise<void> | undefined;
  const connected = async (): Promise<void> => {
    if (client.status === 'wait' && !connecting) {
      connecting = client
        .connect()
        .catch((error: unknown) => {
          // ioredis rejects with "Connection is closed"; the reason (refused, TLS) came as an error event.
          const reason = lastError ?? (error instanceof Error ? error : new Error(String(error)));
          throw new Error(`Cannot connect to Redis: ${reason.message}`, { cause: reason });
        })
        .finally(() => {
          connecting = undefined;
        });
    }
    if (connecting) await connecting;
  };

  return {
    async get(key) {
      await connected();
      const value = await client.get(key);
      return value ?? undefined;
    },
    async set(key, value, ttlMs) {
      assertValidTtl(ttlMs);
      await connected();
      await client.set(key, value, 'PX', ttlMs);
    },
    async del(key) {
      await connected();
      await client.del(key);
    },
    async ping() {
      await connected();
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`Unexpected answer to PING: ${answer}`);
    },
    async close() {
      if (client.status === 'ready') {
        await client.quit();
      } else {
        client.disconnect();
      }
    },
  };
}
