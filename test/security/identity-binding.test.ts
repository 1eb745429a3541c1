import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../apps/server/src/demo-people';
import { TestBrowser, trustingFetch } from '../../apps/server/src/platform/auth/dev-idp/testing';
import { createOidcTestProvider, type OidcTestProvider } from '../fakes/oidc-test-provider';
import { startTestServer, type TestServer } from '../support/server';
import { apiCall, signInAs } from '../support/sign-in';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

describe('identity binding and sign-up with a second (generic OIDC) provider', () => {
  let server: TestServer;
  let fake: OidcTestProvider;
  const ada = DEMO_PEOPLE.find((p) => p.demoRole === 'administrator')!;

  /** Signs in through the generic provider as whoever the fake is set to. */
  async function signInWithOidc() {
    const browser = new TestBrowser(trustingFetch(`${server.caPem}\n${fake.caPem}`));
    const landed = await browser.follow(`${server.url}/auth/sign-in/oidc`);
    return { browser, landedAt: new URL(landed.url).pathname };
  }

  beforeAll(async () => {
    const port = await freePort();
    fake = await createOidcTestProvider({
      clientSecret: 'generic-client-secret',
      redirectUri: `https://localhost:${port}/auth/callback/oidc`,
    });
    const caFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'thestorage-oidc-ca-')), 'ca.pem');
    writeFileSync(caFile, fake.caPem);
    server = await startTestServer({
      env: {
        PORT: String(port),
        OIDC_ISSUER: fake.issuer,
        OIDC_CLIENT_ID: fake.clientId,
        OIDC_CLIENT_SECRET: 'generic-client-secret',
        OIDC_CA_FILE: caFile,
        OIDC_LABEL: 'Acme SSO',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('SEC-3: both providers are offered on the sign-in page', async () => {
    const { browser } = await signInAs(server, ada.sub);
    const providers = await apiCall(server, browser, '/auth/providers');
    expect(providers.body.providers.map((p: { id: string; label: string }) => p.label)).toEqual([
      'Development sign-in',
      'Acme SSO',
    ]);
  });

  it('SEC-4: the same e-mail at two providers gives two distinct identities', async () => {
    const dev = await signInAs(server, ada.sub);
    const viaDev = await apiCall(server, dev.browser, '/api/v1/me');
    fake.setUser({
      sub: 'acme-ada',
      email: ada.email,
      email_verified: true,
      name: 'Ada at Acme',
      amr: ['pwd', 'mfa'],
    });
    const oidc = await signInWithOidc();
    const viaOidc = await apiCall(server, oidc.browser, '/api/v1/me');
    expect(viaOidc.body.user.email).toBe(viaDev.body.user.email);
    expect(viaOidc.body.user.id).not.toBe(viaDev.body.user.id);
    // The e-mail alone opens nothing: the demo organization's Administrator role stays with the dev identity.
    expect(viaOidc.body.tenants).toEqual([]);
    expect(oidc.landedAt).toBe('/sign-up');
  });

  it('SEC-4: an invitation is accepted only from a provider the organization allows', async () => {
    const admin = await signInAs(server, ada.sub);
    const me = await apiCall(server, admin.browser, '/api/v1/me');
    const invited = await apiCall(server, admin.browser, '/api/v1/members', {
      method: 'POST',
      body: { email: 'grace@example.com', role: 'operator', isGlobal: false },
      csrfToken: me.body.csrfToken,
    });
    expect(invited.status).toBe(200);
    expect(invited.body.member.status).toBe('pending');

    fake.setUser({
      sub: 'acme-grace',
      email: 'grace@example.com',
      email_verified: true,
      name: 'Grace',
      amr: ['pwd'],
    });
    const grace = await signInWithOidc();
    expect((await apiCall(server, grace.browser, '/api/v1/me')).body.tenants).toEqual([]);
    const members = await apiCall(server, admin.browser, '/api/v1/members');
    expect(members.body.members.find((m: { email: string }) => m.email === 'grace@example.com').status).toBe(
      'pending',
    );
  });

  it('PLAN-3: sign-up creates an organization, its first tenant and a global Administrator, audited', async () => {
    fake.setUser({
      sub: 'founder-1',
      email: 'founder@acme.test',
      email_verified: true,
      name: 'Fiona Founder',
      amr: ['pwd'],
    });
    const founder = await signInWithOidc();
    expect(founder.landedAt).toBe('/sign-up');
    const me = await apiCall(server, founder.browser, '/api/v1/me');
    expect(me.body.needsSignUp).toBe(true);
    const created = await apiCall(server, founder.browser, '/api/v1/organizations', {
      method: 'POST',
      body: { organizationName: 'Acme Robotics', tenantSlug: 'Acme-Lab', tenantName: 'Acme Lab' },
      csrfToken: me.body.csrfToken,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      needsSignUp: false,
      activeTenant: { slug: 'acme-lab', organizationName: 'Acme Robotics', role: 'administrator' },
    });
    const tenant = await apiCall(server, founder.browser, '/api/v1/tenant');
    expect(tenant.body).toMatchObject({ inTrial: true, effectivePlan: 'enterprise', trialDaysLeft: 30 });

    await expect
      .poll(async () => (await apiCall(server, founder.browser, '/api/v1/audit-log/verify')).body, {
        timeout: 10_000,
      })
      .toMatchObject({ ok: true, count: 2 });

    const again = await apiCall(server, founder.browser, '/api/v1/organizations', {
      method: 'POST',
      body: { organizationName: 'Second', tenantSlug: 'second' },
      csrfToken: me.body.csrfToken,
    });
    expect(again.status).toBe(409);

    fake.setUser({
      sub: 'founder-2',
      email: 'other@acme.test',
      email_verified: true,
      name: 'Other',
      amr: ['pwd'],
    });
    const other = await signInWithOidc();
    const otherMe = await apiCall(server, other.browser, '/api/v1/me');
    // Same issuer as Acme's founder: accepted as an employee of the organization's directory.
    expect(otherMe.body.tenants).toMatchObject([{ slug: 'acme-lab', role: 'employee' }]);
  });

  it('SEC-3: an organization that requires MFA refuses a sign-in without it, with a clear reason', async () => {
    fake.setUser({
      sub: 'founder-1',
      email: 'founder@acme.test',
      email_verified: true,
      name: 'Fiona Founder',
      amr: ['pwd', 'mfa'],
    });
    const founder = await signInWithOidc();
    const me = await apiCall(server, founder.browser, '/api/v1/me');
    const set = await apiCall(server, founder.browser, '/api/v1/organization/sign-in', {
      method: 'PUT',
      body: { requireMfa: true },
      csrfToken: me.body.csrfToken,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ requireMfa: true, accepted: [{ kind: 'oidc', issuer: fake.issuer }] });

    fake.setUser({
      sub: 'founder-2',
      email: 'other@acme.test',
      email_verified: true,
      name: 'Other',
      amr: ['pwd'],
    });
    const withoutMfa = await signInWithOidc();
    expect(withoutMfa.landedAt).toBe('/sign-in');
    expect((await apiCall(server, withoutMfa.browser, '/api/v1/me')).status).toBe(401);

    fake.setUser({
      sub: 'founder-2',
      email: 'other@acme.test',
      email_verified: true,
      name: 'Other',
      amr: ['pwd', 'otp'],
    });
    const withMfa = await signInWithOidc();
    expect((await apiCall(server, withMfa.browser, '/api/v1/me')).body.tenants).toHaveLength(1);
  });

  it('PLAN-3: someone who already belongs to an organization cannot sign up another', async () => {
    fake.setUser({
      sub: 'founder-3',
      email: 'x@elsewhere.test',
      email_verified: true,
      name: 'X',
      amr: ['pwd', 'mfa'],
    });
    const x = await signInWithOidc();
    const me = await apiCall(server, x.browser, '/api/v1/me');
    // founder-3 shares the issuer with Acme, so is already an employee there: sign-up is refused.
    expect(me.body.needsSignUp).toBe(false);
    const refused = await apiCall(server, x.browser, '/api/v1/organizations', {
      method: 'POST',
      body: { organizationName: 'Another', tenantSlug: 'another' },
      csrfToken: me.body.csrfToken,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('You already belong to an organization');
  });
});
