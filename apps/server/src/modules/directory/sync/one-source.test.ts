import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraConnectionTo, startFakeMicrosoftGraph } from '../../../../../../test/fakes/microsoft-graph';
import { databaseTargets, type TestDatabase } from '../../../../../../test/support/databases';
import { ManualClock } from '../../../platform/clock';
import { startDirectoryHarness } from './directory-test-harness';

describe.each(databaseTargets())('one source of employees per organization on $name', (target) => {
  let t: TestDatabase;
  let graph: Awaited<ReturnType<typeof startFakeMicrosoftGraph>>;
  let h: Awaited<ReturnType<typeof startDirectoryHarness>>;
  const clock = new ManualClock('2026-01-15T05:00:00.000Z');

  beforeAll(async () => {
    t = await target.create();
    graph = await startFakeMicrosoftGraph();
    h = await startDirectoryHarness(t, clock, { caPem: graph.caPem });
  });
  afterAll(async () => {
    await h?.close();
    await graph?.close();
    await t?.close();
  });

  const connect = () =>
    h.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });

  it('DIR-4: SCIM provisioning and directory sync exclude each other (a full sync would replace pushed people)', async () => {
    h.as('administrator');
    const token = await h.call({ method: 'POST', url: '/api/v1/scim/token' });
    expect(token.status).toBe(200);
    const refused = await connect();
    expect(refused.status).toBe(409);
    expect((refused.body as { error: { message: string } }).error.message).toMatch(
      /Turn off SCIM provisioning/,
    );

    expect((await h.call({ method: 'DELETE', url: '/api/v1/scim/token' })).status).toBeLessThan(300);
    expect((await connect()).status).toBe(200);
    const second = await h.call({ method: 'POST', url: '/api/v1/scim/token' });
    expect(second.status).toBe(409);
    expect((second.body as { error: { message: string } }).error.message).toMatch(
      /Disconnect the directory sync/,
    );
  });
});
