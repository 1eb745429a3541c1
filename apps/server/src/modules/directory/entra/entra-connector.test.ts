import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeMicrosoftGraph,
  startFakeMicrosoftGraph,
} from '../../../../../../test/fakes/microsoft-graph';
import { DirectoryConnectionError, type DirectoryPerson } from '../types';
import { collectSync, connectToFake, rejectionOf } from './entra-test-support';

// SEC-5, written out here so that widening the connector's list fails this test.
const ALLOWED = [
  'accountEnabled',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'surname',
  'userPrincipalName',
];
const PERSON_KEYS = ['active', 'directoryId', 'displayName', 'givenName', 'jobTitle', 'surname', 'userName'];

let graph: FakeMicrosoftGraph;
beforeAll(async () => {
  graph = await startFakeMicrosoftGraph();
});
afterAll(() => graph.close());

const graphRequestsSince = (from: number) => graph.requests.slice(from).filter((r) => r.endpoint !== 'token');

describe('Entra ID connector against a local Microsoft Graph', () => {
  beforeEach(() => graph.seedUsers(2_500));

  it('DIR-1, SEC-5: a first sync reads 100,000 users through Graph paging and asks only for the allowed fields', async () => {
    graph.seedUsers(100_000);
    const { connector } = connectToFake(graph);
    const from = graph.requests.length;
    const ids = new Set<string>();
    const samples = new Map<string, DirectoryPerson>();
    let extraKeys = 0;
    const started = performance.now();
    const result = await connector.sync({
      onPage: async (page) => {
        for (const person of page.people) {
          ids.add(person.directoryId);
          if (Object.keys(person).sort().join() !== PERSON_KEYS.join()) extraKeys += 1;
          if (person.directoryId === graph.userId(10) || person.directoryId === graph.userId(49))
            samples.set(person.directoryId, person);
        }
        expect(page.removedIds).toEqual([]);
      },
    });
    const elapsedMs = performance.now() - started;
    console.info(
      `DIR-1: 100,000 users in ${Math.round(elapsedMs)} ms = ${Math.round(100_000 / (elapsedMs / 60_000)).toLocaleString('en')} users/minute`,
    );

    expect(ids.size).toBe(100_000);
    expect(extraKeys).toBe(0);
    expect(result.full).toBe(true);
    expect(result.deltaToken).toMatch(
      new RegExp(`^${graph.graphBaseUrl}/v1\\.0/users/delta\\?\\$deltatoken=`),
    );
    const seeded10 = graph.getUser(graph.userId(10))!;
    expect(samples.get(graph.userId(10))).toEqual({
      directoryId: seeded10.id,
      userName: seeded10.userPrincipalName,
      givenName: seeded10.givenName,
      surname: seeded10.surname,
      displayName: seeded10.displayName,
      jobTitle: null,
      active: true,
    });
    expect(samples.get(graph.userId(49))?.active).toBe(false);

    const requests = graph.requests.slice(from);
    expect(requests.filter((r) => r.endpoint === 'token')).toHaveLength(1);
    const graphRequests = graphRequestsSince(from);
    expect(graphRequests).toHaveLength(Math.ceil(100_000 / 999));
    for (const request of graphRequests) {
      expect(request).toMatchObject({ endpoint: 'delta', method: 'GET', authorized: true, status: 200 });
      expect([...(request.select ?? [])].sort()).toEqual(ALLOWED);
      expect(request.query.$expand).toBeUndefined();
    }
    expect(graphRequests[0]?.query.$select?.split(',').sort()).toEqual(ALLOWED);
  });

  it('DIR-1: a later sync reads only the changes since the last one: updated, removed and added users', async () => {
    const { connector } = connectToFake(graph);
    const first = await collectSync(connector);
    expect(first.pages.flatMap((p) => p.people)).toHaveLength(2_500);
    expect(first.pages).toHaveLength(3);

    graph.updateUser(graph.userId(10), { displayName: 'Renée Renamed', jobTitle: 'Chief Renamer' });
    graph.updateUser(graph.userId(11), { accountEnabled: false });
    graph.removeUser(graph.userId(20));
    const added = graph.addUser({
      userPrincipalName: 'new.hire@contoso.example',
      givenName: 'New',
      surname: 'Hire',
    });

    const from = graph.requests.length;
    const second = await collectSync(connector, first.result.deltaToken);
    expect(second.result.full).toBe(false);
    expect(second.result.deltaToken).not.toBe(first.result.deltaToken);
    const people = second.pages.flatMap((p) => p.people);
    expect(people.map((p) => p.directoryId)).toEqual([graph.userId(10), graph.userId(11), added.id]);
    expect(people[0]).toMatchObject({
      displayName: 'Renée Renamed',
      jobTitle: 'Chief Renamer',
      active: true,
    });
    expect(people[1]?.active).toBe(false);
    expect(people[2]).toMatchObject({
      userName: 'new.hire@contoso.example',
      givenName: 'New',
      surname: 'Hire',
    });
    expect(second.pages.flatMap((p) => p.removedIds)).toEqual([graph.userId(20)]);
    for (const request of graphRequestsSince(from)) {
      expect(request.query.$deltatoken).toBeTruthy();
      expect([...(request.select ?? [])].sort()).toEqual(ALLOWED);
    }

    const third = await collectSync(connector, second.result.deltaToken);
    expect(third.pages.flatMap((p) => [...p.people, ...p.removedIds])).toEqual([]);
    expect(third.result.full).toBe(false);
  });

  it('DIR-1: an expired delta link (410 Gone) falls back to a full read', async () => {
    const { connector } = connectToFake(graph);
    const first = await collectSync(connector);
    graph.removeUser(graph.userId(0));
    graph.expireDeltaTokens();
    const again = await collectSync(connector, first.result.deltaToken);
    expect(again.result.full).toBe(true);
    expect(again.pages.flatMap((p) => p.people)).toHaveLength(2_499);
  });

  it('DIR-1: an access token Graph refuses mid-sync is replaced once and the sync goes on', async () => {
    const { connector } = connectToFake(graph);
    const from = graph.requests.length;
    const { pages } = await collectSync(connector, null, (_page, index) => {
      if (index === 0) graph.expireTokens();
    });
    expect(pages.flatMap((p) => p.people)).toHaveLength(2_500);
    expect(graph.requests.slice(from).filter((r) => r.endpoint === 'token')).toHaveLength(2);
  });

  it('DIR-1: a paging link to another host is refused and never requested (SSRF)', async () => {
    const { connector } = connectToFake(graph);
    graph.failNext('foreign-link');
    const from = graph.requests.length;
    const error = await rejectionOf(collectSync(connector));
    expect(error).toBeInstanceOf(DirectoryConnectionError);
    expect(error).toMatchObject({ code: 'bad_response', message: expect.stringMatching(/not followed/) });
    const hosts = graphRequestsSince(from).map((r) => r.host);
    expect(hosts).toEqual([new URL(graph.graphBaseUrl).host]);
  });

  it('DIR-1: a stored delta token that leaves the Graph origin or HTTPS is refused before any request', async () => {
    const { connector } = connectToFake(graph);
    const from = graph.requests.length;
    const port = new URL(graph.graphBaseUrl).port;
    for (const token of [
      'https://attacker.example/v1.0/users/delta?$deltatoken=x',
      `https://localhost:${port}/v1.0/users/delta?$deltatoken=x`,
      `http://127.0.0.1:${port}/v1.0/users/delta?$deltatoken=x`,
      `${graph.graphBaseUrl}/v1.0/groups/delta?$deltatoken=x`,
      'not a url',
    ]) {
      expect(await rejectionOf(collectSync(connector, token))).toMatchObject({ code: 'bad_response' });
    }
    expect(graph.requests.slice(from)).toEqual([]);
  });
});
