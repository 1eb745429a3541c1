import type { LookupFunction } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode } from '@thestorage/contracts';
import { z } from 'zod';
import { createHttpsFetch } from '../../../platform/auth/relying-party/https-fetch';
import { type Clock, systemClock } from '../../../platform/clock';
import { AppError } from '../../../platform/http/errors';
import { DirectoryConnectionError, type DirectoryConnector, type DirectoryPerson } from '../types';
import { failedResponseError, type RetryPolicy, requestWithRetry, type Sleep } from './google-http';
import { createGoogleTokenSource } from './google-token';
import { parseServiceAccountKey } from './service-account-key';

export interface GoogleConnectorOptions {
  /** The service account's JSON key as downloaded from Google Cloud. */
  serviceAccountKey: string;
  /** The administrator the service account acts as (domain-wide delegation). */
  adminEmail: string;
  /** Lists only this domain's users; without it, every domain of the Workspace account. */
  domain?: string;
  /** Default: the key's token_uri. */
  tokenUrl?: string;
  directoryBaseUrl?: string;
  /** An extra CA to trust (tests, a local stand-in). */
  caPem?: string;
  /** Resolves host names for the HTTPS client: public addresses only unless the base URLs are trusted. */
  lookup?: LookupFunction;
  clock?: Clock;
  sleep?: Sleep;
  /** Users per page; Google allows at most 500. */
  pageSize?: number;
  maxRetries?: number;
}

/**
 * The partial-response mask: exactly the SEC-5 fields (organizations' `primary` only picks which title
 * is the job title). Nothing else is ever requested from Google.
 */
export const GOOGLE_USER_FIELDS =
  'nextPageToken,users(id,primaryEmail,name(givenName,familyName,fullName),organizations(title,primary),suspended)';

const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value : null));

const userSchema = z.object({
  id: z.string().min(1),
  primaryEmail: z.string().min(1),
  name: z
    .object({ givenName: optionalText, familyName: optionalText, fullName: optionalText })
    .partial()
    .optional(),
  organizations: z.array(z.object({ title: optionalText, primary: z.boolean().optional() })).optional(),
  suspended: z.boolean().optional(),
});

const pageSchema = z.object({
  users: z.array(userSchema).optional(),
  nextPageToken: z.string().min(1).optional(),
});

type GoogleUser = z.infer<typeof userSchema>;

/** A Google user as the SEC-5 fields; the job title is the primary organization's title. */
export function toDirectoryPerson(user: GoogleUser): DirectoryPerson {
  const organizations = user.organizations ?? [];
  const organization = organizations.find((o) => o.primary) ?? organizations[0];
  return {
    directoryId: user.id,
    userName: user.primaryEmail,
    givenName: user.name?.givenName ?? null,
    surname: user.name?.familyName ?? null,
    displayName: user.name?.fullName ?? null,
    jobTitle: organization?.title ?? null,
    active: user.suspended !== true,
  };
}

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Reads a Google Workspace directory through the Admin SDK Directory API, acting as an administrator
 * through a service account with domain-wide delegation. Google has no delta for users: every sync is
 * a full read and the caller replaces its snapshot.
 */
export function createGoogleConnector(options: GoogleConnectorOptions): DirectoryConnector {
  const key = parseServiceAccountKey(options.serviceAccountKey);
  const pageSize = options.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    throw new RangeError('pageSize must be between 1 and 500 (the Directory API maximum)');
  }
  const directoryBaseUrl = (options.directoryBaseUrl ?? 'https://admin.googleapis.com').replace(/\/+$/, '');
  const tokenUrl = options.tokenUrl ?? key.tokenUri;
  for (const [name, url] of [
    ['directoryBaseUrl', directoryBaseUrl],
    ['tokenUrl', tokenUrl],
  ]) {
    if (!URL.canParse(url!) || new URL(url!).protocol !== 'https:') {
      throw new AppError(ErrorCode.ValidationFailed, `The Google ${name} must be an https:// URL`);
    }
  }
  const retry: RetryPolicy = {
    fetch: createHttpsFetch({
      caPem: options.caPem,
      lookup: options.lookup,
      maxResponseBytes: 32 * 1024 * 1024,
      timeoutMs: 60_000,
    }),
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? defaultSleep,
    maxRetries: options.maxRetries ?? 5,
  };
  const tokens = createGoogleTokenSource({
    key,
    adminEmail: options.adminEmail,
    tokenUrl,
    retry,
  });

  const pageUrl = (pageToken: string | undefined) => {
    const url = new URL('/admin/directory/v1/users', directoryBaseUrl);
    if (options.domain) url.searchParams.set('domain', options.domain);
    else url.searchParams.set('customer', 'my_customer');
    url.searchParams.set('maxResults', String(pageSize));
    url.searchParams.set('projection', 'basic');
    url.searchParams.set('fields', GOOGLE_USER_FIELDS);
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    return url.toString();
  };

  const readPage = async (pageToken: string | undefined, signal?: AbortSignal) => {
    // A 401 may only mean the cached token was dropped early: one fresh token, then it counts as revoked.
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.accessToken(signal);
      const response = await requestWithRetry(retry, pageUrl(pageToken), {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal,
      });
      if (response.status === 401 && attempt === 0) {
        tokens.forget();
        continue;
      }
      if (response.status !== 200) throw failedResponseError('users list', response);
      try {
        return pageSchema.parse(JSON.parse(response.text));
      } catch {
        throw new DirectoryConnectionError(
          'bad_response',
          'Google returned a users page the connector cannot read',
        );
      }
    }
  };

  return {
    kind: 'google',
    async sync({ signal, onPage }) {
      let pageToken: string | undefined;
      do {
        const page = await readPage(pageToken, signal);
        if (page.nextPageToken !== undefined && page.nextPageToken === pageToken) {
          throw new DirectoryConnectionError('bad_response', 'Google repeated the same users page token');
        }
        await onPage({ people: (page.users ?? []).map(toDirectoryPerson), removedIds: [] });
        pageToken = page.nextPageToken;
      } while (pageToken);
      return { deltaToken: null, full: true };
    },
  };
}
