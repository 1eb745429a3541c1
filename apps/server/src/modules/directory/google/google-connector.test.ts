import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DIRECTORY_READONLY_SCOPE,
  type FakeGoogleDirectory,
  googleUserId,
  parseFieldSelection,
  selectedPaths,
  startFakeGoogleDirectory,
} from '../../../../../../test/fakes/google-directory';
import { ManualClock } from '../../../platform/clock';
import {
  type DirectoryConnectionError,
  type DirectoryPerson,
  DirectoryConnectionError as ErrorClass,
} from '../types';
import { createGoogleConnector, type GoogleConnectorOptions } from './google-connector';

const ALLOWED_PATHS = [
  'nextPageToken',
  'users.id',
  'users.primaryEmail',
  'users.name.givenName',
  'users.name.familyName',
  'users.name.fullName',
  'users.organizations.title',
  'users.organizations.primary',
  'users.suspended',
].sort();

let fake: FakeGoogleDirectory;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeGoogleDirectory();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.seedUsers(1_234);
  fake.requests.length = 0;
  sleeps = [];
});

const connect = (overrides: Partial<GoogleConnectorOptions> = {}) =>
  createGoogleConnector({
    serviceAccountKey: fake.serviceAccountKey,
    adminEmail: fake.adminEmail,
    directoryBaseUrl: fake.baseUrl,
    caPem: fake.caPem,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });

async function syncAll(connector = connect()) {
  const people: DirectoryPerson[] = [];
  let pages = 0;
  const result = await connector.sync({
    onPage: async (page) => {
      pages++;
      expect(page.removedIds).toEqual([]);
      people.push(...page.people);
    },
  });
  return { result, people, pages };
}

async function syncError(connector = connect()): Promise<DirectoryConnectionError> {
  const error = await syncAll(connector).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ErrorClass);
  return error as DirectoryConnectionError;
}

const usersRequests = () => fake.requests.filter((r) => r.endpoint === 'users');
const tokenRequests = () => fake.requests.filter((r) => r.endpoint === 'token');

describe('Google Workspace connector', () => {
  it('DIR-2: a full sync reads 100,000 users through nextPageToken paging', async () => {
    fake.seedUsers(100_000);
    const started = performance.now();
    const { result, people, pages } = await syncAll();
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `DIR-2 Google sync: 100,000 users in ${seconds.toFixed(1)} s = ${Math.round(6e6 / seconds)} users/min`,
    );

    expect(result).toEqual({ deltaToken: null, full: true });
    expect(people).toHaveLength(100_000);
    expect(new Set(people.map((p) => p.directoryId)).size).toBe(100_000);
    expect(pages).toBe(200);
    expect(usersRequests()).toHaveLength(200);
    expect(usersRequests().every((r) => r.status === 200 && r.query.maxResults === '500')).toBe(true);
    expect(usersRequests().filter((r) => r.query.pageToken === undefined)).toHaveLength(1);
    expect(people.filter((p) => !p.active)).toHaveLength(2_000);
    expect(seconds).toBeLessThan(20);
  });

  it('DIR-2: a person carries the SEC-5 fields, the job title from the primary organization', async () => {
    const { people } = await syncAll();
    const byId = new Map(people.map((p) => [p.directoryId, p]));
    const twoOrganizations = fake.userAt(7)!;
    expect(byId.get(googleUserId(7))).toEqual({
      directoryId: googleUserId(7),
      userName: twoOrganizations.primaryEmail,
      givenName: twoOrganizations.name.givenName,
      surname: twoOrganizations.name.familyName,
      displayName: twoOrganizations.name.fullName,
      jobTitle: twoOrganizations.organizations!.find((o) => o.primary)!.title,
      active: true,
    });
    expect(byId.get(googleUserId(7))!.jobTitle).not.toBe('Former intern');
    expect(byId.get(googleUserId(10))!.jobTitle).toBeNull();
    expect(byId.get(googleUserId(50))!.active).toBe(false);
    expect(Object.keys(byId.get(googleUserId(1))!).sort()).toEqual(
      ['active', 'directoryId', 'displayName', 'givenName', 'jobTitle', 'surname', 'userName'].sort(),
    );
  });

  it('SEC-5: every users request asks Google only for the allowed attributes', async () => {
    await syncAll(connect({ pageSize: 100 }));
    expect(usersRequests()).toHaveLength(13);
    for (const request of usersRequests()) {
      expect(request.query.fields).toBeDefined();
      expect(selectedPaths(parseFieldSelection(request.query.fields!)).sort()).toEqual(ALLOWED_PATHS);
      expect(request.query.projection).toBe('basic');
      expect(request.query.customer).toBe('my_customer');
    }
  });

  it('DIR-2: the JWT the token endpoint received impersonates the admin with the read-only scope', async () => {
    await syncAll();
    const [token] = tokenRequests();
    expect(tokenRequests()).toHaveLength(1);
    expect(token!.status).toBe(200);
    expect(token!.query.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const key = JSON.parse(fake.serviceAccountKey) as { client_email: string; private_key_id: string };
    expect(token!.assertion!.header).toMatchObject({ alg: 'RS256', kid: key.private_key_id });
    const claims = token!.assertion!.claims as Record<string, number | string>;
    expect(claims).toMatchObject({
      iss: key.client_email,
      sub: fake.adminEmail,
      scope: DIRECTORY_READONLY_SCOPE,
      aud: fake.tokenUrl,
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(3600);
    expect(usersRequests().every((r) => r.impersonated === fake.adminEmail)).toBe(true);
  });

  it('DIR-2: the access token is reused until shortly before it expires', async () => {
    const clock = new ManualClock(new Date());
    const connector = connect({ clock });
    await syncAll(connector);
    clock.advance(50 * 60_000);
    await syncAll(connector);
    expect(tokenRequests()).toHaveLength(1);
    clock.advance(6 * 60_000);
    await syncAll(connector).catch(() => undefined);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('DIR-2: with a domain, only that domain is listed', async () => {
    await syncAll(connect({ domain: fake.domain }));
    expect(usersRequests().every((r) => r.query.domain === fake.domain && !r.query.customer)).toBe(true);
  });

  it('DIR-2: users changed or removed between syncs show in the next full sync', async () => {
    const first = await syncAll();
    const changedId = googleUserId(3);
    const removedId = googleUserId(4);
    fake.updateUser(changedId, {
      name: { familyName: 'Renamed' },
      organizations: [{ title: 'Head of IT', customType: '' }],
    });
    fake.removeUser(removedId);
    const second = await syncAll();
    expect(first.people).toHaveLength(1_234);
    expect(second.people).toHaveLength(1_233);
    expect(second.people.find((p) => p.directoryId === removedId)).toBeUndefined();
    expect(second.people.find((p) => p.directoryId === changedId)).toMatchObject({
      surname: 'Renamed',
      jobTitle: 'Head of IT',
    });
  });

  it('DIR-2: throttling (429) waits the Retry-After before trying again', async () => {
    fake.failNext('rate_limited', 2, { retryAfterSeconds: 7 });
    const { people } = await syncAll();
    expect(people).toHaveLength(1_234);
    expect(sleeps).toEqual([7_000, 7_000]);
    expect(usersRequests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('DIR-2: an unavailable service (503) is waited for with its Retry-After', async () => {
    fake.failNext('unavailable', 1, { retryAfterSeconds: 11 });
    const { people } = await syncAll();
    expect(people).toHaveLength(1_234);
    expect(sleeps).toEqual([11_000]);
  });

  it('DIR-2: a per-user rate limit (403 userRateLimitExceeded) backs off and retries', async () => {
    fake.failNext('user_rate_limit', 2);
    const { people } = await syncAll();
    expect(people).toHaveLength(1_234);
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('DIR-2: throttling that does not end fails the sync as throttled after maxRetries', async () => {
    fake.failNext('rate_limited', 4, { retryAfterSeconds: 3 });
    const error = await syncError(connect({ maxRetries: 3 }));
    expect(error.code).toBe('throttled');
    expect(sleeps).toEqual([3_000, 3_000, 3_000]);
    expect(usersRequests().map((r) => r.status)).toEqual([429, 429, 429, 429]);
  });

  it('DIR-2: server errors (500) are retried with backoff, then fail as unavailable', async () => {
    fake.failNext('backend_error', 1);
    expect((await syncAll()).people).toHaveLength(1_234);
    expect(sleeps).toEqual([1_000]);
    fake.failNext('backend_error', 3);
    const error = await syncError(connect({ maxRetries: 2 }));
    expect(error.code).toBe('unavailable');
    expect(sleeps).toEqual([1_000, 1_000, 2_000]);
  });

  it('DIR-2: revoked domain-wide delegation (401 unauthorized_client) fails the sync as revoked', async () => {
    fake.failNext('unauthorized_client');
    let pages = 0;
    const error = await connect()
      .sync({ onPage: async () => void pages++ })
      .catch((e: DirectoryConnectionError) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as DirectoryConnectionError).code).toBe('revoked');
    expect(pages).toBe(0);
    expect(tokenRequests()[0]!.status).toBe(401);
    expect((error as Error).message).not.toContain(fake.adminEmail);
    expect(usersRequests()).toHaveLength(0);
  });

  it('DIR-2: an access token Google stops accepting is replaced once, then counts as revoked', async () => {
    fake.failNext('invalid_credentials', 1);
    expect((await syncAll()).people).toHaveLength(1_234);
    expect(tokenRequests()).toHaveLength(2);
    fake.failNext('invalid_credentials', 2);
    expect((await syncError()).code).toBe('revoked');
  });

  it('DIR-2: an admin e-mail without the right to read users (403) fails as unauthorized', async () => {
    const error = await syncError(connect({ adminEmail: `someone-else@${fake.domain}` }));
    expect(error.code).toBe('unauthorized');
    expect(error.message).not.toContain('someone-else');
    fake.failNext('forbidden');
    expect((await syncError()).code).toBe('unauthorized');
  });

  it('DIR-2: an admin e-mail outside the domain (invalid_grant) fails as unauthorized', async () => {
    const error = await syncError(connect({ adminEmail: 'admin@elsewhere.test' }));
    expect(error.code).toBe('unauthorized');
    expect(error.message).not.toContain('elsewhere');
  });

  it('DIR-2: a sync stops when its signal is aborted', async () => {
    const controller = new AbortController();
    let pages = 0;
    const outcome = await connect({ pageSize: 100 })
      .sync({
        signal: controller.signal,
        onPage: async () => {
          if (++pages === 2) controller.abort(new Error('stopped'));
        },
      })
      .catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toBe('stopped');
    expect(usersRequests()).toHaveLength(2);
  });

  it('DIR-2: only HTTPS endpoints are accepted', () => {
    expect(() => connect({ directoryBaseUrl: fake.baseUrl.replace('https:', 'http:') })).toThrow(
      /https:\/\//,
    );
    expect(() => connect({ tokenUrl: 'http://127.0.0.1:1/token' })).toThrow(/tokenUrl/);
  });
});
