import { timingSafeEqual } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { z } from 'zod';
import { signInErrorFrom } from './classify-error';
import { createHttpsFetch } from './https-fetch';
import { DEFAULT_MFA_ACR_VALUES, showsMfa } from './mfa';
import { type IdTokenClaims, type ProviderSettings, presetFor } from './provider-presets';
import { safeReturnTo } from './return-to';
import { SignInError } from './sign-in-error';
import type { SignInStateStore } from './state-store';
import type { PendingSignIn, VerifiedIdentity } from './types';

/** ID-token signature algorithms we accept: never `none`, never a shared-secret HS*. */
export const ALLOWED_ID_TOKEN_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;

const DISCOVERY_MAX_AGE_SECONDS = 3600;

export type RelyingPartyOptions = ProviderSettings & {
  clientId: string;
  /** Confidential clients; a public client signs in with PKCE alone. */
  clientSecret?: string;
  /** Where the provider sends the browser back: the exact URL registered with the provider. */
  redirectUri: string;
  /** Where started sign-ins wait for the provider's answer (server-side, shared by all nodes). */
  states: SignInStateStore;
  /** Refuse a sign-in whose `amr`/`acr` shows no multi-factor authentication. */
  requireMfa?: boolean;
  mfaAcrValues?: readonly string[];
  /** Seconds since the epoch. */
  clock?: () => number;
  /** PEM of an extra CA to trust (tests, private issuers). */
  caPem?: string;
  /** Host name resolution for provider calls: pass a guard for issuers a tenant typed. */
  lookup?: LookupFunction;
  maxClockSkewSeconds?: number;
  /** How long the person has to finish signing in at the provider. */
  signInTimeoutSeconds?: number;
  scope?: string;
};

export interface StartedSignIn {
  authorizationUrl: string;
  /** Bind it to the browser (a short-lived cookie) and pass it back to `complete`. */
  state: string;
  expiresAt: number;
}

export interface CompletedSignIn {
  identity: VerifiedIdentity;
  /** The same-site path the person asked for when they started. */
  returnTo: string;
}

export interface RelyingParty {
  readonly kind: ProviderSettings['kind'];
  start(returnTo?: string): Promise<StartedSignIn>;
  /**
   * Finishes a sign-in from the provider's redirect. `browserState` is the state this browser was
   * given by `start` (its cookie); a callback carrying any other state is refused.
   */
  complete(callbackUrl: URL, browserState: string | undefined): Promise<CompletedSignIn>;
}

const httpsUrl = z.url({ protocol: /^https$/ });
const discoverySchema = z.looseObject({
  issuer: z.string().min(1),
  authorization_endpoint: httpsUrl,
  token_endpoint: httpsUrl,
  jwks_uri: httpsUrl,
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
type DiscoveryDocument = z.infer<typeof discoverySchema>;

interface CapturedResponse {
  status: number;
  headers: Headers;
  body: ArrayBuffer;
}

export function createRelyingParty(options: RelyingPartyOptions): RelyingParty {
  const preset = presetFor(options);
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const maxSkew = options.maxClockSkewSeconds ?? 60;
  const timeout = options.signInTimeoutSeconds ?? 600;
  const scope = options.scope ?? 'openid profile email';
  const httpsFetch = createHttpsFetch({ caPem: options.caPem, lookup: options.lookup });
  const providerKey = `${preset.kind} ${options.clientId} ${preset.discoveryUrl}`;
  const redirectUri = new URL(options.redirectUri);
  if (redirectUri.search || redirectUri.hash)
    throw new TypeError('The redirect URI takes no query or fragment');
  let discovery: { document: Promise<DiscoveryDocument>; fetchedAt: number } | undefined;
  let jwksCache: client.ExportedJWKSCache | undefined;

  // Re-read hourly so a provider that moves its endpoints is followed without a restart.
  function discover(): Promise<DiscoveryDocument> {
    const now = clock();
    if (!discovery || now - discovery.fetchedAt > DISCOVERY_MAX_AGE_SECONDS) {
      const document = fetchDiscovery();
      const entry = { document, fetchedAt: now };
      discovery = entry;
      document.catch(() => {
        if (discovery === entry) discovery = undefined;
      });
    }
    return discovery.document;
  }

  async function fetchDiscovery(): Promise<DiscoveryDocument> {
    let document: DiscoveryDocument;
    try {
      const response = await httpsFetch(preset.discoveryUrl, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`Discovery answered HTTP ${response.status}`);
      document = discoverySchema.parse(await response.json());
    } catch (error) {
      throw new SignInError('provider_error', { cause: error });
    }
    if (!preset.acceptsDiscoveredIssuer(document.issuer)) {
      throw new SignInError('issuer_mismatch', {
        message: 'The identity provider publishes another issuer than the one configured.',
      });
    }
    const pkce = document.code_challenge_methods_supported;
    if (pkce && !pkce.includes('S256')) {
      throw new SignInError('provider_error', {
        message: 'The identity provider does not support PKCE S256.',
      });
    }
    return document;
  }

  function configure(document: DiscoveryDocument, issuer: string, fetch: client.CustomFetch) {
    const offered = document.id_token_signing_alg_values_supported;
    const algorithms = ALLOWED_ID_TOKEN_ALGORITHMS.filter((alg) => !offered || offered.includes(alg));
    if (algorithms.length === 0) {
      throw new SignInError('alg_not_allowed', {
        message: 'The identity provider signs with no algorithm this application accepts.',
      });
    }
    const metadata: Partial<client.ClientMetadata> = {
      [client.clockSkew]: clock() - Math.floor(Date.now() / 1000),
      [client.clockTolerance]: maxSkew,
    };
    if (options.clientSecret) metadata.client_secret = options.clientSecret;
    const config = new client.Configuration(
      { ...document, issuer, id_token_signing_alg_values_supported: algorithms },
      options.clientId,
      metadata,
      options.clientSecret ? client.ClientSecretPost(options.clientSecret) : client.None(),
    );
    config[client.customFetch] = fetch;
    // Without this, openid-client trusts any ID token the token endpoint returns, whatever signed it.
    client.enableNonRepudiationChecks(config);
    if (jwksCache) client.setJwksCache(config, jwksCache);
    return config;
  }

  /**
   * Sends the code to the token endpoint once and keeps the answer: Entra's multi-tenant endpoint names
   * the tenant only inside the ID token, so the issuer to check it against is known only afterwards.
   */
  async function exchangeCode(
    document: DiscoveryDocument,
    callback: URL,
    checks: client.AuthorizationCodeGrantChecks,
  ): Promise<CapturedResponse> {
    const tokenEndpoint = new URL(document.token_endpoint).href;
    let captured: CapturedResponse | undefined;
    const capture: client.CustomFetch = async (url, init) => {
      const response = await httpsFetch(url, init);
      if (new URL(url).href !== tokenEndpoint) return response;
      captured = { status: response.status, headers: response.headers, body: await response.arrayBuffer() };
      throw new Error('token response kept for validation');
    };
    try {
      await client.authorizationCodeGrant(configure(document, document.issuer, capture), callback, checks);
    } catch (error) {
      if (!captured) throw signInErrorFrom(error);
    }
    if (!captured) throw new SignInError('provider_error');
    return captured;
  }

  async function validate(
    document: DiscoveryDocument,
    callback: URL,
    checks: client.AuthorizationCodeGrantChecks,
    tokenResponse: CapturedResponse,
  ): Promise<IdTokenClaims> {
    const tokenEndpoint = new URL(document.token_endpoint).href;
    const replay: client.CustomFetch = async (url, init) =>
      new URL(url).href === tokenEndpoint
        ? new Response(tokenResponse.body, { status: tokenResponse.status, headers: tokenResponse.headers })
        : httpsFetch(url, init);
    const issuer = preset.expectedIssuer(document.issuer, unverifiedIdTokenClaims(tokenResponse) ?? {});
    const config = configure(document, issuer ?? document.issuer, replay);
    try {
      const tokens = await client.authorizationCodeGrant(config, callback, checks);
      const claims = tokens.claims();
      if (!claims)
        throw new SignInError('provider_error', { message: 'The identity provider sent no ID token.' });
      return claims;
    } catch (error) {
      throw signInErrorFrom(error);
    } finally {
      jwksCache = client.getJwksCache(config) ?? jwksCache;
    }
  }

  return {
    kind: preset.kind,

    async start(returnTo) {
      const path = safeReturnTo(returnTo);
      const document = await discover();
      const now = clock();
      const pending: PendingSignIn = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        returnTo: path,
        provider: providerKey,
        createdAt: now,
        expiresAt: now + timeout,
      };
      const url = client.buildAuthorizationUrl(configure(document, document.issuer, httpsFetch), {
        ...preset.authorizationParameters,
        response_type: 'code',
        redirect_uri: redirectUri.href,
        scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      await options.states.save(pending);
      return { authorizationUrl: url.href, state: pending.state, expiresAt: pending.expiresAt };
    },

    async complete(callbackUrl, browserState) {
      const state = callbackUrl.searchParams.get('state');
      if (!state || !browserState || !sameText(state, browserState)) throw new SignInError('bad_state');
      const now = clock();
      const taken = await options.states.take(state, now);
      if (taken.status === 'used') throw new SignInError('replayed_state');
      if (taken.status === 'unknown') throw new SignInError('bad_state');
      const { pending } = taken;
      if (pending.provider !== providerKey || pending.expiresAt < now) throw new SignInError('bad_state');

      // Only the provider's parameters are taken from the request; the address is the registered one.
      const callback = new URL(redirectUri);
      callback.search = callbackUrl.search;
      const checks: client.AuthorizationCodeGrantChecks = {
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.codeVerifier,
        idTokenExpected: true,
      };
      const document = await discover();
      const tokenResponse = await exchangeCode(document, callback, checks);
      const claims = await validate(document, callback, checks, tokenResponse);

      // openid-client checks exp and nbf but not iat: a token from the future means a wrong clock or a forgery.
      if (typeof claims.iat !== 'number' || claims.iat > now + maxSkew) {
        throw new SignInError('issued_in_future');
      }
      const identity = preset.identify(claims, String(claims.iss));
      if (
        options.requireMfa &&
        !showsMfa(identity.amr, identity.acr, options.mfaAcrValues ?? DEFAULT_MFA_ACR_VALUES)
      ) {
        throw new SignInError('mfa_required');
      }
      return { identity, returnTo: pending.returnTo };
    },
  };
}

function unverifiedIdTokenClaims(response: CapturedResponse): IdTokenClaims | null {
  try {
    const body = JSON.parse(new TextDecoder().decode(response.body)) as { id_token?: unknown };
    return typeof body.id_token === 'string' ? decodeJwt(body.id_token) : null;
  } catch {
    return null;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
