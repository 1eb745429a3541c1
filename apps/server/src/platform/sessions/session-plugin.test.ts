import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { actorOf, registerActorResolution } from '../http/access';
import type { Actor } from '../http/actor';
import { registerErrorHandler } from '../http/problem';
import { createSessionActorResolver } from './session-actor';
import {
  DEFAULT_SESSION_COOKIE,
  endSession,
  registerSessions,
  type SessionExpiry,
  startSession,
  updateSession,
} from './session-plugin';
import type { SessionStore } from './session-store';
import { type OpenBackend, storeBackends } from './session-test-support';

const MINUTE = 60 * 1000;
const COOKIE = DEFAULT_SESSION_COOKIE;

interface Node {
  app: FastifyInstance;
  expired: SessionExpiry[];
}

/** One app node: test routes that sign in, sign out, switch tenant and say who is calling. */
async function buildNode(store: SessionStore, clock: ManualClock): Promise<Node> {
  const app = Fastify({ logger: false });
  registerErrorHandler(app);
  const expired: SessionExpiry[] = [];
  await registerSessions(app, { store, clock, onSessionExpired: (_request, e) => void expired.push(e) });
  registerActorResolution(
    app,
    createSessionActorResolver({
      lookupActor: async (userId, activeTenantId) =>
        activeTenantId
          ? ({
              userId,
              email: `${userId}@example.test`,
              name: userId,
              tenantId: activeTenantId,
              organizationId: 'org',
              role: 'viewer',
              isPlatformAdmin: false,
            } satisfies Actor)
          : null,
    }),
  );
  app.post<{ Body: { userId: string; tenantId: string | null } }>('/auth/sign-in', async (request, reply) => {
    const session = await startSession(reply, {
      userId: request.body.userId,
      activeTenantId: request.body.tenantId,
      data: { via: 'test' },
    });
    return { userId: session.userId };
  });
  app.post('/auth/sign-out', async (request, reply) => {
    const ended = await endSession(request, reply);
    return { ended: ended?.userId ?? null };
  });
  app.post<{ Body: { tenantId: string } }>('/switch-tenant', async (request) => {
    const session = await updateSession(request, { activeTenantId: request.body.tenantId });
    return { activeTenantId: session.activeTenantId };
  });
  app.get('/me', async (request) => ({ session: request.session }));
  app.get('/actor', async (request) => actorOf(request));
  await app.ready();
  return { app, expired };
}

const setCookies = (res: LightMyRequestResponse): string[] => {
  const header = res.headers['set-cookie'];
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
};

const sessionIdFrom = (res: LightMyRequestResponse): string => {
  const cookie = res.cookies.find((c) => c.name === COOKIE);
  if (!cookie?.value) throw new Error('no session cookie set');
  return cookie.value;
};

describe.each(storeBackends())('sessions over HTTP on $name', (backend) => {
  let b: OpenBackend;
  beforeAll(async () => {
    b = await backend.open();
  });
  afterAll(() => b?.close());

  const signIn = (node: Node, userId: string, cookie?: string, tenantId: string | null = uuidv7()) =>
    node.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { userId, tenantId },
      ...(cookie ? { cookies: { [COOKIE]: cookie } } : {}),
    });
  const me = async (node: Node, cookie: string) => {
    const res = await node.app.inject({ method: 'GET', url: '/me', cookies: { [COOKIE]: cookie } });
    return { res, session: res.json().session as { userId: string; activeTenantId: string | null } | null };
  };

  it('SEC-14: the session cookie is __Host-, HttpOnly, Secure, SameSite=Lax, Path=/ and has no Domain', async () => {
    const node = await buildNode(b.store(), new ManualClock());
    const res = await signIn(node, 'ada');
    expect(res.statusCode).toBe(200);
    const [header, ...others] = setCookies(res);
    expect(others).toEqual([]);
    const [nameValue, ...attributes] = (header ?? '').split('; ');
    expect(nameValue).toMatch(/^__Host-thestorage=[A-Za-z0-9_-]{43}$/);
    expect(attributes.sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
    await node.app.close();
  });

  it('SEC-14: sign-in rotates the session id; the old id and a planted id are dead afterwards', async () => {
    const node = await buildNode(b.store(), new ManualClock());
    const first = sessionIdFrom(await signIn(node, 'ada'));
    expect((await me(node, first)).session?.userId).toBe('ada');

    const second = sessionIdFrom(await signIn(node, 'ada', first));
    expect(second).not.toBe(first);
    expect((await me(node, second)).session?.userId).toBe('ada');
    const old = await me(node, first);
    expect(old.session).toBeNull();
    // The dead cookie is cleared in the browser.
    expect(setCookies(old.res).join()).toMatch(/^__Host-thestorage=;.*Max-Age=0/);

    // Session fixation: an id an attacker planted in the browser is never the one signed in.
    const planted = Buffer.alloc(32, 7).toString('base64url');
    const issued = sessionIdFrom(await signIn(node, 'bob', planted));
    expect(issued).not.toBe(planted);
    expect((await me(node, planted)).session).toBeNull();
    expect((await me(node, issued)).session?.userId).toBe('bob');
    await node.app.close();
  });

  it('SEC-14: sign-out kills the session on every node', async () => {
    const clock = new ManualClock();
    const nodeA = await buildNode(b.store(), clock);
    const nodeB = await buildNode(b.store(), clock);
    const id = sessionIdFrom(await signIn(nodeA, 'ada'));
    expect((await me(nodeB, id)).session?.userId).toBe('ada');

    const out = await nodeB.app.inject({ method: 'POST', url: '/auth/sign-out', cookies: { [COOKIE]: id } });
    expect(out.json()).toEqual({ ended: 'ada' });
    expect(setCookies(out).join()).toMatch(/^__Host-thestorage=;.*Max-Age=0/);
    expect((await me(nodeA, id)).session).toBeNull();
    expect((await me(nodeB, id)).session).toBeNull();
    expect(
      (await nodeA.app.inject({ method: 'GET', url: '/actor', cookies: { [COOKIE]: id } })).statusCode,
    ).toBe(401);
    await nodeA.app.close();
    await nodeB.app.close();
  });

  it('SEC-14: activity keeps a session alive; 30 idle minutes end it and report the expiry', async () => {
    const clock = new ManualClock();
    const node = await buildNode(b.store(), clock);
    const id = sessionIdFrom(await signIn(node, 'ada'));
    for (let i = 0; i < 4; i++) {
      clock.advance(29 * MINUTE);
      expect((await me(node, id)).session?.userId).toBe('ada');
    }
    clock.advance(30 * MINUTE);
    expect((await me(node, id)).session).toBeNull();
    expect(node.expired).toEqual([{ userId: 'ada', reason: 'idle' }]);
    await node.app.close();
  });

  it('SEC-14: a session ends 12 hours after sign-in however active it is', async () => {
    const clock = new ManualClock();
    const node = await buildNode(b.store(), clock);
    const id = sessionIdFrom(await signIn(node, 'ada'));
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      clock.advance(20 * MINUTE);
      expect((await me(node, id)).session?.userId).toBe('ada');
    }
    clock.advance(20 * MINUTE);
    expect((await me(node, id)).session).toBeNull();
    expect(node.expired).toEqual([{ userId: 'ada', reason: 'absolute' }]);
    await node.app.close();
  });

  it('SEC-14: the actor comes from the session, and a tenant switch applies on the next request', async () => {
    const node = await buildNode(b.store(), new ManualClock());
    expect((await node.app.inject({ method: 'GET', url: '/actor' })).statusCode).toBe(401);
    const first = uuidv7();
    const id = sessionIdFrom(await signIn(node, 'ada', undefined, first));
    const cookies = { [COOKIE]: id };
    expect((await node.app.inject({ method: 'GET', url: '/actor', cookies })).json()).toMatchObject({
      userId: 'ada',
      tenantId: first,
    });
    const second = uuidv7();
    const switched = await node.app.inject({
      method: 'POST',
      url: '/switch-tenant',
      payload: { tenantId: second },
      cookies,
    });
    expect(switched.json()).toEqual({ activeTenantId: second });
    expect((await node.app.inject({ method: 'GET', url: '/actor', cookies })).json()).toMatchObject({
      tenantId: second,
    });
    // Without a session there is nothing to switch.
    const anonymous = await node.app.inject({
      method: 'POST',
      url: '/switch-tenant',
      payload: { tenantId: second },
    });
    expect(anonymous.statusCode).toBe(401);
    await node.app.close();
  });

  it('SEC-14: a malformed cookie is ignored and cleared without a store lookup', async () => {
    const store = b.store();
    let lookups = 0;
    const counting: SessionStore = {
      ...store,
      lookup: (...args) => {
        lookups++;
        return store.lookup(...args);
      },
    };
    const node = await buildNode(counting, new ManualClock());
    const res = await me(node, "x'; drop table sessions; --");
    expect(res.session).toBeNull();
    expect(lookups).toBe(0);
    expect(setCookies(res.res).join()).toMatch(/Max-Age=0/);
    await node.app.close();
  });
});

describe('session plugin setup', () => {
  it('SEC-14: refuses a __Host- cookie without Secure', async () => {
    const [sqlite] = storeBackends();
    const b = await sqlite!.open();
    try {
      await expect(
        registerSessions(Fastify(), { store: b.store(), clock: new ManualClock(), secureCookies: false }),
      ).rejects.toThrow('__Host- cookie must be Secure');
    } finally {
      await b.close();
    }
  });

  it('SEC-14: the session actor resolver refuses to run before the session is loaded', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    registerActorResolution(app, createSessionActorResolver({ lookupActor: async () => null }));
    app.get('/', async () => 'ok');
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(500);
    await app.close();
  });
});
