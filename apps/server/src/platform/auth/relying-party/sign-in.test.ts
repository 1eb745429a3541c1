import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOidcTestProvider,
  DEFAULT_TEST_USER,
  type OidcTestProvider,
  runSignIn,
} from '../../../../../../test/fakes/oidc-test-provider';
import { MICROSOFT_CONSUMER_TENANT_ID } from './provider-presets';
import { relyingPartyAt } from './relying-party-test-support';

const CONTOSO = '3f2a1c4e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const NORTHWIND = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

// Microsoft signs with RS256, the generic provider here with ES256: both must verify.
let microsoft: OidcTestProvider;
let okta: OidcTestProvider;
let keycloak: OidcTestProvider;

beforeAll(async () => {
  [microsoft, okta, keycloak] = await Promise.all([
    createOidcTestProvider({ alg: 'RS256' }),
    createOidcTestProvider(),
    createOidcTestProvider({ clientSecret: null }),
  ]);
});
afterAll(async () => {
  await Promise.all([microsoft?.close(), okta?.close(), keycloak?.close()]);
});

describe('sign-in through each provider kind', () => {
  it('SEC-4: identity = tid+oid for Entra', async () => {
    microsoft.setUser({
      sub: 'pairwise-sub-for-this-app',
      tid: NORTHWIND.toUpperCase(),
      oid: '11111111-2222-4333-8444-555555555555',
      preferred_username: 'ada@northwind.example',
      name: 'Ada Lovelace',
      amr: ['pwd', 'mfa'],
    });
    const rp = relyingPartyAt(microsoft, {
      kind: 'entra',
      allowedEntraTenantIds: [CONTOSO, NORTHWIND],
      authorityBaseUrl: microsoft.authorityBaseUrl,
    });
    const { identity } = await runSignIn(rp, microsoft);
    expect(identity).toMatchObject({
      providerKind: 'entra',
      issuer: `${microsoft.authorityBaseUrl}/${NORTHWIND.toUpperCase()}/v2.0`,
      subject: `${NORTHWIND}:11111111-2222-4333-8444-555555555555`,
      tenantId: NORTHWIND,
      email: 'ada@northwind.example',
      emailVerified: false,
      name: 'Ada Lovelace',
    });
  });

  it('SEC-4: the service-wide Entra registration accepts any work tenant, never the consumer one', async () => {
    const rp = relyingPartyAt(microsoft, {
      kind: 'entra',
      allowedEntraTenantIds: 'any-organization',
      authorityBaseUrl: microsoft.authorityBaseUrl,
    });
    microsoft.setUser({ sub: 's', tid: CONTOSO, oid: '21111111-2222-4333-8444-555555555555', amr: ['pwd'] });
    const { identity } = await runSignIn(rp, microsoft);
    expect(identity).toMatchObject({
      tenantId: CONTOSO,
      subject: `${CONTOSO}:21111111-2222-4333-8444-555555555555`,
    });
    microsoft.setUser({
      sub: 's',
      tid: MICROSOFT_CONSUMER_TENANT_ID,
      oid: '31111111-2222-4333-8444-555555555555',
    });
    await expect(runSignIn(rp, microsoft)).rejects.toMatchObject({ reason: 'unknown_entra_tenant' });
  });

  it('SEC-4: the service-wide Google registration accepts any Workspace domain, never a consumer account', async () => {
    const rp = relyingPartyAt(okta, {
      kind: 'google',
      issuerUrl: okta.issuer,
      allowedDomains: 'any-workspace',
    });
    okta.setUser({ sub: '1', email: 'ada@anywhere.example', email_verified: true, hd: 'anywhere.example' });
    expect((await runSignIn(rp, okta)).identity).toMatchObject({ hostedDomain: 'anywhere.example' });
    okta.setUser({ sub: '2', email: 'ada@gmail.example', email_verified: true });
    await expect(runSignIn(rp, okta)).rejects.toMatchObject({ reason: 'domain_not_allowed' });
  });

  it('SEC-4: identity = sub for Microsoft Account, consumer tenant only', async () => {
    microsoft.setUser({ sub: 'msa-sub-1', tid: MICROSOFT_CONSUMER_TENANT_ID, email: 'ada@outlook.example' });
    const rp = relyingPartyAt(microsoft, {
      kind: 'microsoft-account',
      authorityBaseUrl: microsoft.authorityBaseUrl,
    });
    const { identity } = await runSignIn(rp, microsoft);
    expect(identity).toMatchObject({
      providerKind: 'microsoft-account',
      issuer: `${microsoft.authorityBaseUrl}/${MICROSOFT_CONSUMER_TENANT_ID}/v2.0`,
      subject: 'msa-sub-1',
      tenantId: MICROSOFT_CONSUMER_TENANT_ID,
    });
  });

  it('SEC-4: identity = sub for Google', async () => {
    okta.setUser({ sub: '1098765432', email: 'ada@example.com', email_verified: true, hd: 'Example.com' });
    const rp = relyingPartyAt(okta, {
      kind: 'google',
      issuerUrl: okta.issuer,
      allowedDomains: ['other.example', 'example.com'],
    });
    const { identity } = await runSignIn(rp, okta);
    expect(identity).toMatchObject({
      providerKind: 'google',
      issuer: okta.issuer,
      subject: '1098765432',
      hostedDomain: 'example.com',
      email: 'ada@example.com',
      emailVerified: true,
    });
  });

  it('SEC-4: identity = issuer+sub for generic OIDC, and the return path survives the round trip', async () => {
    okta.setUser({ ...DEFAULT_TEST_USER, acr: 'urn:okta:loa:2fa:any', auth_time: 1_700_000_000 });
    const rp = relyingPartyAt(okta, { kind: 'oidc', issuerUrl: `${okta.issuer}/` }, { requireMfa: true });
    const { identity, returnTo } = await runSignIn(rp, okta, { returnTo: '/devices?status=assigned#top' });
    expect(identity).toMatchObject({
      providerKind: 'oidc',
      issuer: okta.issuer,
      subject: DEFAULT_TEST_USER.sub,
    });
    expect(identity.amr).toEqual(['pwd', 'mfa']);
    expect(identity.acr).toBe('urn:okta:loa:2fa:any');
    expect(returnTo).toBe('/devices?status=assigned#top');
  });

  it('SEC-3: a public client signs in with PKCE alone (no client secret)', async () => {
    keycloak.setUser(DEFAULT_TEST_USER);
    const rp = relyingPartyAt(keycloak, { kind: 'oidc', issuerUrl: keycloak.issuer });
    const { identity, returnTo } = await runSignIn(rp, keycloak);
    expect(identity.subject).toBe(DEFAULT_TEST_USER.sub);
    expect(returnTo).toBe('/');
  });

  it('SEC-4: the same e-mail at two providers gives two distinct identities', async () => {
    const samePerson = { sub: 'same-sub', email: 'ada@example.com', email_verified: true };
    okta.setUser(samePerson);
    keycloak.setUser(samePerson);
    const atOkta = await runSignIn(relyingPartyAt(okta, { kind: 'oidc', issuerUrl: okta.issuer }), okta);
    const atKeycloak = await runSignIn(
      relyingPartyAt(keycloak, { kind: 'oidc', issuerUrl: keycloak.issuer }),
      keycloak,
    );
    expect(atOkta.identity.email).toBe(atKeycloak.identity.email);
    expect(atOkta.identity.subject).toBe(atKeycloak.identity.subject);
    expect(atOkta.identity.issuer).not.toBe(atKeycloak.identity.issuer);

    microsoft.setUser({ sub: 'same-sub', tid: CONTOSO, oid: 'oid-ada', email: 'ada@example.com' });
    const atEntra = await runSignIn(
      relyingPartyAt(microsoft, {
        kind: 'entra',
        allowedEntraTenantIds: [CONTOSO],
        authorityBaseUrl: microsoft.authorityBaseUrl,
      }),
      microsoft,
    );
    const key = (i: { issuer: string; subject: string }) => `${i.issuer} ${i.subject}`;
    const keys = new Set([atOkta, atKeycloak, atEntra].map((run) => key(run.identity)));
    expect(keys.size).toBe(3);
  });

  it('SEC-3: every attempt gets its own state, nonce and S256 code challenge', async () => {
    const rp = relyingPartyAt(okta, { kind: 'oidc', issuerUrl: okta.issuer });
    const [a, b] = await Promise.all([rp.start('/'), rp.start('/')]);
    const first = new URL(a.authorizationUrl).searchParams;
    const second = new URL(b.authorizationUrl).searchParams;
    expect(first.get('code_challenge_method')).toBe('S256');
    expect(first.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.get('response_type')).toBe('code');
    for (const name of ['state', 'nonce', 'code_challenge']) {
      expect(first.get(name)).toBeTruthy();
      expect(first.get(name)).not.toBe(second.get(name));
    }
    expect(first.get('state')).toBe(a.state);
  });
});
