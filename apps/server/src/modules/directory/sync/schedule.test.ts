import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraConnectionTo, startFakeMicrosoftGraph } from '../../../../../../test/fakes/microsoft-graph';
import { databaseTargets, type TestDatabase } from '../../../../../../test/support/databases';
import { ManualClock } from '../../../platform/clock';
import { withSystem } from '../../../platform/db/tenant-scope';
import { startDirectoryHarness } from './directory-test-harness';
import { queueDueSyncs, scheduledInstant, syncIsDue } from './schedule';

describe('the daily directory sync time', () => {
  it('DIR-3: 08:00 Europe/Paris is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    expect(scheduledInstant(new Date('2026-01-15T12:00:00Z'), '08:00', 'Europe/Paris').toISOString()).toBe(
      '2026-01-15T07:00:00.000Z',
    );
    expect(scheduledInstant(new Date('2026-07-15T12:00:00Z'), '08:00', 'Europe/Paris').toISOString()).toBe(
      '2026-07-15T06:00:00.000Z',
    );
    // Late evening in New York is already the next day in UTC: the local date counts.
    expect(
      scheduledInstant(new Date('2026-01-16T03:00:00Z'), '08:00', 'America/New_York').toISOString(),
    ).toBe('2026-01-15T13:00:00.000Z');
  });

  it('DIR-3: a sync is due once its local time has passed and nothing ran since', () => {
    const connection = { sync_time: '08:00', sync_time_zone: 'Europe/Paris', last_sync_at: null };
    expect(syncIsDue(connection, new Date('2026-01-15T06:59:00Z'))).toBe(false);
    expect(syncIsDue(connection, new Date('2026-01-15T07:00:00Z'))).toBe(true);
    expect(
      syncIsDue({ ...connection, last_sync_at: '2026-01-15T07:05:00Z' }, new Date('2026-01-15T09:00:00Z')),
    ).toBe(false);
    expect(
      syncIsDue({ ...connection, last_sync_at: '2026-01-14T07:05:00Z' }, new Date('2026-01-15T09:00:00Z')),
    ).toBe(true);
  });
});

describe.each(databaseTargets())('scheduled directory syncs on $name', (target) => {
  let t: TestDatabase;
  let graph: Awaited<ReturnType<typeof startFakeMicrosoftGraph>>;
  let harness: Awaited<ReturnType<typeof startDirectoryHarness>>;
  const clock = new ManualClock('2026-01-15T05:00:00.000Z');

  beforeAll(async () => {
    t = await target.create();
    graph = await startFakeMicrosoftGraph();
    graph.seedUsers(20);
    harness = await startDirectoryHarness(t, clock, { caPem: graph.caPem });
  });
  afterAll(async () => {
    await harness?.close();
    await graph?.close();
    await t?.close();
  });

  it('DIR-3: the hourly check queues each due connection once, and the sync runs', async () => {
    harness.as('administrator');
    const put = await harness.call({
      method: 'PUT',
      url: '/api/v1/directory/connection',
      payload: entraConnectionTo(graph),
    });
    expect(put.status).toBe(200);
    expect(await queueDueSyncs(t.handle, clock)).toBe(0);
    clock.set('2026-01-15T07:30:00.000Z');
    expect(await queueDueSyncs(t.handle, clock)).toBe(1);
    await queueDueSyncs(t.handle, clock);
    const jobs = await withSystem(t.handle, (db) =>
      db.selectFrom('jobs').select('id').where('kind', '=', 'directory.sync').execute(),
    );
    expect(jobs).toHaveLength(1);
    expect(await harness.runJobs()).toBe(1);
    expect(await queueDueSyncs(t.handle, clock)).toBe(0);
    const summary = await harness.call({ url: '/api/v1/employees/summary' });
    expect(summary.body).toMatchObject({ count: 20 });
  });
});
