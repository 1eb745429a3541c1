import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeTestCertificates } from '../../apps/server/src/platform/tls/test-certificates';
import { checkAssertion, type DecodedAssertion } from './google/jwt-assertion';
import { applyFieldSelection, FieldSelectionError, parseFieldSelection } from './google/partial-response';
import { createFakeServiceAccount, type ServiceAccountKeyJson } from './google/service-account';
import {
  applyUserChange,
  type FakeGoogleUser,
  type FakeGoogleUserChange,
  generateGoogleUser,
  googleUserId,
  indexOfGoogleUserId,
} from './google/users';

export { parseFieldSelection, selectedPaths } from './google/partial-response';
export type { FakeGoogleUser, FakeGoogleUserChange, ServiceAccountKeyJson };
export { googleUserId };

export const DIRECTORY_READONLY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3599;
const MAX_PAGE = 500;

/**
 * What the fake can be told to answer next. Token endpoint: `unauthorized_client` (delegation not
 * granted or revoked, 401), `invalid_grant` (400). Directory API: `invalid_credentials` (401),
 * `forbidden` (403), `user_rate_limit` (403 userRateLimitExceeded), `rate_limited` (429 + Retry-After),
 * `unavailable` (503 + Retry-After), `backend_error` (500).
 */
export type FakeGoogleFailure =
  | 'unauthorized_client'
  | 'invalid_grant'
  | 'invalid_credentials'
  | 'forbidden'
  | 'user_rate_limit'
  | 'rate_limited'
  | 'unavailable'
  | 'backend_error';

const TOKEN_FAILURES: ReadonlySet<FakeGoogleFailure> = new Set(['unauthorized_client', 'invalid_grant']);

export interface FakeGoogleRequest {
  endpoint: 'token' | 'users' | 'other';
  method: string;
  path: string;
  /** Query parameters (users) or form fields other than the assertion (token). */
  query: Record<string, string>;
  status: number;
  /** The JWT bearer assertion the token endpoint received, decoded. */
  assertion?: DecodedAssertion;
  /** The admin the access token impersonates (users requests with a valid token). */
  impersonated?: string;
}

export interface FakeGoogleDirectory {
  /** Serves both `/token` and `/admin/directory/v1/users`. */
  baseUrl: string;
  tokenUrl: string;
  caPem: string;
  /** The service account's JSON key, as a string, exactly as downloaded from Google Cloud. */
  serviceAccountKey: string;
  adminEmail: string;
  domain: string;
  customerId: string;
  readonly requests: FakeGoogleRequest[];
  /** Replaces the directory with `count` generated users and forgets every change. */
  seedUsers(count: number): void;
  /** User number `index` as it is now (undefined when removed or out of range). */
  userAt(index: number): FakeGoogleUser | undefined;
  updateUser(id: string, change: FakeGoogleUserChange): void;
  removeUser(id: string): void;
  failNext(kind: FakeGoogleFailure, times?: number, options?: { retryAfterSeconds?: number }): void;
  close(): Promise<void>;
}

export interface FakeGoogleDirectoryOptions {
  users?: number;
  domain?: string;
  /** Seconds since the epoch the token endpoint judges `iat`/`exp` against; default the real time. */
  nowSeconds?: () => number;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
};

const googleError = (status: number, reason: string, message: string, apiStatus: string) => ({
  error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: apiStatus },
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** A local stand-in for Google's OAuth token endpoint and the Admin SDK Directory API users list. */
export async function startFakeGoogleDirectory(
  options: FakeGoogleDirectoryOptions = {},
): Promise<FakeGoogleDirectory> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-google-'));
  const certs = await makeTestCertificates(dir);
  const domain = options.domain ?? 'example-school.test';
  const adminEmail = `it-admin@${domain}`;
  const customerId = `C0${randomBytes(4).toString('hex')}`;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const requests: FakeGoogleRequest[] = [];
  const tokens = new Map<string, { sub: string | undefined; scopes: string[]; expiresAt: number }>();
  const failures: { kind: FakeGoogleFailure; remaining: number; retryAfterSeconds: number }[] = [];
  let userCount = options.users ?? 0;
  let changed = new Map<number, FakeGoogleUser>();
  let removed = new Set<number>();
  let version = 0;
  let tokenUrl = '';

  const currentUser = (index: number): FakeGoogleUser | undefined => {
    if (index < 0 || index >= userCount || removed.has(index)) return undefined;
    return changed.get(index) ?? generateGoogleUser(index, domain, customerId);
  };

  const takeFailure = (endpoint: 'token' | 'users') => {
    const at = failures.findIndex((f) => TOKEN_FAILURES.has(f.kind) === (endpoint === 'token'));
    if (at < 0) return undefined;
    const failure = failures[at]!;
    if (--failure.remaining <= 0) failures.splice(at, 1);
    return failure;
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse, record: FakeGoogleRequest) => {
    const form = new URLSearchParams(await readBody(req));
    for (const [name, value] of form) if (name !== 'assertion') record.query[name] = value;
    const reply = (status: number, body: unknown) => {
      record.status = status;
      json(res, status, body, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
    };
    if (form.get('grant_type') !== JWT_BEARER) {
      return reply(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' });
    }
    const check = checkAssertion(form.get('assertion') ?? '', {
      publicKey: account.publicKey,
      keyId: account.key.private_key_id,
      clientEmail: account.key.client_email,
      audience: tokenUrl,
      nowSeconds: nowSeconds(),
    });
    if (check.ok || check.decoded)
      record.assertion = check.ok ? { header: check.header, claims: check.claims } : check.decoded;
    if (!check.ok) return reply(check.status, { error: check.error, error_description: check.description });
    const failure = takeFailure('token');
    const sub = typeof check.claims.sub === 'string' ? check.claims.sub : undefined;
    const scopes = String(check.claims.scope).split(' ').filter(Boolean);
    const delegationMissing =
      failure?.kind === 'unauthorized_client' ||
      (sub !== undefined && scopes.some((scope) => scope !== DIRECTORY_READONLY_SCOPE));
    if (delegationMissing) {
      return reply(401, {
        error: 'unauthorized_client',
        error_description:
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      });
    }
    if (failure?.kind === 'invalid_grant' || (sub !== undefined && !sub.endsWith(`@${domain}`))) {
      return reply(400, { error: 'invalid_grant', error_description: 'Invalid email or User ID' });
    }
    const accessToken = `ya29.${randomBytes(48).toString('base64url')}`;
    tokens.set(accessToken, { sub, scopes, expiresAt: nowSeconds() + TOKEN_LIFETIME_S });
    reply(200, { access_token: accessToken, expires_in: TOKEN_LIFETIME_S, token_type: 'Bearer' });
  };

  const handleUsers = (req: IncomingMessage, res: ServerResponse, url: URL, record: FakeGoogleRequest) => {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      json(res, status, body, headers);
    };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    const failure = takeFailure('users');
    if (!token || token.expiresAt <= nowSeconds() || failure?.kind === 'invalid_credentials') {
      return reply(401, googleError(401, 'authError', 'Invalid Credentials', 'UNAUTHENTICATED'), {
        'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      });
    }
    record.impersonated = token.sub;
    const retryAfter = { 'retry-after': String(failure?.retryAfterSeconds ?? 0) };
    switch (failure?.kind) {
      case 'forbidden':
        return reply(
          403,
          googleError(403, 'forbidden', 'Not Authorized to access this resource/api', 'PERMISSION_DENIED'),
        );
      case 'user_rate_limit':
        return reply(
          403,
          googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'PERMISSION_DENIED'),
        );
      case 'rate_limited':
        return reply(
          429,
          googleError(429, 'rateLimitExceeded', 'Quota exceeded for quota metric', 'RESOURCE_EXHAUSTED'),
          retryAfter,
        );
      case 'unavailable':
        return reply(
          503,
          googleError(503, 'backendError', 'The service is currently unavailable.', 'UNAVAILABLE'),
          retryAfter,
        );
      case 'backend_error':
        return reply(500, googleError(500, 'backendError', 'Internal error encountered.', 'INTERNAL'));
    }
    if (token.sub !== adminEmail || !token.scopes.includes(DIRECTORY_READONLY_SCOPE)) {
      return reply(
        403,
        googleError(403, 'forbidden', 'Not Authorized to access this resource/api', 'PERMISSION_DENIED'),
      );
    }
    const q = url.searchParams;
    const customer = q.get('customer');
    const askedDomain = q.get('domain');
    if (!customer && !askedDomain)
      return reply(400, googleError(400, 'badRequest', 'Bad Request', 'INVALID_ARGUMENT'));
    if (customer && customer !== 'my_customer' && customer !== customerId) {
      return reply(400, googleError(400, 'badRequest', 'Bad Request', 'INVALID_ARGUMENT'));
    }
    if (askedDomain && askedDomain !== domain) {
      return reply(
        403,
        googleError(403, 'forbidden', 'Not Authorized to access this resource/api', 'PERMISSION_DENIED'),
      );
    }
    const maxResults = Number(q.get('maxResults') ?? 100);
    const projection = q.get('projection') ?? 'basic';
    if (
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > MAX_PAGE ||
      !['basic', 'full', 'custom'].includes(projection)
    ) {
      return reply(400, googleError(400, 'invalid', 'Invalid Input', 'INVALID_ARGUMENT'));
    }
    let offset = 0;
    const pageToken = q.get('pageToken');
    if (pageToken) {
      offset = Number(
        Buffer.from(pageToken, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(offset) || offset < 0) {
        return reply(400, googleError(400, 'invalid', 'Invalid Input: pageToken', 'INVALID_ARGUMENT'));
      }
    }
    let selection: ReturnType<typeof parseFieldSelection> | true = true;
    try {
      if (q.has('fields')) selection = parseFieldSelection(q.get('fields') ?? '');
    } catch (error) {
      if (!(error instanceof FieldSelectionError)) throw error;
      return reply(400, googleError(400, 'invalidParameter', 'Invalid field selection', 'INVALID_ARGUMENT'));
    }
    const users: FakeGoogleUser[] = [];
    let index = offset;
    for (; index < userCount && users.length < maxResults; index++) {
      const user = currentUser(index);
      if (user) users.push(user);
    }
    const page: Record<string, unknown> = { kind: 'admin#directory#users', etag: `"list-${version}"` };
    if (users.length) page.users = users;
    if (index < userCount) page.nextPageToken = Buffer.from(`offset:${index}`).toString('base64url');
    reply(200, applyFieldSelection(page, selection));
  };

  const server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const record: FakeGoogleRequest = {
      endpoint: 'other',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    requests.push(record);
    const handle = async () => {
      if (req.method === 'POST' && url.pathname === '/token') {
        record.endpoint = 'token';
        return handleToken(req, res, record);
      }
      if (req.method === 'GET' && url.pathname === '/admin/directory/v1/users') {
        record.endpoint = 'users';
        return handleUsers(req, res, url, record);
      }
      record.status = 404;
      json(res, 404, googleError(404, 'notFound', 'Not Found', 'NOT_FOUND'));
    };
    handle().catch(() => {
      record.status = 500;
      if (!res.headersSent) json(res, 500, googleError(500, 'backendError', 'Internal error', 'INTERNAL'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenUrl = `${baseUrl}/token`;
  const account = await createFakeServiceAccount(tokenUrl);

  const indexOf = (id: string) => {
    const index = indexOfGoogleUserId(id);
    if (index === undefined || !currentUser(index)) throw new Error('No such user in the fake directory');
    return index;
  };

  return {
    baseUrl,
    tokenUrl,
    caPem: certs.caPem,
    serviceAccountKey: JSON.stringify(account.key, null, 2),
    adminEmail,
    domain,
    customerId,
    requests,
    seedUsers(count) {
      userCount = count;
      changed = new Map();
      removed = new Set();
      version++;
    },
    userAt: currentUser,
    updateUser(id, change) {
      const index = indexOf(id);
      changed.set(index, applyUserChange(currentUser(index)!, change, ++version));
    },
    removeUser(id) {
      removed.add(indexOf(id));
      version++;
    },
    failNext(kind, times = 1, opts = {}) {
      failures.push({ kind, remaining: times, retryAfterSeconds: opts.retryAfterSeconds ?? 2 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
