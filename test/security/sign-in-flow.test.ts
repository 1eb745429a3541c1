import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../apps/server/src/demo-people';
import { formOf, TestBrowser, trustingFetch } from '../../apps/server/src/platform/auth/dev-idp/testing';
import { startTestServer, type TestServer } from '../support/server';
import { apiCall, signInAs } from '../support/sign-in';

const person = (role: string) => DEMO_PEOPLE.find((p) => p.demoRole === role)!;

describe('signing in through the development provider (the real server)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ENTRA_CLIENT_ID: 'entra-app',
        ENTRA_CLIENT_SECRET: 'entra-secret',
        GOOGLE_CLIENT_ID: 'google-app',
        GOOGLE_CLIENT_SECRET: 'google-secret',
      },
    });
  });

  it('SEC-3: the sign-in page offers the configured providers: development, Entra ID, Google Workspace', async () => {
    const { browser } = await signInAs(server, person('viewer').sub);
    const { body } = await apiCall(server, browser, '/auth/providers');
    expect(body.providers).toEqual([
      { id: 'dev', kind: 'dev', label: 'Development sign-in' },
      { id: 'entra', kind: 'entra', label: 'Microsoft Entra ID (work or school)' },
      { id: 'google', kind: 'google', label: 'Google Workspace' },
    ]);
  });
  afterAll(() => server?.close());

  it('SEC-3: the invited Administrator signs in, is registered and lands in the demo tenant', async () => {
    const ada = person('administrator');
    const { browser, landedAt } = await signInAs(server, ada.sub);
    expect(new URL(landedAt).pathname).toBe('/');
    const me = await apiCall(server, browser, '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: ada.email, isPlatformAdmin: false },
      activeTenant: { slug: 'demo', role: 'administrator' },
      needsSignUp: false,
    });
    const members = await apiCall(server, browser, '/api/v1/members');
    expect(members.body.members.find((m: { email: string }) => m.email === ada.email)).toMatchObject({
      status: 'registered',
      role: 'administrator',
    });
  });

  it('SELF-1: an employee of the directory lands on My devices with the employee role', async () => {
    const employee = person('employee');
    const { browser, landedAt } = await signInAs(server, employee.sub);
    expect(new URL(landedAt).pathname).toBe('/my-devices');
    const me = await apiCall(server, browser, '/api/v1/me');
    expect(me.body.activeTenant).toMatchObject({ slug: 'demo', role: 'employee' });
    expect((await apiCall(server, browser, '/api/v1/members')).status).toBe(403);
  });

  it('SEC-13: the platform administrator reaches the console; others get 404 there', async () => {
    const paula = person('platform-admin');
    const admin = await signInAs(server, paula.sub);
    expect(new URL(admin.landedAt).pathname).toBe('/platform');
    const log = await apiCall(server, admin.browser, '/api/platform/auth-events?limit=100');
    expect(log.status).toBe(200);
    const outcomes = log.body.events.map((e: { outcome: string }) => e.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['started', 'success']));

    const ada = await signInAs(server, person('administrator').sub);
    for (const path of ['/api/platform/auth-events', '/api/platform/organizations']) {
      expect((await apiCall(server, ada.browser, path)).status).toBe(404);
    }
  });

  it('SEC-14: sign-out ends the session; a replayed sign-in state is refused and logged', async () => {
    const { browser } = await signInAs(server, person('operator').sub);
    const me = await apiCall(server, browser, '/api/v1/me');
    const refused = await apiCall(server, browser, '/auth/sign-out', { method: 'POST' });
    expect(refused.status).toBe(403);
    const out = await apiCall(server, browser, '/auth/sign-out', {
      method: 'POST',
      csrfToken: me.body.csrfToken,
    });
    expect(out.status).toBe(204);
    expect((await apiCall(server, browser, '/api/v1/me')).status).toBe(401);
  });

  it('SEC-13: a replayed callback is refused, and the platform administrator sees the failure with its reason', async () => {
    const browser = new TestBrowser(trustingFetch(server.caPem));
    const page = await browser.follow(`${server.url}/auth/sign-in/dev`);
    const { action } = formOf(await page.response!.text());
    const callback = await browser.follow(new URL(action, page.url), `${server.url}/auth/callback/dev`, {
      form: { sub: person('viewer').sub },
    });
    const first = await browser.follow(callback.url);
    expect(new URL(first.url).pathname).toBe('/');
    // The same code and state again, as an attacker who saw the URL would send them.
    const replay = await browser.request(callback.url);
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toMatch(/^\/sign-in\?error=(replayed_state|bad_state)$/);

    const paula = await signInAs(server, person('platform-admin').sub);
    const failures = await apiCall(server, paula.browser, '/api/platform/auth-events?outcome=failure');
    expect(failures.body.events[0]).toMatchObject({ outcome: 'failure', provider: 'dev' });
    expect(['replayed_state', 'bad_state']).toContain(failures.body.events[0].reason);
    const all = await apiCall(server, paula.browser, '/api/platform/auth-events?limit=200');
    expect(new Set(all.body.events.map((e: { outcome: string }) => e.outcome))).toEqual(
      new Set(['started', 'success', 'failure', 'sign_out']),
    );
  });
});
