import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOidcTestProvider,
  DEFAULT_TEST_USER,
  type Misbehaviour,
  type OidcTestProvider,
  runSignIn,
} from '../../../../../../test/fakes/oidc-test-provider';
import type { ProviderSettings } from './provider-presets';
import type { RelyingParty } from './relying-party';
import { relyingPartyAt } from './relying-party-test-support';
import { SignInError, type SignInReason } from './sign-in-error';
import { MemorySignInStateStore, type SignInStateStore } from './state-store';

const CONTOSO = '3f2a1c4e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
const FABRIKAM = '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098';

let fake: OidcTestProvider;
const generic = (): ProviderSettings => ({ kind: 'oidc', issuerUrl: fake.issuer });
const entra = (): ProviderSettings => ({
  kind: 'entra',
  allowedEntraTenantIds: [CONTOSO],
  authorityBaseUrl: fake.authorityBaseUrl,
});

beforeAll(async () => {
  fake = await createOidcTestProvider();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.misbehave(null);
  fake.setUser(DEFAULT_TEST_USER);
});

async function refusal(attempt: Promise<unknown>): Promise<SignInError> {
  const error = await attempt.then(
    () => {
      throw new Error('the sign-in was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInError);
  return error as SignInError;
}

/** Hands out each taken sign-in with a different PKCE verifier, as an attacker holding the code would. */
function verifierSwappingStore(): SignInStateStore {
  const inner = new MemorySignInStateStore();
  return {
    save: (pending) => inner.save(pending),
    async take(state, now) {
      const taken = await inner.take(state, now);
      if (taken.status !== 'pending') return taken;
      return {
        status: 'pending',
        pending: { ...taken.pending, codeVerifier: `${taken.pending.codeVerifier}x` },
      };
    },
  };
}

interface HostileCase {
  title: string;
  reason: SignInReason;
  misbehave?: Misbehaviour;
  user?: Record<string, unknown>;
  rp?: () => RelyingParty;
  returnTo?: string;
}

const table: HostileCase[] = [
  {
    title: 'SEC-3: refuses an ID token from another issuer',
    misbehave: 'wrong-issuer',
    reason: 'issuer_mismatch',
  },
  {
    title: 'SEC-3: refuses an ID token issued for another application',
    misbehave: 'wrong-audience',
    reason: 'audience_mismatch',
  },
  { title: 'SEC-3: refuses an expired ID token', misbehave: 'expired', reason: 'token_expired' },
  {
    title: 'SEC-3: refuses an ID token issued in the future',
    misbehave: 'future-iat',
    reason: 'issued_in_future',
  },
  { title: 'SEC-3: refuses an ID token without the nonce', misbehave: 'no-nonce', reason: 'nonce_mismatch' },
  {
    title: 'SEC-3: refuses an ID token with another nonce',
    misbehave: 'other-nonce',
    reason: 'nonce_mismatch',
  },
  {
    title: 'SEC-3: refuses an unsigned ID token (alg: none)',
    misbehave: 'alg-none',
    reason: 'alg_not_allowed',
  },
  {
    title: 'SEC-3: refuses an ID token signed with the client secret (HS256)',
    misbehave: 'hs256',
    reason: 'alg_not_allowed',
  },
  {
    title: 'SEC-3: refuses an ID token signed by a key that is not in the provider JWKS',
    misbehave: 'foreign-key',
    reason: 'bad_signature',
  },
  {
    title: 'SEC-3: refuses an Entra sign-in from a tenant the organization did not register',
    user: { ...DEFAULT_TEST_USER, tid: FABRIKAM, oid: 'oid-mallory' },
    rp: () => relyingPartyAt(fake, entra()),
    reason: 'unknown_entra_tenant',
  },
  {
    title: 'SEC-3: refuses an Entra token whose issuer is not the tenant it names',
    misbehave: 'wrong-issuer',
    user: { ...DEFAULT_TEST_USER, tid: CONTOSO, oid: 'oid-ada' },
    rp: () => relyingPartyAt(fake, entra()),
    reason: 'issuer_mismatch',
  },
  {
    title: 'SEC-3: refuses a work-tenant token at the Microsoft Account (consumer) provider',
    user: { ...DEFAULT_TEST_USER, tid: CONTOSO },
    rp: () => relyingPartyAt(fake, { kind: 'microsoft-account', authorityBaseUrl: fake.authorityBaseUrl }),
    reason: 'issuer_mismatch',
  },
  {
    title: 'SEC-3: refuses a Google account outside the organization hd domain',
    user: { ...DEFAULT_TEST_USER, hd: 'elsewhere.example' },
    rp: () =>
      relyingPartyAt(fake, { kind: 'google', issuerUrl: fake.issuer, allowedDomains: ['example.com'] }),
    reason: 'domain_not_allowed',
  },
  {
    title: 'SEC-3: refuses a consumer Google account (no hd) at a Workspace organization',
    user: { ...DEFAULT_TEST_USER },
    rp: () =>
      relyingPartyAt(fake, { kind: 'google', issuerUrl: fake.issuer, allowedDomains: ['example.com'] }),
    reason: 'domain_not_allowed',
  },
  {
    title: 'SEC-3: refuses a Google account of the right domain whose e-mail is not verified',
    user: { ...DEFAULT_TEST_USER, hd: 'example.com', email_verified: false },
    rp: () =>
      relyingPartyAt(fake, { kind: 'google', issuerUrl: fake.issuer, allowedDomains: ['example.com'] }),
    reason: 'domain_not_allowed',
  },
  {
    title: 'SEC-4: refuses a provider whose discovery document names another issuer',
    rp: () => relyingPartyAt(fake, { kind: 'oidc', issuerUrl: `${fake.issuer}/consumers/v2.0` }),
    reason: 'issuer_mismatch',
  },
  {
    title: 'SEC-3: reports a provider without a discovery document as a provider error',
    rp: () => relyingPartyAt(fake, { kind: 'oidc', issuerUrl: `${fake.issuer}/no-such-realm` }),
    reason: 'provider_error',
  },
  {
    title: 'SEC-3: refuses an open redirect in the return URL',
    returnTo: '//evil.example/',
    reason: 'open_redirect',
  },
  {
    title: 'SEC-3: refuses a sign-in without MFA when the organization requires it',
    user: { ...DEFAULT_TEST_USER, amr: ['pwd'] },
    rp: () => relyingPartyAt(fake, generic(), { requireMfa: true }),
    reason: 'mfa_required',
  },
  {
    title: 'SEC-3: refuses a sign-in without any amr when the organization requires MFA',
    user: { sub: 'user-no-amr', email: 'no-amr@example.com' },
    rp: () => relyingPartyAt(fake, generic(), { requireMfa: true }),
    reason: 'mfa_required',
  },
];

describe('hostile identity provider', () => {
  it.each(table)('$title', async (row) => {
    if (row.user) fake.setUser(row.user);
    if (row.misbehave) fake.misbehave(row.misbehave);
    const rp = row.rp?.() ?? relyingPartyAt(fake, generic());
    const error = await refusal(runSignIn(rp, fake, { returnTo: row.returnTo }));
    expect(error.reason).toBe(row.reason);
    expect(error.message).not.toMatch(/eyJ/); // no JWT in what the person sees
  });

  it('SEC-3: refuses a replayed state (second use of the same callback)', async () => {
    const rp = relyingPartyAt(fake, generic());
    const first = await runSignIn(rp, fake);
    expect(first.identity.subject).toBe(DEFAULT_TEST_USER.sub);
    const tokenRequests = fake.tokenRequests;
    const error = await refusal(rp.complete(first.callbackUrl, first.browserState));
    expect(error.reason).toBe('replayed_state');
    expect(fake.tokenRequests).toBe(tokenRequests);
  });

  it('SEC-3: a wrong PKCE verifier is refused by the token endpoint', async () => {
    const rp = relyingPartyAt(fake, generic(), { states: verifierSwappingStore() });
    const error = await refusal(runSignIn(rp, fake));
    expect(error.reason).toBe('pkce_failed');
  });

  it('SEC-3: refuses a callback whose state is not the one this browser holds', async () => {
    const rp = relyingPartyAt(fake, generic());
    const other = await rp.start('/');
    const error = await refusal(runSignIn(rp, fake, { browserState: other.state }));
    expect(error.reason).toBe('bad_state');
  });

  it('SEC-3: refuses a callback whose state was never issued', async () => {
    const rp = relyingPartyAt(fake, generic());
    const forged = 'forged-state-value';
    const error = await refusal(
      runSignIn(rp, fake, {
        browserState: forged,
        editCallback: (url) => {
          url.searchParams.set('state', forged);
          return url;
        },
      }),
    );
    expect(error.reason).toBe('bad_state');
  });

  it('SEC-3: refuses a sign-in finished after its time ran out', async () => {
    let offset = 0;
    const clock = () => Math.floor(Date.now() / 1000) + offset;
    const rp = relyingPartyAt(fake, generic(), { clock, signInTimeoutSeconds: 600 });
    const error = await refusal(
      runSignIn(rp, fake, {
        editCallback: (url) => {
          offset = 601;
          return url;
        },
      }),
    );
    expect(error.reason).toBe('bad_state');
  });

  it('SEC-3: the clock-skew bound is enforced both ways around an iat from a clock ahead of ours', async () => {
    const behind = (seconds: number) => () => Math.floor(Date.now() / 1000) - seconds;
    const within = await runSignIn(relyingPartyAt(fake, generic(), { clock: behind(30) }), fake);
    expect(within.identity.subject).toBe(DEFAULT_TEST_USER.sub);
    const beyond = await refusal(runSignIn(relyingPartyAt(fake, generic(), { clock: behind(120) }), fake));
    expect(beyond.reason).toBe('issued_in_future');
  });

  it('SEC-3: the provider error page is not followed for an unregistered redirect URI', async () => {
    const rp = relyingPartyAt(fake, generic(), { redirectUri: 'https://attacker.example/callback' });
    await expect(runSignIn(rp, fake)).rejects.toThrow(/did not redirect back: HTTP 400/);
  });
});
