import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { DAY_MS, ManualClock } from '../clock';
import { type DatabaseHandle, openPostgres } from '../db/connect';
import { withSystem, withTenant } from '../db/tenant-scope';
import { enqueueJob } from './queue';
import { ensureRecurringJobs, periodOf, startRecurringJobs } from './schedule';
import { recordingLogger, seedTwoTenants } from './testing';

const jobsOf = (handle: DatabaseHandle, kind: string) =>
  withSystem(handle, (trx) =>
    trx
      .selectFrom('jobs')
      .select(['id', 'tenant_id', 'unique_key', 'status'])
      .where('kind', '=', kind)
      .orderBy('created_at')
      .execute(),
  );

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(10);
  }
}

describe('recurring job periods', () => {
  it('JOB-1: a daily period is the UTC date, an hourly one the UTC hour', () => {
    const at = new Date('2026-11-29T23:30:00.000-02:00');
    expect(periodOf('daily', at)).toBe('2026-11-30');
    expect(periodOf('hourly', at)).toBe('2026-11-30T01');
  });
});

describe.each(databaseTargets())('recurring jobs on $name', (target) => {
  let db: TestDatabase;
  let tenants: { a: string; b: string };
  const freshKind = () => `test-${randomUUID()}`;

  beforeAll(async () => {
    db = await target.create();
    tenants = await seedTwoTenants(db.handle, new ManualClock());
  });
  afterAll(async () => {
    await db?.close();
  });

  it('JOB-1: two nodes ensuring the daily job at once create one platform job per day', async () => {
    const kind = freshKind();
    const clock = new ManualClock('2026-11-29T00:00:05.000Z');
    // On PostgreSQL the second node has its own pool; SQLite is one process with one writer.
    const secondNode = db.url ? openPostgres({ url: db.url, requireTls: false, max: 2 }) : db.handle;
    try {
      const schedule = [{ kind, every: 'daily' as const }];
      const [one, two] = await Promise.all([
        ensureRecurringJobs(db.handle, clock, schedule),
        ensureRecurringJobs(secondNode, clock, schedule),
      ]);
      expect(one[0]?.id).toBe(two[0]?.id);
      expect(await jobsOf(db.handle, kind)).toEqual([
        { id: one[0]?.id, tenant_id: null, unique_key: `${kind}:2026-11-29`, status: 'queued' },
      ]);

      clock.advance(DAY_MS - 10_000);
      await ensureRecurringJobs(secondNode, clock, schedule);
      expect(await jobsOf(db.handle, kind)).toHaveLength(1);

      clock.advance(10_000);
      await Promise.all([
        ensureRecurringJobs(db.handle, clock, schedule),
        ensureRecurringJobs(secondNode, clock, schedule),
      ]);
      expect((await jobsOf(db.handle, kind)).map((j) => j.unique_key)).toEqual([
        `${kind}:2026-11-29`,
        `${kind}:2026-11-30`,
      ]);
    } finally {
      if (secondNode !== db.handle) await secondNode.destroy();
    }
  });

  it('JOB-1: a unique key taken inside a caller’s transaction leaves that transaction usable', async () => {
    const kind = freshKind();
    const clock = new ManualClock();
    const uniqueKey = `${kind}:once`;
    const [first, again, other] = await withTenant(db.handle, tenants.a, async (trx) => [
      await enqueueJob(trx, { tenantId: tenants.a, kind, payload: { n: 1 }, uniqueKey }, clock),
      await enqueueJob(trx, { tenantId: tenants.a, kind, payload: { n: 2 }, uniqueKey }, clock),
      await enqueueJob(trx, { tenantId: tenants.a, kind, payload: { n: 3 } }, clock),
    ]);
    expect(again).toEqual(first);
    expect(first.payload).toEqual({ n: 1 });
    expect(other.id).not.toBe(first.id);
    expect(await jobsOf(db.handle, kind)).toHaveLength(2);
    // Another tenant cannot learn about, or take over, a job through its key.
    await expect(
      withTenant(db.handle, tenants.b, (trx) =>
        enqueueJob(trx, { tenantId: tenants.b, kind, payload: null, uniqueKey }, clock),
      ),
    ).rejects.toThrow('another scope');
  });

  it('JOB-1: startRecurringJobs ensures the jobs at once and on every check, and stop() ends the checks', async () => {
    const kind = freshKind();
    const clock = new ManualClock('2026-11-29T12:00:00.000Z');
    const logger = recordingLogger();
    const recurring = startRecurringJobs({
      handle: db.handle,
      clock,
      jobs: [{ kind, every: 'daily' }],
      logger,
      checkEveryMs: 10,
    });
    try {
      await waitFor(async () => (await jobsOf(db.handle, kind)).length === 1);
      clock.advance(DAY_MS);
      await waitFor(async () => (await jobsOf(db.handle, kind)).length === 2);
    } finally {
      await recurring.stop();
    }
    clock.advance(DAY_MS);
    await sleep(50);
    expect(await jobsOf(db.handle, kind)).toHaveLength(2);
    expect(logger.lines).toEqual([]);
  });
});
