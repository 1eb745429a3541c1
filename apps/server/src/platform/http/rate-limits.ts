import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { ErrorCode } from '@thestorage/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from './errors';

export interface RateLimitRule {
  max: number;
  timeWindowMs: number;
}

export interface RateLimitOptions {
  /** Shared across nodes in production, so the limit holds however a load balancer spreads requests. */
  redis?: Redis;
  /** Namespace of the counters in Redis. */
  keyPrefix?: string;
  /** Sign-in routes, per client IP (no one is signed in yet). */
  signIn: RateLimitRule & { prefixes?: string[] };
  /** API routes, per signed-in user, else per client IP. */
  api: RateLimitRule & { prefixes?: string[] };
  /** Who is calling; defaults to the session's user. */
  userIdOf?: (request: FastifyRequest) => string | null | undefined;
}

type Incr = (
  key: string,
  callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
  timeWindow: number,
  max: number,
) => void;

// Fixed window: the first hit of a window starts its expiry; returns the count and the time left.
const INCR_LUA = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`;

/**
 * One Redis counter per key for all routes of a rule (the plugin's own Redis store keeps one per
 * route, which would multiply the limit by the number of routes).
 */
function sharedRedisStore(redis: Redis, keyPrefix: string) {
  const name = 'thestorageRateLimitIncr';
  const commands = redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, number]>>;
  if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys: 1, lua: INCR_LUA });
  const incr: Incr = (key, callback, timeWindow) => {
    commands[name]!(`${keyPrefix}${key}`, timeWindow).then(
      ([current, ttl]) => callback(null, { current, ttl }),
      (error: Error) => callback(error),
    );
  };
  return class SharedRedisStore {
    incr = incr;
    child() {
      return this;
    }
  };
}

/** The client address as Fastify derives it: X-Forwarded-For counts only when trustProxy is configured. */
const clientIp = (request: FastifyRequest) => normalizeIP(request.ip);

/**
 * Rate limits on sign-in and API routes (SEC-14): 429 problem+json `rate_limited` with Retry-After and
 * x-ratelimit-* headers. Register after registerSessions (the API limit is per signed-in user); the
 * check runs before the body is parsed.
 */
export async function registerRateLimits(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  const userIdOf = opts.userIdOf ?? ((request: FastifyRequest) => request.session?.userId);
  await app.register(fastifyRateLimit, {
    global: false,
    ...(opts.redis ? { store: sharedRedisStore(opts.redis, opts.keyPrefix ?? 'rate-limit:') } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError(ErrorCode.RateLimited, 'Too many requests, try again later', {
        details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
  });

  const limiter = (rule: RateLimitRule, keyOf: (request: FastifyRequest) => string) =>
    app.rateLimit({ max: rule.max, timeWindow: rule.timeWindowMs, keyGenerator: keyOf });
  const rules = [
    {
      prefixes: opts.signIn.prefixes ?? ['/auth/'],
      check: limiter(opts.signIn, (request) => `sign-in:ip:${clientIp(request)}`),
    },
    {
      prefixes: opts.api.prefixes ?? ['/api/'],
      check: limiter(opts.api, (request) => {
        const userId = userIdOf(request);
        return userId ? `api:user:${userId}` : `api:ip:${clientIp(request)}`;
      }),
    },
  ];

  app.addHook('preParsing', async (request: FastifyRequest, reply: FastifyReply) => {
    const rule = rules.find((r) => r.prefixes.some((prefix) => request.url.startsWith(prefix)));
    if (rule) await rule.check.call(app, request, reply);
  });
}
