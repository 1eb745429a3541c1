import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { hashSessionId } from './session-store';
import { type OpenBackend, storeBackends } from './session-test-support';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(storeBackends())('session store contract on $name', (backend) => {
  let b: OpenBackend;
  beforeAll(async () => {
    b = await backend.open();
  });
  afterAll(() => b?.close());

  it('SEC-14: creates a session under a 256-bit opaque id and reads it back', async () => {
    const clock = new ManualClock();
    const store = b.store();
    const tenantId = uuidv7();
    const { id, session } = await store.create(
      { userId: 'user-1', activeTenantId: tenantId, data: { csrfSecret: 'c', pending: true } },
      clock.now(),
    );
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(session.idleExpiresAt.getTime() - clock.now().getTime()).toBe(30 * MINUTE);
    expect(session.absoluteExpiresAt.getTime() - clock.now().getTime()).toBe(12 * HOUR);
    const read = await store.get(id, clock.now());
    expect(read).toMatchObject({
      id,
      userId: 'user-1',
      activeTenantId: tenantId,
      data: { csrfSecret: 'c', pending: true },
    });
    expect(read?.createdAt.toISOString()).toBe(clock.now().toISOString());
    const other = await store.create({ userId: 'user-1', activeTenantId: null }, clock.now());
    expect(other.id).not.toBe(id);
    expect((await store.get(other.id, clock.now()))?.activeTenantId).toBeNull();
    expect(await store.get('unknown-session-id', clock.now())).toBeNull();
  });

  it('SEC-14: the raw session id is not present in storage, only its SHA-256', async () => {
    const clock = new ManualClock();
    const { id } = await b.store().create({ userId: 'user-raw', activeTenantId: null }, clock.now());
    const stored = await b.dump();
    expect(stored).toContain(hashSessionId(id));
    expect(hashSessionId(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(id);
  });

  it('SEC-14: a session idle for 30 minutes is expired and deleted', async () => {
    const clock = new ManualClock();
    const store = b.store();
    const { id } = await store.create({ userId: 'user-idle', activeTenantId: null }, clock.now());
    clock.advance(30 * MINUTE - 1);
    expect(await store.get(id, clock.now())).not.toBeNull();
    clock.advance(1);
    expect(await store.lookup(id, clock.now())).toEqual({
      state: 'expired',
      userId: 'user-idle',
      reason: 'idle',
    });
    expect(await store.lookup(id, clock.now())).toEqual({ state: 'missing' });
    expect(await b.dump()).not.toContain(hashSessionId(id));
  });

  it('SEC-14: touch slides the idle timeout, at most one write a minute, never past the absolute timeout', async () => {
    const clock = new ManualClock();
    const store = b.store();
    const { id, session } = await store.create({ userId: 'user-touch', activeTenantId: null }, clock.now());
    clock.advance(30 * 1000);
    expect(await store.touch(id, clock.now())).toBe(false);
    expect((await store.get(id, clock.now()))?.idleExpiresAt).toEqual(session.idleExpiresAt);
    clock.advance(30 * 1000);
    expect(await store.touch(id, clock.now())).toBe(true);
    const touched = await store.get(id, clock.now());
    expect(touched?.lastSeenAt).toEqual(clock.now());
    expect(touched?.idleExpiresAt.getTime()).toBe(clock.now().getTime() + 30 * MINUTE);
    expect(touched?.absoluteExpiresAt).toEqual(session.absoluteExpiresAt);

    // Active all day: touched every 20 minutes, it still ends 12 hours after sign-in.
    while (clock.now().getTime() + 20 * MINUTE < session.absoluteExpiresAt.getTime()) {
      clock.advance(20 * MINUTE);
      expect(await store.get(id, clock.now())).not.toBeNull();
      await store.touch(id, clock.now());
    }
    const last = await store.get(id, clock.now());
    expect(last?.idleExpiresAt).toEqual(session.absoluteExpiresAt);
    clock.set(session.absoluteExpiresAt);
    expect(await store.touch(id, clock.now())).toBe(false);
    expect(await store.lookup(id, clock.now())).toEqual({
      state: 'expired',
      userId: 'user-touch',
      reason: 'absolute',
    });
    expect(await store.get(id, clock.now())).toBeNull();
  });

  it('SEC-14: timeouts are configurable', async () => {
    const clock = new ManualClock();
    const store = b.store({ idleMs: 5 * MINUTE, absoluteMs: HOUR });
    const { id, session } = await store.create({ userId: 'user-config', activeTenantId: null }, clock.now());
    expect(session.absoluteExpiresAt.getTime() - clock.now().getTime()).toBe(HOUR);
    clock.advance(5 * MINUTE);
    expect(await store.get(id, clock.now())).toBeNull();
  });

  it('SEC-14: sign-out kills the session on every node (revoke seen by a second store)', async () => {
    const clock = new ManualClock();
    const nodeA = b.store();
    const nodeB = b.store();
    const { id } = await nodeA.create({ userId: 'user-revoke', activeTenantId: null }, clock.now());
    expect(await nodeB.get(id, clock.now())).not.toBeNull();
    await nodeA.revoke(id);
    expect(await nodeB.get(id, clock.now())).toBeNull();
    expect(await nodeA.touch(id, clock.now())).toBe(false);
    expect(await nodeA.update(id, { data: { x: 1 } })).toBe(false);
    expect(await nodeB.get(id, clock.now())).toBeNull();
  });

  it("SEC-14: revoking all of a user's sessions ends them on every node and spares other users", async () => {
    const clock = new ManualClock();
    const nodeA = b.store();
    const nodeB = b.store();
    const laptop = await nodeA.create({ userId: 'user-all', activeTenantId: null }, clock.now());
    const phone = await nodeB.create({ userId: 'user-all', activeTenantId: null }, clock.now());
    const someoneElse = await nodeA.create({ userId: 'user-other', activeTenantId: null }, clock.now());
    await nodeB.revokeAllForUser('user-all');
    expect(await nodeA.get(laptop.id, clock.now())).toBeNull();
    expect(await nodeA.get(phone.id, clock.now())).toBeNull();
    expect(await nodeA.get(someoneElse.id, clock.now())).not.toBeNull();
  });

  it('SEC-14: update merges data keys and switches the tenant, seen by every node', async () => {
    const clock = new ManualClock();
    const nodeA = b.store();
    const nodeB = b.store();
    const first = uuidv7();
    const second = uuidv7();
    const { id } = await nodeA.create(
      { userId: 'user-update', activeTenantId: first, data: { csrfSecret: 's', pending: true } },
      clock.now(),
    );
    expect(await nodeA.update(id, { activeTenantId: second, data: { pending: undefined, step: 'x' } })).toBe(
      true,
    );
    expect(await nodeB.update(id, { data: { other: { nested: [1, 2] } } })).toBe(true);
    const read = await nodeB.get(id, clock.now());
    expect(read?.activeTenantId).toBe(second);
    expect(read?.data).toEqual({ csrfSecret: 's', step: 'x', other: { nested: [1, 2] } });
    await nodeA.update(id, { activeTenantId: null });
    expect((await nodeA.get(id, clock.now()))?.activeTenantId).toBeNull();
  });

  if (backend.name === 'redis') {
    it('SEC-14: Redis drops a session by itself at the earlier of its idle and absolute expiry', async () => {
      const store = b.store({ idleMs: 400, absoluteMs: 900, touchIntervalMs: 0 });
      const { id } = await store.create({ userId: 'user-ttl', activeTenantId: null }, new Date());
      const key = `${b.keyPrefix}session:${hashSessionId(id)}`;
      const ttl = await b.pttl!(key);
      expect(ttl).toBeGreaterThan(200);
      expect(ttl).toBeLessThanOrEqual(400);
      // Idle: untouched for longer than 400 ms, the key is gone without anyone reading it.
      const idle = await store.create({ userId: 'user-ttl', activeTenantId: null }, new Date());
      const idleKey = `${b.keyPrefix}session:${hashSessionId(idle.id)}`;
      // Absolute: touched every 250 ms, it still disappears 900 ms after creation.
      for (let i = 0; i < 3; i++) {
        await sleep(250);
        expect(await store.touch(id, new Date())).toBe(true);
      }
      expect(await b.pttl!(idleKey)).toBe(-2);
      expect(await b.pttl!(key)).toBeLessThanOrEqual(150);
      await sleep(200);
      expect(await b.pttl!(key)).toBe(-2);
      expect(await store.get(id, new Date())).toBeNull();
    });
  } else {
    it('SEC-14: purgeExpired deletes idle- and absolute-expired sessions and keeps live ones', async () => {
      const clock = new ManualClock();
      const store = b.store({ idleMs: 10 * MINUTE, absoluteMs: HOUR, touchIntervalMs: 0 });
      await store.purgeExpired(new Date('2100-01-01T00:00:00Z'));
      const idle = await store.create({ userId: 'user-purge', activeTenantId: null }, clock.now());
      const active = await store.create({ userId: 'user-purge', activeTenantId: null }, clock.now());
      // `active` is touched every 9 minutes, so only its absolute timeout (60 minutes) ends it.
      for (let i = 0; i < 6; i++) {
        clock.advance(9 * MINUTE);
        await store.touch(active.id, clock.now());
      }
      clock.advance(1 * MINUTE);
      const fresh = await store.create({ userId: 'user-purge', activeTenantId: null }, clock.now());
      clock.advance(5 * MINUTE);
      expect(await store.purgeExpired(clock.now())).toBe(2);
      const stored = await b.dump();
      expect(stored).not.toContain(hashSessionId(idle.id));
      expect(stored).not.toContain(hashSessionId(active.id));
      expect(await store.get(fresh.id, clock.now())).not.toBeNull();
    });
  }
});
