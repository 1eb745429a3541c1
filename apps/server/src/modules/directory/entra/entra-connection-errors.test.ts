import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeMicrosoftGraph,
  startFakeMicrosoftGraph,
} from '../../../../../../test/fakes/microsoft-graph';
import { DirectoryConnectionError, type DirectoryPerson } from '../types';
import { collectSync, connectToFake, rejectionOf } from './entra-test-support';

let graph: FakeMicrosoftGraph;
beforeAll(async () => {
  graph = await startFakeMicrosoftGraph();
});
afterAll(() => graph.close());

/** Every personal value a page showed, to prove none of it reaches an error message. */
const personalValues = (people: DirectoryPerson[]) =>
  people
    .flatMap((p) => [p.userName, p.givenName, p.surname, p.displayName, p.jobTitle])
    .filter((v): v is string => !!v && v.length > 3);
const mentionsAny = (error: unknown, values: string[]) => {
  const text = `${(error as Error).message} ${String((error as Error).cause ?? '')}`;
  return values.filter((v) => text.includes(v));
};

describe('Entra ID connector when Microsoft fails', () => {
  beforeEach(() => graph.seedUsers(2_000));

  it('DIR-1: 429 with Retry-After 2, twice, is waited out (2000 ms each) and the sync completes', async () => {
    const { connector, sleeps } = connectToFake(graph);
    graph.failNext('throttle', 2, { retryAfterSeconds: 2 });
    const from = graph.requests.length;
    const { pages, result } = await collectSync(connector);
    expect(sleeps).toEqual([2000, 2000]);
    expect(pages.flatMap((p) => p.people)).toHaveLength(2_000);
    expect(result.full).toBe(true);
    expect(graph.requests.slice(from).map((r) => r.status)).toEqual([200, 429, 429, 200, 200, 200]);
  });

  it('DIR-1: throttling that outlasts the retries fails the sync as "throttled"', async () => {
    const { connector, sleeps } = connectToFake(graph, { maxRetries: 3 });
    graph.failNext('throttle', 4, { retryAfterSeconds: 7 });
    const error = await rejectionOf(collectSync(connector));
    expect(error).toMatchObject({ code: 'throttled', message: expect.stringMatching(/429/) });
    expect(sleeps).toEqual([7000, 7000, 7000]);
  });

  it('DIR-1: 503 with Retry-After and a passing 500 are retried; 500 after every retry is "unavailable"', async () => {
    const passing = connectToFake(graph);
    graph.failNext('unavailable', 1, { retryAfterSeconds: 5 });
    graph.failNext('server-error', 1);
    expect((await collectSync(passing.connector)).pages.flatMap((p) => p.people)).toHaveLength(2_000);
    expect(passing.sleeps).toEqual([5000, 2000]);

    const failing = connectToFake(graph, { maxRetries: 5 });
    graph.failNext('server-error', 6);
    const error = await rejectionOf(collectSync(failing.connector));
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/HTTP 500/) });
    expect(failing.sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('DIR-1: revoked consent is a "revoked" connection error that names the problem, without personal data', async () => {
    const { connector } = connectToFake(graph);
    graph.failNext('revoked-consent');
    const from = graph.requests.length;
    const error = await rejectionOf(collectSync(connector));
    expect(error).toBeInstanceOf(DirectoryConnectionError);
    expect(error).toMatchObject({
      code: 'revoked',
      message: expect.stringMatching(/admin consent was revoked/),
    });
    expect((error as Error).message).toContain('AADSTS700016');
    expect((error as Error).message).not.toContain(graph.clientSecret);
    expect(graph.requests.slice(from).map((r) => r.endpoint)).toEqual(['token']);
  });

  it('DIR-1: a revoked client secret is a "revoked" connection error', async () => {
    const { connector } = connectToFake(graph, { clientSecret: 'an-old-secret' });
    const error = await rejectionOf(collectSync(connector));
    expect(error).toMatchObject({
      code: 'revoked',
      message: expect.stringMatching(/client secret.*AADSTS7000215/),
    });
    expect((error as Error).message).not.toContain('an-old-secret');
  });

  it('DIR-1, SEC-5: Graph denying User.Read.All mid-sync is "unauthorized" and the message holds no personal data', async () => {
    const { connector } = connectToFake(graph);
    const seen: DirectoryPerson[] = [];
    const error = await rejectionOf(
      collectSync(connector, null, (page) => {
        seen.push(...page.people);
        graph.failNext('forbidden');
      }),
    );
    expect(seen).toHaveLength(999);
    expect(error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/User\.Read\.All/) });
    expect(mentionsAny(error, personalValues(seen))).toEqual([]);
  });

  it('DIR-1, SEC-5: malformed JSON is a "bad_response" error that repeats none of the body', async () => {
    const { connector } = connectToFake(graph);
    graph.failNext('bad-json');
    const error = await rejectionOf(collectSync(connector));
    expect(error).toMatchObject({ code: 'bad_response', message: expect.stringMatching(/malformed JSON/) });
    const firstUser = graph.getUser(graph.userId(0))!;
    expect(mentionsAny(error, [firstUser.userPrincipalName, firstUser.displayName ?? ''])).toEqual([]);
  });
});
