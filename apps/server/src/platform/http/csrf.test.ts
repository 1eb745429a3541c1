import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { registerSessions, startSession } from '../sessions/session-plugin';
import { type OpenBackend, storeBackends } from '../sessions/session-test-support';
import { CSRF_HEADER, csrfTokenFor, registerCsrfProtection } from './csrf';
import { registerErrorHandler } from './problem';

const ORIGIN = 'https://storage.example.test';
const COOKIE = '__Host-thestorage';

describe('CSRF protection', () => {
  let backend: OpenBackend;
  let app: FastifyInstance;
  let changes = 0;

  beforeAll(async () => {
    const sqlite = storeBackends().find((b) => b.name === 'sqlite');
    backend = await sqlite!.open();
    app = Fastify({ logger: false });
    registerErrorHandler(app);
    await registerSessions(app, { store: backend.store(), clock: new ManualClock() });
    registerCsrfProtection(app, { allowedOrigins: [`${ORIGIN}/`], exemptPrefixes: ['/api/scim/'] });
    app.post<{ Body: { userId: string } }>('/auth/sign-in', async (request, reply) => {
      await startSession(reply, { userId: request.body.userId, activeTenantId: null });
      return { csrfToken: csrfTokenFor(request) };
    });
    app.get('/api/v1/me', async (request) => ({ csrfToken: csrfTokenFor(request) }));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      app.route({
        method,
        url: '/api/v1/devices',
        handler: async () => {
          changes++;
          return { ok: true };
        },
      });
    }
    app.post('/api/scim/v2/Users', async () => ({ scim: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await backend?.close();
  });

  const signIn = async (userId: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: ORIGIN },
      payload: { userId },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === COOKIE)?.value ?? '';
    const token = res.json().csrfToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return { cookie, token };
  };

  /** Sends a change and says whether it reached the handler. */
  const change = async (opts: InjectOptions) => {
    const before = changes;
    const res = await app.inject({ method: 'POST', url: '/api/v1/devices', payload: { name: 'x' }, ...opts });
    return { res, reached: changes > before };
  };

  const expectRefused = (res: Awaited<ReturnType<typeof change>>) => {
    expect(res.reached).toBe(false);
    expect(res.res.statusCode).toBe(403);
    expect(res.res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.res.json().error).toEqual({ code: 'csrf_failed', message: 'Cross-site request refused' });
  };

  it('SEC-14: a cross-origin POST is refused even with the right token', async () => {
    const { cookie, token } = await signIn('ada');
    const cookies = { [COOKIE]: cookie };
    expectRefused(
      await change({ cookies, headers: { origin: 'https://evil.example', [CSRF_HEADER]: token } }),
    );
    expectRefused(await change({ cookies, headers: { origin: 'null', [CSRF_HEADER]: token } }));
    // A look-alike: another scheme or port of the same host is another origin.
    expectRefused(
      await change({ cookies, headers: { origin: 'http://storage.example.test', [CSRF_HEADER]: token } }),
    );
    for (const site of ['cross-site', 'same-site', 'none']) {
      expectRefused(await change({ cookies, headers: { 'sec-fetch-site': site, [CSRF_HEADER]: token } }));
    }
    // Neither header: a signed-in browser request cannot prove it is same-origin.
    expectRefused(await change({ cookies, headers: { [CSRF_HEADER]: token } }));
  });

  it('SEC-14: a missing or incorrect CSRF token is refused', async () => {
    const { cookie, token } = await signIn('ada');
    const other = await signIn('bob');
    const cookies = { [COOKIE]: cookie };
    expectRefused(await change({ cookies, headers: { origin: ORIGIN } }));
    expectRefused(await change({ cookies, headers: { origin: ORIGIN, [CSRF_HEADER]: '' } }));
    // One character changed (always a different one: the token may already end in "A").
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(altered).not.toBe(token);
    expectRefused(await change({ cookies, headers: { origin: ORIGIN, [CSRF_HEADER]: altered } }));
    expectRefused(await change({ cookies, headers: { origin: ORIGIN, [CSRF_HEADER]: other.token } }));
    expectRefused(await change({ cookies, headers: { origin: ORIGIN, [CSRF_HEADER]: 'short' } }));
  });

  it('SEC-14: a same-origin change with the token is accepted for every state-changing method', async () => {
    const { cookie, token } = await signIn('ada');
    const cookies = { [COOKIE]: cookie };
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const viaOrigin = await change({ method, cookies, headers: { origin: ORIGIN, [CSRF_HEADER]: token } });
      expect(viaOrigin.res.statusCode).toBe(200);
      expect(viaOrigin.reached).toBe(true);
      const viaFetchSite = await change({
        method,
        cookies,
        headers: { 'sec-fetch-site': 'same-origin', [CSRF_HEADER]: token },
      });
      expect(viaFetchSite.res.statusCode).toBe(200);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      expectRefused(
        await change({ method, cookies, headers: { origin: 'https://evil.example', [CSRF_HEADER]: token } }),
      );
      expectRefused(await change({ method, cookies, headers: { origin: ORIGIN } }));
    }
  });

  it('SEC-14: GET requests are not affected', async () => {
    const { cookie, token } = await signIn('ada');
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      cookies: { [COOKIE]: cookie },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ csrfToken: token });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).json()).toEqual({ csrfToken: null });
  });

  it('SEC-14: requests without a session cookie (bearer-token clients) need no token, but cross-site is still refused', async () => {
    const bearer = { authorization: 'Bearer cli-token' };
    const cli = await change({ headers: bearer });
    expect(cli.res.statusCode).toBe(200);
    expect(cli.reached).toBe(true);
    expectRefused(await change({ headers: { ...bearer, origin: 'https://evil.example' } }));
    expectRefused(await change({ headers: { ...bearer, 'sec-fetch-site': 'cross-site' } }));
    // Sign-in from a foreign page (login CSRF) is refused; from our own page it starts.
    const foreign = await app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      headers: { origin: 'https://evil.example' },
      payload: { userId: 'mallory' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('csrf_failed');
    expect(foreign.cookies).toEqual([]);
  });

  it('SEC-14: exempt prefixes (SCIM with its bearer token) skip the check', async () => {
    const { cookie } = await signIn('ada');
    const res = await app.inject({
      method: 'POST',
      url: '/api/scim/v2/Users',
      cookies: { [COOKIE]: cookie },
      headers: { origin: 'https://evil.example' },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ scim: true });
  });

  it('SEC-14: refuses to start without sessions or without the app origin', async () => {
    expect(() => registerCsrfProtection(Fastify(), { allowedOrigins: [ORIGIN] })).toThrow(
      'registerSessions()',
    );
    const bare = Fastify();
    bare.decorateRequest('session', null);
    expect(() => registerCsrfProtection(bare, { allowedOrigins: [] })).toThrow('needs the app origin');
  });
});
