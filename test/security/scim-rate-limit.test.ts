import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../apps/server/src/demo-people';
import { trustingFetch } from '../../apps/server/src/platform/auth/dev-idp/testing';
import { startTestServer, type TestServer } from '../support/server';
import { apiCall, signInAs } from '../support/sign-in';

const ada = DEMO_PEOPLE.find((p) => p.demoRole === 'administrator')!;
const LIMIT = 8;

describe('SCIM on the real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_API_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(() => server?.close());

  it('DIR-4: the demo uses its directory, so SCIM is refused until it is disconnected; SCIM is rate-limited with Retry-After', async () => {
    const { browser } = await signInAs(server, ada.sub);
    const me = await apiCall(server, browser, '/api/v1/me');
    const csrfToken = me.body.csrfToken;
    const refused = await apiCall(server, browser, '/api/v1/scim/token', { method: 'POST', csrfToken });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/directory/i);

    const disconnected = await apiCall(server, browser, '/api/v1/directory/connection', {
      method: 'DELETE',
      csrfToken,
    });
    expect(disconnected.status).toBe(200);
    const created = await apiCall(server, browser, '/api/v1/scim/token', { method: 'POST', csrfToken });
    expect(created.status).toBe(200);
    expect(created.body.scimBaseUrl).toBe(`${server.url}/api/demo/scim/v2`);

    // A provisioning service calls from one address with the bearer token and no session.
    const fetchScim = trustingFetch(server.caPem);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await fetchScim(
        `${created.body.scimBaseUrl}/Users?filter=${encodeURIComponent('userName eq "x@y.z"')}`,
        {
          headers: { authorization: `Bearer ${created.body.token}`, accept: 'application/scim+json' },
        },
      );
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
