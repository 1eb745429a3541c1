import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { createHttpsFetch } from '../../apps/server/src/platform/auth/relying-party/https-fetch';
import { MICROSOFT_CONSUMER_TENANT_ID } from '../../apps/server/src/platform/auth/relying-party/provider-presets';
import type {
  CompletedSignIn,
  RelyingParty,
} from '../../apps/server/src/platform/auth/relying-party/relying-party';
import { makeTestCertificates } from '../../apps/server/src/platform/tls/test-certificates';

/**
 * A small HTTPS OpenID Connect provider the tests control. It serves the generic issuer (also used
 * as Google's), Entra's multi-tenant endpoint under /organizations/v2.0 and Microsoft Account under
 * /consumers/v2.0, and can be told to misbehave one way at a time to prove the relying party refuses.
 */
export type Misbehaviour =
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'expired'
  | 'future-iat'
  | 'no-nonce'
  | 'other-nonce'
  | 'alg-none'
  | 'hs256'
  | 'foreign-key';

export interface OidcTestProviderOptions {
  clientId?: string;
  /** Omit for a public client (PKCE only). */
  clientSecret?: string | null;
  redirectUri?: string;
  alg?: 'ES256' | 'RS256';
}

export interface OidcTestProvider {
  /** Generic issuer (and Google's, in tests): https://127.0.0.1:<port> */
  issuer: string;
  /** The Microsoft authority stand-in: Entra at /organizations/v2.0, personal accounts at /consumers/v2.0. */
  authorityBaseUrl: string;
  caPem: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  /** Claims of the person the provider signs in next (sub, email, tid, oid, hd, amr…). */
  setUser(claims: Record<string, unknown>): void;
  /** One way to misbehave from now on; null to behave again. */
  misbehave(mode: Misbehaviour | null): void;
  /** Token requests answered so far, refused ones included. */
  readonly tokenRequests: number;
  close(): Promise<void>;
}

type Flavor = 'oidc' | 'entra' | 'microsoft-account';
const PREFIXES: Record<Flavor, string> = {
  oidc: '',
  entra: '/organizations/v2.0',
  'microsoft-account': '/consumers/v2.0',
};

interface IssuedCode {
  flavor: Flavor;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string;
  user: Record<string, unknown>;
  expiresAt: number;
}

export const DEFAULT_TEST_USER = {
  sub: 'user-ada',
  email: 'ada@example.com',
  email_verified: true,
  name: 'Ada Lovelace',
  amr: ['pwd', 'mfa'],
};

export async function createOidcTestProvider(
  options: OidcTestProviderOptions = {},
): Promise<OidcTestProvider> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oidc-fake-'));
  const certificates = await makeTestCertificates(dir);
  const clientId = options.clientId ?? 'thestorage-test-client';
  const clientSecret = options.clientSecret === undefined ? 'test-client-secret' : options.clientSecret;
  const redirectUri = options.redirectUri ?? 'https://app.example.test/auth/callback';
  const alg = options.alg ?? 'ES256';
  const kid = `${alg.toLowerCase()}-1`;
  const signing = await generateKeyPair(alg, { extractable: true });
  const foreign = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid, alg, use: 'sig' };

  let user: Record<string, unknown> = { ...DEFAULT_TEST_USER };
  let mode: Misbehaviour | null = null;
  let tokenRequests = 0;
  const codes = new Map<string, IssuedCode>();
  const now = () => Math.floor(Date.now() / 1000);
  let base = '';

  const issuerOf = (flavor: Flavor, claims: Record<string, unknown>): string => {
    if (flavor === 'entra') return `${base}/${String(claims.tid)}/v2.0`;
    if (flavor === 'microsoft-account') return `${base}/${MICROSOFT_CONSUMER_TENANT_ID}/v2.0`;
    return base;
  };

  const discovery = (flavor: Flavor) => {
    const prefix = `${base}${PREFIXES[flavor]}`;
    return {
      issuer: flavor === 'entra' ? `${base}/{tenantid}/v2.0` : issuerOf(flavor, {}),
      authorization_endpoint: `${prefix}/authorize`,
      token_endpoint: `${prefix}/token`,
      jwks_uri: `${prefix}/keys`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [alg],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
      scopes_supported: ['openid', 'profile', 'email'],
    };
  };

  const idToken = async (code: IssuedCode): Promise<string> => {
    const t = now();
    const claims: Record<string, unknown> = {
      ...code.user,
      iss: issuerOf(code.flavor, code.user),
      aud: clientId,
      iat: t,
      exp: t + 600,
      auth_time: t,
      nonce: code.nonce,
    };
    if (code.nonce === undefined) delete claims.nonce;
    switch (mode) {
      case 'wrong-issuer':
        claims.iss = `${base}/somebody-else`;
        break;
      case 'wrong-audience':
        claims.aud = 'another-application';
        break;
      case 'expired':
        claims.iat = t - 7200;
        claims.exp = t - 3600;
        break;
      case 'future-iat':
        claims.iat = t + 3600;
        claims.exp = t + 7200;
        break;
      case 'no-nonce':
        delete claims.nonce;
        break;
      case 'other-nonce':
        claims.nonce = randomBytes(16).toString('base64url');
        break;
      case 'alg-none':
        return new UnsecuredJWT(claims).encode();
      case 'hs256':
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid })
          .sign(new TextEncoder().encode(clientSecret ?? 'no-secret-at-all-but-32-bytes-long!'));
      default:
        break;
    }
    const key = mode === 'foreign-key' ? foreign.privateKey : signing.privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
  };

  const authorize = (flavor: Flavor, url: URL, res: ServerResponse) => {
    const p = url.searchParams;
    const problem =
      (p.get('client_id') !== clientId && 'unknown client_id') ||
      (p.get('redirect_uri') !== redirectUri && 'redirect_uri is not registered') ||
      (p.get('response_type') !== 'code' && 'response_type must be code') ||
      (!p.get('scope')?.split(' ').includes('openid') && 'scope must include openid') ||
      (p.get('code_challenge_method') !== 'S256' && 'code_challenge_method must be S256') ||
      (!p.get('code_challenge') && 'code_challenge missing') ||
      (!p.get('state') && 'state missing');
    if (problem) return send(res, 400, { error: 'invalid_request', error_description: problem });
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      flavor,
      redirectUri,
      nonce: p.get('nonce') ?? undefined,
      codeChallenge: p.get('code_challenge') ?? '',
      user: structuredClone(user),
      expiresAt: now() + 60,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', p.get('state') ?? '');
    res.writeHead(302, { location: back.href, 'cache-control': 'no-store' }).end();
  };

  const token = async (flavor: Flavor, req: IncomingMessage, res: ServerResponse) => {
    tokenRequests++;
    const form = new URLSearchParams(await readBody(req));
    const basic = parseBasic(req.headers.authorization);
    const presentedId = basic?.id ?? form.get('client_id');
    const presentedSecret = basic?.secret ?? form.get('client_secret');
    if (presentedId !== clientId || (clientSecret !== null && presentedSecret !== clientSecret)) {
      return send(res, 401, { error: 'invalid_client' });
    }
    if (form.get('grant_type') !== 'authorization_code') {
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    const codeValue = form.get('code') ?? '';
    const code = codes.get(codeValue);
    codes.delete(codeValue);
    if (!code || code.flavor !== flavor || code.expiresAt < now()) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' });
    }
    if (form.get('redirect_uri') !== code.redirectUri) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
    }
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    send(res, 200, {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email',
      id_token: await idToken(code),
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    for (const flavor of ['entra', 'microsoft-account', 'oidc'] as const) {
      const prefix = PREFIXES[flavor];
      if (!url.pathname.startsWith(`${prefix}/`)) continue;
      const rest = url.pathname.slice(prefix.length);
      if (rest === '/.well-known/openid-configuration') return send(res, 200, discovery(flavor));
      if (rest === '/keys') return send(res, 200, { keys: [publicJwk] });
      if (rest === '/authorize' && req.method === 'GET') return authorize(flavor, url, res);
      if (rest === '/token' && req.method === 'POST') return token(flavor, req, res);
    }
    send(res, 404, { error: 'not_found' });
  };

  const server = createServer({ cert: certificates.certPem, key: certificates.keyPem }, (req, res) => {
    route(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer: base,
    authorityBaseUrl: base,
    caPem: certificates.caPem,
    clientId,
    clientSecret,
    redirectUri,
    setUser(claims) {
      user = { ...claims };
    },
    misbehave(next) {
      mode = next;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SignInRun extends CompletedSignIn {
  /** The provider's redirect back to the application, as the browser would open it. */
  callbackUrl: URL;
  /** The state this browser holds (its cookie). */
  browserState: string;
}

/**
 * Signs in like a browser: start at the relying party, follow the provider's redirect by hand and
 * hand the callback back to the relying party. `editCallback` lets a test tamper with the redirect.
 */
export async function runSignIn(
  rp: RelyingParty,
  fake: OidcTestProvider,
  opts: { returnTo?: string; editCallback?: (callback: URL) => URL; browserState?: string } = {},
): Promise<SignInRun> {
  const started = await rp.start(opts.returnTo);
  const browser = createHttpsFetch({ caPem: fake.caPem });
  const answer = await browser(started.authorizationUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) {
    throw new Error(`The test provider did not redirect back: HTTP ${answer.status} ${await answer.text()}`);
  }
  const redirected = new URL(location);
  const callbackUrl = opts.editCallback ? opts.editCallback(redirected) : redirected;
  const browserState = opts.browserState ?? started.state;
  const completed = await rp.complete(callbackUrl, browserState);
  return { ...completed, callbackUrl, browserState };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
