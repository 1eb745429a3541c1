import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ciRequires } from '../../../../../test/support/databases';
import { testRedis } from '../sessions/session-test-support';
import { registerErrorHandler } from './problem';
import { type RateLimitOptions, registerRateLimits } from './rate-limits';

const WINDOW = 60_000;

/** A node with one sign-in route, two API routes and an unlimited health route. */
async function buildNode(
  overrides: Partial<RateLimitOptions> = {},
  trustProxy = false,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy });
  registerErrorHandler(app);
  // Stands in for registerSessions: the header names the signed-in user.
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const user = request.headers['x-test-user'];
    if (typeof user === 'string')
      request.session = { id: 'test', userId: user, activeTenantId: null, data: {} };
  });
  await registerRateLimits(app, {
    signIn: { max: 3, timeWindowMs: WINDOW },
    api: { max: 2, timeWindowMs: WINDOW },
    ...overrides,
  });
  app.post('/auth/start', async () => ({ ok: true }));
  app.get('/api/v1/devices', async () => ({ ok: true }));
  app.get('/api/v1/tenants', async () => ({ ok: true }));
  app.get('/health', async () => ({ ok: true }));
  await app.ready();
  return app;
}

const expectLimited = (res: LightMyRequestResponse, max: number) => {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().error.code).toBe('rate_limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW / 1000);
  expect(res.json().error.details).toEqual({ retryAfterSeconds: retryAfter });
  expect(res.headers['x-ratelimit-limit']).toBe(String(max));
  expect(res.headers['x-ratelimit-remaining']).toBe('0');
};

describe('rate limits (one node, memory counters)', () => {
  const apps: FastifyInstance[] = [];
  const node = async (overrides: Partial<RateLimitOptions> = {}, trustProxy = false) => {
    const app = await buildNode(overrides, trustProxy);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  const signIn = (app: FastifyInstance, extra: Partial<InjectOptions> = {}) =>
    app.inject({ method: 'POST', url: '/auth/start', ...extra });

  it('SEC-14: sign-in over the limit gets 429 problem+json with Retry-After and x-ratelimit headers', async () => {
    const app = await node();
    for (const remaining of ['2', '1', '0']) {
      const res = await signIn(app);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(remaining);
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    expectLimited(await signIn(app), 3);
    // Routes outside the limited prefixes (health probes) are not counted.
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('SEC-14: with trustProxy off, a forged X-Forwarded-For cannot reset or dodge the limit', async () => {
    const app = await node();
    for (let i = 0; i < 3; i++) {
      const res = await signIn(app, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      expect(res.statusCode).toBe(200);
    }
    for (const forged of ['198.51.100.7', '127.0.0.2', '::1', '10.0.0.1, 203.0.113.99']) {
      expectLimited(await signIn(app, { headers: { 'x-forwarded-for': forged } }), 3);
    }
    // The limit is per address: another real client address still gets in.
    expect((await signIn(app, { remoteAddress: '192.0.2.10' })).statusCode).toBe(200);
  });

  it('SEC-14: behind a configured proxy the client address comes from X-Forwarded-For', async () => {
    const app = await node({}, true);
    for (let i = 0; i < 3; i++) {
      expect((await signIn(app, { headers: { 'x-forwarded-for': '198.51.100.1' } })).statusCode).toBe(200);
    }
    expectLimited(await signIn(app, { headers: { 'x-forwarded-for': '198.51.100.1' } }), 3);
    expect((await signIn(app, { headers: { 'x-forwarded-for': '198.51.100.2' } })).statusCode).toBe(200);
  });

  it('SEC-14: the API limit counts per signed-in user across routes and addresses, else per address', async () => {
    const app = await node();
    const get = (url: string, user?: string, remoteAddress = '192.0.2.1') =>
      app.inject({ method: 'GET', url, remoteAddress, headers: user ? { 'x-test-user': user } : {} });
    expect((await get('/api/v1/devices', 'ada')).statusCode).toBe(200);
    expect((await get('/api/v1/tenants', 'ada', '192.0.2.2')).statusCode).toBe(200);
    expectLimited(await get('/api/v1/devices', 'ada', '192.0.2.3'), 2);
    // Another person on the same address, and anonymous callers, have their own counters.
    expect((await get('/api/v1/devices', 'bob')).statusCode).toBe(200);
    expect((await get('/api/v1/devices')).statusCode).toBe(200);
    expect((await get('/api/v1/devices')).statusCode).toBe(200);
    expectLimited(await get('/api/v1/tenants'), 2);
    // Sign-in and API budgets are separate.
    expect((await signIn(app, { remoteAddress: '192.0.2.1' })).statusCode).toBe(200);
  });

  it('SEC-14: a counter starts again once its window has passed', async () => {
    const app = await node({ signIn: { max: 1, timeWindowMs: 300 } });
    expect((await signIn(app)).statusCode).toBe(200);
    expect((await signIn(app)).statusCode).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await signIn(app)).statusCode).toBe(200);
  });
});

const redisUrl = ciRequires('TEST_REDIS_URL');

describe.each(redisUrl ? [redisUrl] : [])('rate limits shared in Redis', (url) => {
  const keyPrefix = `test:${randomUUID()}:rate-limit:`;
  let clients: Redis[] = [];
  let nodes: FastifyInstance[] = [];
  beforeAll(async () => {
    clients = [testRedis(url), testRedis(url)];
    nodes = await Promise.all(
      clients.map((redis) =>
        buildNode({
          redis,
          keyPrefix,
          api: { max: 4, timeWindowMs: WINDOW },
          signIn: { max: 3, timeWindowMs: WINDOW },
        }),
      ),
    );
  });
  afterAll(async () => {
    for (const app of nodes) await app.close();
    const keys = await clients[0]!.keys(`${keyPrefix}*`);
    if (keys.length > 0) await clients[0]!.del(...keys);
    for (const client of clients) client.disconnect();
  });

  it('SEC-14: two app nodes share one counter (shared across nodes)', async () => {
    const [a, b] = nodes as [FastifyInstance, FastifyInstance];
    const get = (app: FastifyInstance) =>
      app.inject({ method: 'GET', url: '/api/v1/devices', headers: { 'x-test-user': 'ada' } });
    expect((await get(a)).statusCode).toBe(200);
    expect((await get(b)).statusCode).toBe(200);
    expect((await get(a)).statusCode).toBe(200);
    const fourth = await get(b);
    expect(fourth.statusCode).toBe(200);
    expect(fourth.headers['x-ratelimit-remaining']).toBe('0');
    expectLimited(await get(a), 4);
    expectLimited(await get(b), 4);
    // One counter per rule and caller, not per route or node.
    const keys = await clients[0]!.keys(`${keyPrefix}*`);
    expect(keys).toEqual([`${keyPrefix}api:user:ada`]);
  });

  it('SEC-14: a forged X-Forwarded-For does not dodge the shared sign-in limit', async () => {
    const [a, b] = nodes as [FastifyInstance, FastifyInstance];
    const signIn = (app: FastifyInstance, forged: string) =>
      app.inject({ method: 'POST', url: '/auth/start', headers: { 'x-forwarded-for': forged } });
    expect((await signIn(a, '203.0.113.1')).statusCode).toBe(200);
    expect((await signIn(b, '203.0.113.2')).statusCode).toBe(200);
    expect((await signIn(a, '203.0.113.3')).statusCode).toBe(200);
    expectLimited(await signIn(b, '203.0.113.4'), 3);
  });
});
