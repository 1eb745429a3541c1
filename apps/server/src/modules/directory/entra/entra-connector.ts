import type { LookupFunction } from 'node:net';
import { createHttpsFetch, type HttpsFetch } from '../../../platform/auth/relying-party/https-fetch';
import { type Clock, systemClock } from '../../../platform/clock';
import {
  DirectoryConnectionError,
  type DirectoryConnector,
  type DirectoryPage,
  type DirectoryPerson,
} from '../types';
import { createClientCredentialsToken } from './client-credentials-token';
import { abortableSleep, type RetryPolicy, requestWithRetries, type Sleep } from './request-with-retries';

/** The only user properties asked of Graph (SEC-5): nothing else leaves the directory. */
export const ENTRA_USER_PROPERTIES = [
  'id',
  'userPrincipalName',
  'givenName',
  'surname',
  'displayName',
  'jobTitle',
  'accountEnabled',
] as const;

export interface EntraConnectorOptions {
  /** Directory (tenant) id of the app registration. */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityBaseUrl?: string;
  graphBaseUrl?: string;
  /** Extra CA to trust (tests, the demo's local Graph). */
  caPem?: string;
  clock?: Clock;
  /** How Retry-After and backoff waits happen; tests pass a recorder. */
  sleep?: Sleep;
  /** Users per page asked of Graph (`Prefer: odata.maxpagesize`), at most 999. */
  pageSize?: number;
  maxRetries?: number;
  /** Resolves host names for the HTTPS client: public addresses only unless the base URLs are trusted. */
  lookup?: LookupFunction;
  /** Replaces the HTTPS client (tests). */
  fetch?: HttpsFetch;
}

const SERVICE = 'Microsoft Graph';
const DELTA_PATHS = [
  '/v1.0/users/delta',
  '/v1.0/users/microsoft.graph.delta',
  '/v1.0/users/microsoft.graph.delta()',
];
// A resync answer (410 Gone): the delta token expired, so the directory has to be read in full again.
const RESYNC = Symbol('resync');

/** DIR-1: reads the users of a Microsoft Entra ID tenant through Microsoft Graph delta queries. */
export function createEntraConnector(options: EntraConnectorOptions): DirectoryConnector {
  const graphBase = new URL(options.graphBaseUrl ?? 'https://graph.microsoft.com');
  const authorityBase = new URL(options.authorityBaseUrl ?? 'https://login.microsoftonline.com');
  if (graphBase.protocol !== 'https:' || authorityBase.protocol !== 'https:') {
    throw new TypeError('Microsoft Entra ID and Graph base URLs must use HTTPS');
  }
  const pageSize = Math.min(Math.max(1, Math.floor(options.pageSize ?? 999)), 999);
  const basePath = graphBase.pathname.replace(/\/+$/, '');
  const fetch =
    options.fetch ??
    createHttpsFetch({ caPem: options.caPem, lookup: options.lookup, maxResponseBytes: 32 * 1024 * 1024 });
  const retry: RetryPolicy = {
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? abortableSleep,
    maxRetries: options.maxRetries ?? 5,
  };
  const tokens = createClientCredentialsToken({
    authorityBaseUrl: authorityBase.href,
    tenantId: options.tenantId,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch,
    retry,
  });

  /** Only links back to the configured Graph origin and the delta function are followed (no SSRF). */
  const graphLink = (link: unknown, what: string): URL => {
    let url: URL | undefined;
    try {
      url = typeof link === 'string' ? new URL(link) : undefined;
    } catch {
      url = undefined;
    }
    const allowed =
      url?.protocol === 'https:' &&
      url.origin === graphBase.origin &&
      !url.username &&
      !url.password &&
      DELTA_PATHS.some((p) => url.pathname === basePath + p);
    if (!url || !allowed) {
      throw new DirectoryConnectionError(
        'bad_response',
        `${SERVICE} sent a ${what} outside ${graphBase.origin}${basePath}/v1.0/users/delta; it was not followed.`,
      );
    }
    return url;
  };

  const getPage = async (
    url: URL,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown> | typeof RESYNC> => {
    for (let renewedToken = false; ; renewedToken = true) {
      const token = await tokens.get(signal);
      const response = await requestWithRetries(
        retry,
        SERVICE,
        () =>
          fetch(url, {
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              prefer: `odata.maxpagesize=${pageSize}`,
            },
            signal,
          }),
        signal,
      );
      if (response.ok) return readPage(response);
      const code = await graphErrorCode(response);
      if (response.status === 401 && !renewedToken) {
        tokens.invalidate();
        continue;
      }
      if (response.status === 401) {
        throw new DirectoryConnectionError(
          'revoked',
          `${SERVICE} refused a freshly issued access token (${code}): the app registration's access was revoked.`,
        );
      }
      if (response.status === 403) {
        throw new DirectoryConnectionError(
          'unauthorized',
          `${SERVICE} denied reading users (${code}): grant the application permission User.Read.All with admin consent.`,
        );
      }
      if (response.status === 410) return RESYNC;
      throw new DirectoryConnectionError(
        'bad_response',
        `${SERVICE} refused the users request with HTTP ${response.status} (${code}).`,
      );
    }
  };

  /** Follows nextLinks from `start` until the deltaLink, handing each page over as it arrives. */
  const readUntilDeltaLink = async (
    start: URL,
    onPage: (page: DirectoryPage) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<string | typeof RESYNC> => {
    let url = start;
    for (;;) {
      signal?.throwIfAborted();
      const body = await getPage(url, signal);
      if (body === RESYNC) return RESYNC;
      await onPage(toDirectoryPage(body.value));
      const nextLink = body['@odata.nextLink'];
      if (nextLink !== undefined) {
        const next = graphLink(nextLink, 'paging link');
        if (next.href === url.href) {
          throw new DirectoryConnectionError('bad_response', `${SERVICE} sent the same paging link twice.`);
        }
        url = next;
        continue;
      }
      return graphLink(body['@odata.deltaLink'], 'delta link').href;
    }
  };

  return {
    kind: 'entra',
    async sync({ deltaToken, signal, onPage }) {
      if (deltaToken) {
        const deltaLink = await readUntilDeltaLink(
          graphLink(deltaToken, 'stored delta link'),
          onPage,
          signal,
        );
        if (deltaLink !== RESYNC) return { deltaToken: deltaLink, full: false };
      }
      const first = new URL(`${graphBase.origin}${basePath}/v1.0/users/delta`);
      first.searchParams.set('$select', ENTRA_USER_PROPERTIES.join(','));
      const deltaLink = await readUntilDeltaLink(first, onPage, signal);
      if (deltaLink === RESYNC) {
        throw new DirectoryConnectionError('bad_response', `${SERVICE} asked for a resync of a full read.`);
      }
      return { deltaToken: deltaLink, full: true };
    },
  };
}

async function readPage(response: Response): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new DirectoryConnectionError('bad_response', `${SERVICE} answered with malformed JSON.`, {
      cause: error instanceof Error ? new Error(error.name) : undefined,
    });
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { value?: unknown }).value)) {
    throw new DirectoryConnectionError('bad_response', `${SERVICE} answered without a list of users.`);
  }
  return body as Record<string, unknown>;
}

async function graphErrorCode(response: Response): Promise<string> {
  try {
    const code = ((await response.json()) as { error?: { code?: unknown } })?.error?.code;
    if (typeof code === 'string' && /^[A-Za-z_]{1,64}$/.test(code)) return code;
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${response.status}`;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Builds people from exactly the allowed fields; whatever else Graph sends is dropped here. */
function toDirectoryPage(value: unknown): DirectoryPage {
  const page: DirectoryPage = { people: [], removedIds: [] };
  for (const item of value as unknown[]) {
    const user = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const id = text(user.id);
    if (!id) throw new DirectoryConnectionError('bad_response', `${SERVICE} listed a user without an id.`);
    if (user['@removed'] !== undefined) {
      page.removedIds.push(id);
      continue;
    }
    const userName = text(user.userPrincipalName);
    if (!userName) {
      throw new DirectoryConnectionError(
        'bad_response',
        `${SERVICE} listed a user without a userPrincipalName.`,
      );
    }
    const person: DirectoryPerson = {
      directoryId: id,
      userName,
      givenName: text(user.givenName),
      surname: text(user.surname),
      displayName: text(user.displayName),
      jobTitle: text(user.jobTitle),
      active: user.accountEnabled !== false,
    };
    page.people.push(person);
  }
  return page;
}
