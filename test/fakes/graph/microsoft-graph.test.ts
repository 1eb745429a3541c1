import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpsFetch } from '../../../apps/server/src/platform/auth/relying-party/https-fetch';
import { type FakeMicrosoftGraph, startFakeMicrosoftGraph } from '../microsoft-graph';

let graph: FakeMicrosoftGraph;
beforeAll(async () => {
  graph = await startFakeMicrosoftGraph();
});
afterAll(() => graph.close());

const fetchToken = async (fetch: ReturnType<typeof createHttpsFetch>) => {
  const response = await fetch(`${graph.tokenBaseUrl}/${graph.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
};

it('DIR-1: the fake Graph lists /users with $select, $top and nextLink paging like Graph', async () => {
  graph.seedUsers(250);
  const fetch = createHttpsFetch({ caPem: graph.caPem });
  const headers = { authorization: `Bearer ${await fetchToken(fetch)}` };
  let next: string | undefined = `${graph.graphBaseUrl}/v1.0/users?$select=id,displayName&$top=100`;
  const pages: Record<string, unknown>[][] = [];
  while (next) {
    const body = (await (await fetch(next, { headers })).json()) as {
      value: Record<string, unknown>[];
      '@odata.nextLink'?: string;
    };
    pages.push(body.value);
    next = body['@odata.nextLink'];
  }
  expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
  expect(Object.keys(pages[0]?.[0] ?? {})).toEqual(['id', 'displayName']);

  const unknown = await fetch(`${graph.graphBaseUrl}/v1.0/users?$select=id,salary`, { headers });
  expect(unknown.status).toBe(400);
  const unauthenticated = await fetch(`${graph.graphBaseUrl}/v1.0/users`);
  expect(unauthenticated.status).toBe(401);
  expect(graph.requests.at(-1)).toMatchObject({ endpoint: 'users', authorized: false, status: 401 });
});
