import type { ChainableCommander, Redis } from 'ioredis';
import {
  expiryReason,
  hashSessionId,
  initialExpiry,
  newSessionId,
  resolveTimeouts,
  type Session,
  type SessionData,
  type SessionLookup,
  type SessionStore,
  type SessionTimeouts,
} from './session-store';

/*
 * One Redis hash per session, `session:<sha256>`: u user, t active tenant (absent = none), c/l/i/a created,
 * last seen, idle and absolute expiry in epoch ms, and one field `d:<key>` per data key (JSON), so
 * concurrent patches of different keys never overwrite each other. PEXPIRE = time left until the
 * earlier of the two expiries, so Redis drops a dead session by itself.
 */

const DATA = 'd:';

// Slides the idle expiry of a live hash at most once per interval; 1 when it wrote.
const TOUCH_LUA = `
local v = redis.call('HMGET', KEYS[1], 'l', 'i', 'a')
if not v[3] then return 0 end
local now = tonumber(ARGV[1])
local last, idle, abs = tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
if now >= idle or now >= abs then return 0 end
if now - last < tonumber(ARGV[3]) then return 0 end
local nextIdle = math.min(now + tonumber(ARGV[2]), abs)
redis.call('HSET', KEYS[1], 'l', ARGV[1], 'i', string.format('%d', nextIdle))
redis.call('PEXPIRE', KEYS[1], string.format('%d', nextIdle - now))
return 1`;

// Applies ('set', field, value) / ('del', field) operations to an existing hash only; 1 when it did.
const PATCH_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local i = 1
while i <= #ARGV do
  if ARGV[i] == 'set' then
    redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
    i = i + 3
  else
    redis.call('HDEL', KEYS[1], ARGV[i + 1])
    i = i + 2
  end
end
return 1`;

/** MULTI replies carry per-command errors instead of rejecting; surface the first. */
async function run(tx: ChainableCommander): Promise<void> {
  const replies = await tx.exec();
  if (!replies) throw new Error('Redis transaction was aborted');
  const failed = replies.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}

type Script = (...args: (string | number)[]) => Promise<number>;

function script(redis: Redis, name: string, lua: string): Script {
  const commands = redis as unknown as Record<string, Script>;
  if (typeof commands[name] !== 'function') redis.defineCommand(name, { numberOfKeys: 1, lua });
  return (...args) => (redis as unknown as Record<string, Script>)[name]!(...args);
}

function toSession(id: string, hash: Record<string, string>): Session {
  const data: SessionData = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith(DATA)) data[field.slice(DATA.length)] = JSON.parse(value);
  }
  return {
    id,
    userId: hash.u ?? '',
    activeTenantId: hash.t ?? null,
    data,
    createdAt: new Date(Number(hash.c)),
    lastSeenAt: new Date(Number(hash.l)),
    idleExpiresAt: new Date(Number(hash.i)),
    absoluteExpiresAt: new Date(Number(hash.a)),
  };
}

/**
 * Sessions in Redis, shared by every app node. `keyPrefix` namespaces the keys (tests, several
 * deployments on one Redis); a keyPrefix configured on the client applies as well.
 */
export function createRedisSessionStore(opts: {
  redis: Redis;
  timeouts?: Partial<SessionTimeouts>;
  keyPrefix?: string;
}): SessionStore {
  const { redis, keyPrefix = '' } = opts;
  const timeouts = resolveTimeouts(opts.timeouts);
  const sessionKey = (idHash: string) => `${keyPrefix}session:${idHash}`;
  const userKey = (userId: string) => `${keyPrefix}session-user:${userId}`;
  const touchScript = script(redis, 'thestorageSessionTouch', TOUCH_LUA);
  const patchScript = script(redis, 'thestorageSessionPatch', PATCH_LUA);

  const remove = async (idHash: string, userId: string | null | undefined) => {
    const tx = redis.multi().del(sessionKey(idHash));
    if (userId) tx.srem(userKey(userId), idHash);
    await run(tx);
  };

  const lookup = async (id: string, now: Date): Promise<SessionLookup> => {
    const idHash = hashSessionId(id);
    const hash = await redis.hgetall(sessionKey(idHash));
    if (!hash.u) return { state: 'missing' };
    const session = toSession(id, hash);
    const reason = expiryReason(session, now);
    if (!reason) return { state: 'active', session };
    await remove(idHash, session.userId);
    return { state: 'expired', userId: session.userId, reason };
  };

  return {
    timeouts,

    async create({ userId, activeTenantId, data = {} }, now) {
      const id = newSessionId();
      const idHash = hashSessionId(id);
      const { idleExpiresAt, absoluteExpiresAt } = initialExpiry(now, timeouts);
      const fields: Record<string, string> = {
        u: userId,
        c: String(now.getTime()),
        l: String(now.getTime()),
        i: String(idleExpiresAt.getTime()),
        a: String(absoluteExpiresAt.getTime()),
      };
      if (activeTenantId !== null) fields.t = activeTenantId;
      for (const [key, value] of Object.entries(data)) {
        if (value !== undefined) fields[`${DATA}${key}`] = JSON.stringify(value);
      }
      await run(
        redis
          .multi()
          .hset(sessionKey(idHash), fields)
          .pexpire(sessionKey(idHash), idleExpiresAt.getTime() - now.getTime())
          .sadd(userKey(userId), idHash)
          // The newest session outlives every older one, so its absolute timeout bounds the whole set.
          .pexpire(userKey(userId), timeouts.absoluteMs),
      );
      return {
        id,
        session: {
          id,
          userId,
          activeTenantId,
          data,
          createdAt: now,
          lastSeenAt: now,
          idleExpiresAt,
          absoluteExpiresAt,
        },
      };
    },

    lookup,

    async get(id, now) {
      const found = await lookup(id, now);
      return found.state === 'active' ? found.session : null;
    },

    async touch(id, now) {
      const wrote = await touchScript(
        sessionKey(hashSessionId(id)),
        now.getTime(),
        timeouts.idleMs,
        timeouts.touchIntervalMs,
      );
      return wrote === 1;
    },

    async update(id, patch) {
      const ops: string[] = [];
      if (patch.activeTenantId !== undefined) {
        if (patch.activeTenantId === null) ops.push('del', 't');
        else ops.push('set', 't', patch.activeTenantId);
      }
      for (const [key, value] of Object.entries(patch.data ?? {})) {
        if (value === undefined) ops.push('del', `${DATA}${key}`);
        else ops.push('set', `${DATA}${key}`, JSON.stringify(value));
      }
      return (await patchScript(sessionKey(hashSessionId(id)), ...ops)) === 1;
    },

    async revoke(id) {
      const idHash = hashSessionId(id);
      const userId = await redis.hget(sessionKey(idHash), 'u');
      await remove(idHash, userId);
    },

    async revokeAllForUser(userId) {
      const hashes = await redis.smembers(userKey(userId));
      const tx = redis.multi();
      for (const idHash of hashes) tx.del(sessionKey(idHash));
      await run(tx.del(userKey(userId)));
    },

    // Redis removes expired sessions itself (PEXPIRE); nothing to purge.
    async purgeExpired() {
      return 0;
    },
  };
}
