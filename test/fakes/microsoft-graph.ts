import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeTestCertificates } from '../../apps/server/src/platform/tls/test-certificates';
import { createFakeDirectory, type FakeGraphUser, type FakeGraphUserChanges } from './graph/directory';
import { graphError, json, preferredPageSize, readBody } from './graph/http';
import { answerTokenRequest } from './graph/token-endpoint';

export type { FakeGraphUser, FakeGraphUserChanges } from './graph/directory';

/**
 * What the fake can be told to do wrong, each as the real service does it:
 * - `revoked-secret`: token endpoint 401 `invalid_client` AADSTS7000215 (secret deleted or expired);
 * - `revoked-consent`: token endpoint 400 `unauthorized_client` AADSTS700016 (enterprise app removed);
 * - `forbidden`: Graph 403 `Authorization_RequestDenied` (User.Read.All not granted);
 * - `throttle` / `unavailable`: Graph 429 / 503 with `Retry-After` (seconds);
 * - `server-error`: Graph 500; `bad-json`: Graph 200 with a cut-off body;
 * - `foreign-link`: Graph 200 whose nextLink/deltaLink names another host (localhost instead of 127.0.0.1).
 */
export type FakeGraphFailure =
  | 'revoked-secret'
  | 'revoked-consent'
  | 'forbidden'
  | 'throttle'
  | 'unavailable'
  | 'server-error'
  | 'bad-json'
  | 'foreign-link';

export interface FakeGraphRequest {
  endpoint: 'token' | 'users' | 'delta' | 'other';
  method: string;
  /** Host header as sent: shows which host name a client followed. */
  host: string;
  path: string;
  query: Record<string, string>;
  /** The properties the request reads: its `$select`, or the one its paging/delta token carries; null = Graph's defaults. */
  select: string[] | null;
  /** Whether it carried a valid bearer token (Graph) or the right client secret (token endpoint). */
  authorized: boolean;
  status: number;
}

export interface FakeMicrosoftGraph {
  /** Authority base, as `https://login.microsoftonline.com`: POST {tokenBaseUrl}/{tenantId}/oauth2/v2.0/token. */
  tokenBaseUrl: string;
  /** As `https://graph.microsoft.com`: GET {graphBaseUrl}/v1.0/users… */
  graphBaseUrl: string;
  caPem: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  readonly requests: FakeGraphRequest[];
  /** Replaces the directory with `count` deterministic users, made on the fly page by page. */
  seedUsers(count: number): void;
  /** Object id of the seeded user at `index` (0-based). */
  userId(index: number): string;
  getUser(id: string): FakeGraphUser | undefined;
  updateUser(id: string, changes: FakeGraphUserChanges): FakeGraphUser;
  removeUser(id: string): void;
  addUser(user?: Partial<FakeGraphUser>): FakeGraphUser;
  /** The next `times` requests to the endpoint concerned fail as `kind` (Infinity: until reset). */
  failNext(kind: FakeGraphFailure, times?: number, options?: { retryAfterSeconds?: number }): void;
  /** Forgets every issued access token: the next Graph call gets a 401. */
  expireTokens(): void;
  /** Forgets every delta state: a deltaLink used afterwards gets 410 Gone. */
  expireDeltaTokens(): void;
  close(): Promise<void>;
}

const USERS_DEFAULT_TOP = 100;
const DELTA_DEFAULT_PAGE = 100;
const MAX_PAGE = 999;
const TOKEN_FAILURES: ReadonlySet<FakeGraphFailure> = new Set(['revoked-secret', 'revoked-consent']);
// What Graph returns for a user when the request has no $select.
const DEFAULT_PROPERTIES =
  'businessPhones displayName givenName jobTitle mail mobilePhone officeLocation preferredLanguage surname userPrincipalName id'.split(
    ' ',
  );

type PageState =
  | { kind: 'users'; select: string[] | null; top: number; offset: number }
  | { kind: 'delta-full'; select: string[] | null; offset: number; version: number }
  | { kind: 'delta-changes'; select: string[] | null; ids: string[]; offset: number; version: number };

export async function startFakeMicrosoftGraph(): Promise<FakeMicrosoftGraph> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-fake-graph-'));
  const certificates = await makeTestCertificates(dir);
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const clientSecret = `${randomBytes(3).toString('hex')}~${randomBytes(27).toString('base64url')}`;
  const directory = createFakeDirectory();
  const knownProperties = new Set(Object.keys(sampleUser()));
  const accessTokens = new Map<string, number>();
  const pageStates = new Map<string, PageState>();
  const deltaStates = new Map<string, { select: string[] | null; version: number }>();
  const failures: { kind: FakeGraphFailure; remaining: number; retryAfterSeconds: number }[] = [];
  const requests: FakeGraphRequest[] = [];
  let tokenBaseUrl = '';
  let graphBaseUrl = '';
  let graphPort = 0;

  const takeFailure = (forTokenEndpoint: boolean) => {
    const index = failures.findIndex((f) => TOKEN_FAILURES.has(f.kind) === forTokenEndpoint);
    const failure = failures[index];
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(index, 1);
    return failure;
  };

  const record = (req: IncomingMessage, res: ServerResponse, endpoint: FakeGraphRequest['endpoint']) => {
    const url = new URL(req.url ?? '/', 'https://fake.invalid');
    const entry: FakeGraphRequest = {
      endpoint,
      method: req.method ?? 'GET',
      host: req.headers.host ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      select: null,
      authorized: false,
      status: 0,
    };
    requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    return entry;
  };

  const issueToken = async (req: IncomingMessage, res: ServerResponse, tenant: string) => {
    const entry = record(req, res, 'token');
    const form = new URLSearchParams(await readBody(req));
    const failure = takeFailure(true)?.kind as 'revoked-secret' | 'revoked-consent' | undefined;
    entry.authorized = answerTokenRequest(
      { tenantId, clientId, clientSecret },
      accessTokens,
      { tenant, form, failure },
      res,
    );
  };

  const project = (user: FakeGraphUser, select: string[] | null) => {
    const properties = select ? ['id', ...select.filter((p) => p !== 'id')] : DEFAULT_PROPERTIES;
    const row = user as unknown as Record<string, unknown>;
    return Object.fromEntries(properties.map((p) => [p, row[p] ?? null]));
  };

  const parseSelect = (raw: string | null): string[] | null | Error => {
    if (raw === null) return null;
    const properties = raw.split(',').map((p) => p.trim());
    const unknown = properties.find((p) => !knownProperties.has(p));
    return unknown === undefined
      ? properties
      : new Error(`Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
  };

  const newPageToken = (state: PageState) => {
    const token = randomBytes(24).toString('base64url');
    pageStates.set(token, state);
    return token;
  };

  const context = (select: string[] | null) =>
    `${graphBaseUrl}/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}`;

  const sendPage = (res: ServerResponse, body: Record<string, unknown>, failure?: FakeGraphFailure) => {
    if (failure === 'bad-json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      const text = JSON.stringify(body);
      return res.end(text.slice(0, Math.ceil(text.length / 2)));
    }
    if (failure === 'foreign-link') {
      for (const key of ['@odata.nextLink', '@odata.deltaLink']) {
        const link = body[key];
        if (typeof link === 'string')
          body[key] = link.replace(graphBaseUrl, `https://localhost:${graphPort}`);
      }
    }
    json(res, 200, body);
  };

  const listUsers = (res: ServerResponse, url: URL, entry: FakeGraphRequest, failure?: FakeGraphFailure) => {
    const skipToken = url.searchParams.get('$skiptoken');
    let state: PageState | undefined;
    if (skipToken) {
      state = pageStates.get(skipToken);
      if (state?.kind !== 'users')
        return graphError(
          res,
          400,
          'Directory_ExpiredPageToken',
          'The specified page token value has expired.',
        );
    } else {
      const select = parseSelect(url.searchParams.get('$select'));
      if (select instanceof Error) return graphError(res, 400, 'Request_BadRequest', select.message);
      const top = Number(url.searchParams.get('$top') ?? USERS_DEFAULT_TOP);
      if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE)
        return graphError(
          res,
          400,
          'Request_UnsupportedQuery',
          `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
        );
      state = { kind: 'users', select, top, offset: 0 };
    }
    entry.select = state.select;
    const { users, next } = directory.page(state.offset, state.top);
    const body: Record<string, unknown> = {
      '@odata.context': context(state.select),
      value: users.map((user) => project(user, state.select)),
    };
    if (next < directory.size) {
      const query = new URLSearchParams();
      if (state.select) query.set('$select', state.select.join(','));
      query.set('$top', String(state.top));
      query.set('$skiptoken', newPageToken({ ...state, offset: next }));
      body['@odata.nextLink'] = `${graphBaseUrl}/v1.0/users?${query}`;
    }
    sendPage(res, body, failure);
  };

  const deltaUsers = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entry: FakeGraphRequest,
    failure?: FakeGraphFailure,
  ) => {
    const pageSize = Math.min(preferredPageSize(req) ?? DELTA_DEFAULT_PAGE, MAX_PAGE);
    const skipToken = url.searchParams.get('$skiptoken');
    const deltaToken = url.searchParams.get('$deltatoken');
    let state: PageState | undefined;
    if (skipToken) {
      state = pageStates.get(skipToken);
      if (!state || state.kind === 'users')
        return graphError(res, 410, 'syncStateNotFound', 'The sync state generation is not found.');
    } else if (deltaToken) {
      const since = deltaStates.get(deltaToken);
      if (!since) return graphError(res, 410, 'syncStateNotFound', 'The sync state generation is not found.');
      const ids = directory.changedSince(since.version);
      state = { kind: 'delta-changes', select: since.select, ids, offset: 0, version: directory.version };
    } else {
      const select = parseSelect(url.searchParams.get('$select'));
      if (select instanceof Error) return graphError(res, 400, 'Request_BadRequest', select.message);
      state = { kind: 'delta-full', select, offset: 0, version: directory.version };
    }
    entry.select = state.select;
    const select = state.select;
    let value: Record<string, unknown>[];
    let next: number;
    let more: boolean;
    if (state.kind === 'delta-full') {
      const page = directory.page(state.offset, pageSize);
      value = page.users.map((user) => project(user, select));
      next = page.next;
      more = next < directory.size;
    } else {
      const ids = state.ids.slice(state.offset, state.offset + pageSize);
      value = ids.map((id) => {
        const change = directory.deltaEntry(id);
        return 'user' in change
          ? project(change.user, select)
          : { '@odata.type': '#microsoft.graph.user', id, '@removed': { reason: 'changed' } };
      });
      next = state.offset + ids.length;
      more = next < state.ids.length;
    }
    const body: Record<string, unknown> = { '@odata.context': context(select), value };
    if (more) {
      body['@odata.nextLink'] =
        `${graphBaseUrl}/v1.0/users/delta?$skiptoken=${newPageToken({ ...state, offset: next })}`;
    } else {
      const token = randomBytes(32).toString('base64url');
      deltaStates.set(token, { select, version: state.version });
      body['@odata.deltaLink'] = `${graphBaseUrl}/v1.0/users/delta?$deltatoken=${token}`;
    }
    res.setHeader('preference-applied', `odata.maxpagesize=${pageSize}`);
    sendPage(res, body, failure);
  };

  const graph = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', graphBaseUrl);
    const endpoint =
      url.pathname === '/v1.0/users' ? 'users' : url.pathname === '/v1.0/users/delta' ? 'delta' : 'other';
    const entry = record(req, res, endpoint);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? accessTokens.get(bearer) : undefined;
    if (!expiresAt || expiresAt < Date.now()) {
      res.setHeader(
        'www-authenticate',
        `Bearer realm="", authorization_uri="${tokenBaseUrl}/common/oauth2/authorize"`,
      );
      return graphError(
        res,
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
      );
    }
    entry.authorized = true;
    if (req.method !== 'GET' || endpoint === 'other')
      return graphError(res, 400, 'BadRequest', `Resource not found for the segment '${url.pathname}'.`);
    const failure = takeFailure(false);
    const retryAfter = { 'retry-after': String(failure?.retryAfterSeconds ?? 2) };
    switch (failure?.kind) {
      case 'forbidden':
        return graphError(
          res,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
      case 'throttle':
        return graphError(res, 429, 'TooManyRequests', 'Too many requests.', retryAfter);
      case 'unavailable':
        return graphError(
          res,
          503,
          'serviceNotAvailable',
          'The service is temporarily unavailable.',
          retryAfter,
        );
      case 'server-error':
        return graphError(res, 500, 'generalException', 'An unspecified error has occurred.');
    }
    if (endpoint === 'users') return listUsers(res, url, entry, failure?.kind);
    return deltaUsers(req, res, url, entry, failure?.kind);
  };

  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const tls = { cert: certificates.certPem, key: certificates.keyPem };
  const tokenServer = createServer(tls, (req, res) => {
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(new URL(req.url ?? '/', 'https://x').pathname);
    if (!match || req.method !== 'POST') {
      record(req, res, 'other');
      return json(res, 404, { error: 'not_found' });
    }
    issueToken(req, res, decodeURIComponent(match[1] ?? '')).catch(() =>
      json(res, 500, { error: 'server_error' }),
    );
  });
  const graphServer = createServer(tls, graph);
  tokenBaseUrl = `https://127.0.0.1:${await listen(tokenServer)}`;
  graphPort = await listen(graphServer);
  graphBaseUrl = `https://127.0.0.1:${graphPort}`;

  return {
    tokenBaseUrl,
    graphBaseUrl,
    caPem: certificates.caPem,
    tenantId,
    clientId,
    clientSecret,
    requests,
    seedUsers(count) {
      directory.seed(count);
      pageStates.clear();
      deltaStates.clear();
    },
    userId: (index) => directory.seededId(index),
    getUser: (id) => directory.find(id),
    updateUser: (id, changes) => directory.update(id, changes),
    removeUser: (id) => directory.remove(id),
    addUser: (user) => directory.add(user),
    failNext(kind, times = 1, options = {}) {
      failures.push({ kind, remaining: times, retryAfterSeconds: options.retryAfterSeconds ?? 2 });
    },
    expireTokens: () => accessTokens.clear(),
    expireDeltaTokens: () => deltaStates.clear(),
    async close() {
      for (const server of [tokenServer, graphServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Property names of a user, for $select validation before any user is seeded.
function sampleUser(): FakeGraphUser {
  const sample = createFakeDirectory();
  sample.seed(1);
  return sample.page(0, 1).users[0]!;
}

/** The Settings → Directory request that connects an organization to this fake (tests of the routes and job). */
export function entraConnectionTo(graph: FakeMicrosoftGraph) {
  return {
    kind: 'entra' as const,
    settings: {
      directoryTenantId: graph.tenantId,
      clientId: graph.clientId,
      authorityBaseUrl: graph.tokenBaseUrl,
      graphBaseUrl: graph.graphBaseUrl,
    },
    credential: graph.clientSecret,
  };
}
