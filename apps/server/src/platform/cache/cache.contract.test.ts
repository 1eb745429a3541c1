import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheTargets } from '../../../../../test/support/redis';
import { ManualClock } from '../clock';
import type { Cache } from './cache';
import { createMemoryCache } from './memory-cache';
import { createRedisCache } from './redis-cache';

const clock = new ManualClock();

describe.each(cacheTargets(clock))('cache contract on $name', (target) => {
  let cache: Cache | undefined;
  const open = async () => {
    cache = await target.create();
    return cache;
  };
  afterEach(async () => {
    await cache?.close();
    cache = undefined;
  });

  it('SEC-5: stores, reads and deletes a value', async () => {
    const c = await open();
    expect(await c.get('person:1')).toBeUndefined();
    await c.set('person:1', '{"displayName":"Ada"}', 60_000);
    expect(await c.get('person:1')).toBe('{"displayName":"Ada"}');
    await c.set('person:1', '{"displayName":"Ada L."}', 60_000);
    expect(await c.get('person:1')).toBe('{"displayName":"Ada L."}');
    await c.del('person:1');
    expect(await c.get('person:1')).toBeUndefined();
    await c.del('never-set');
  });

  it('SEC-5: a value is gone once its time to live has passed', async () => {
    const c = await open();
    const ttl = target.shortTtlMs;
    await c.set('person:2', 'Grace', ttl);
    await target.passTime(Math.floor(ttl * 0.5));
    expect(await c.get('person:2')).toBe('Grace');
    await target.passTime(Math.ceil(ttl * 0.5) + 50);
    expect(await c.get('person:2')).toBeUndefined();
  });

  it('SEC-5: reading a value does not extend its time to live', async () => {
    const c = await open();
    const ttl = target.shortTtlMs;
    await c.set('person:3', 'Linus', ttl);
    await target.passTime(Math.floor(ttl * 0.6));
    expect(await c.get('person:3')).toBe('Linus');
    await target.passTime(Math.floor(ttl * 0.6));
    expect(await c.get('person:3')).toBeUndefined();
  });

  it('SEC-5: a new sync (set) restarts the time to live', async () => {
    const c = await open();
    const ttl = target.shortTtlMs;
    await c.set('person:4', 'Barbara', ttl);
    await target.passTime(Math.floor(ttl * 0.6));
    await c.set('person:4', 'Barbara', ttl);
    await target.passTime(Math.floor(ttl * 0.6));
    expect(await c.get('person:4')).toBe('Barbara');
  });

  it('SEC-5: answers a ping', async () => {
    const c = await open();
    await expect(c.ping()).resolves.toBeUndefined();
  });
});

describe('memory cache', () => {
  it('SEC-5: keeps the 14-day time to live on the injected clock, to the millisecond', async () => {
    const manual = new ManualClock('2026-03-01T08:00:00.000Z');
    const cache = createMemoryCache({ clock: manual });
    const fourteenDays = 14 * 24 * 60 * 60 * 1000;
    await cache.set('person:5', 'Margaret', fourteenDays);
    manual.advance(fourteenDays);
    expect(await cache.get('person:5')).toBe('Margaret');
    manual.advance(1);
    expect(await cache.get('person:5')).toBeUndefined();
    await cache.close();
  });

  it('SEC-5: evicts the least recently used entry past maxEntries', async () => {
    const cache = createMemoryCache({ clock: new ManualClock(), maxEntries: 2 });
    await cache.set('a', '1', 60_000);
    await cache.set('b', '2', 60_000);
    await cache.set('c', '3', 60_000);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('c')).toBe('3');
    await cache.close();
  });

  it('SEC-5: refuses a TTL that is not a positive number of milliseconds', async () => {
    const cache = createMemoryCache({ clock: new ManualClock() });
    await expect(cache.set('a', '1', 0)).rejects.toThrow(RangeError);
    await cache.close();
  });
});

describe('redis cache', () => {
  it('SEC-5: ping against a closed port rejects quickly', async () => {
    const port = await closedPort();
    const cache = createRedisCache({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: 'unused:',
      failFast: true,
    });
    const started = Date.now();
    await expect(cache.ping()).rejects.toThrow(/Cannot connect to Redis: .*ECONNREFUSED/);
    await expect(cache.get('x')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    await cache.close();
  });
});

/** A port that was free a moment ago: nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
