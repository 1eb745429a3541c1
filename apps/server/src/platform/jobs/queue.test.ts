import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../clock';
import { newId } from '../db/ids';
import { withSystem, withTenant } from '../db/tenant-scope';
import {
  backoffMs,
  cancelJob,
  completeJob,
  enqueueJob,
  failJob,
  getJob,
  leaseNextJob,
  reportProgress,
} from './queue';
import { seedTwoTenants } from './testing';

describe.each(databaseTargets())('jobs queue on $name', (target) => {
  let db: TestDatabase;
  let tenants: { a: string; b: string };
  const clock = new ManualClock('2026-04-01T09:00:00.000Z');
  const freshKind = () => `test-${randomUUID()}`;

  beforeAll(async () => {
    db = await target.create();
    tenants = await seedTwoTenants(db.handle, clock);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('JOB-1: a job is enqueued, leased, reports progress and completes with its result', async () => {
    const kind = freshKind();
    const queued = await withTenant(db.handle, tenants.a, (trx) =>
      enqueueJob(trx, { tenantId: tenants.a, kind, payload: { format: 'zip' } }, clock),
    );
    expect(queued).toMatchObject({
      status: 'queued',
      attempts: 0,
      tenantId: tenants.a,
      payload: { format: 'zip' },
    });

    const leased = await leaseNextJob(db.handle, { owner: 'node-1', kinds: [kind], leaseMs: 60_000 }, clock);
    expect(leased).toMatchObject({ id: queued.id, status: 'running', attempts: 1, leaseOwner: 'node-1' });
    expect(
      await leaseNextJob(db.handle, { owner: 'node-2', kinds: [kind], leaseMs: 60_000 }, clock),
    ).toBeUndefined();

    const timing = { clock, leaseMs: 60_000 };
    expect(
      await reportProgress(db.handle, leased!, { done: 40, total: 100, message: 'devices' }, timing),
    ).toBe(true);
    const midway = await withTenant(db.handle, tenants.a, (trx) => getJob(trx, tenants.a, queued.id));
    expect(midway?.progress).toEqual({ done: 40, total: 100, message: 'devices' });

    clock.advance(1_000);
    expect(await completeJob(db.handle, leased!, { file: 'export.zip', rows: 100 }, clock)).toBe(true);
    const done = await withTenant(db.handle, tenants.a, (trx) => getJob(trx, tenants.a, queued.id));
    expect(done).toMatchObject({
      status: 'succeeded',
      result: { file: 'export.zip', rows: 100 },
      leaseOwner: null,
      finishedAt: clock.now().toISOString(),
    });
    expect(
      await leaseNextJob(db.handle, { owner: 'node-1', kinds: [kind], leaseMs: 60_000 }, clock),
    ).toBeUndefined();
  });

  it('JOB-1: a job enqueued in a transaction that rolls back never exists', async () => {
    const kind = freshKind();
    let id = '';
    await expect(
      withTenant(db.handle, tenants.a, async (trx) => {
        id = (await enqueueJob(trx, { tenantId: tenants.a, kind, payload: {} }, clock)).id;
        throw new Error('the change that needed the job failed');
      }),
    ).rejects.toThrow('failed');
    expect(await withTenant(db.handle, tenants.a, (trx) => getJob(trx, tenants.a, id))).toBeUndefined();
    expect(
      await leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 1_000 }, clock),
    ).toBeUndefined();
  });

  it('JOB-1: a job waits for its run_after time', async () => {
    const kind = freshKind();
    await withSystem(db.handle, (trx) =>
      enqueueJob(
        trx,
        { tenantId: null, kind, payload: null, runAfter: new Date(clock.now().getTime() + 5_000) },
        clock,
      ),
    );
    expect(
      await leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 1_000 }, clock),
    ).toBeUndefined();
    clock.advance(5_000);
    expect(await leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 1_000 }, clock)).toMatchObject(
      {
        kind,
        tenantId: null,
      },
    );
  });

  it('JOB-1: an expired lease is re-claimed by another owner and the old owner is refused', async () => {
    const kind = freshKind();
    await withTenant(db.handle, tenants.a, (trx) =>
      enqueueJob(trx, { tenantId: tenants.a, kind, payload: {} }, clock),
    );
    const first = await leaseNextJob(
      db.handle,
      { owner: 'crashed-node', kinds: [kind], leaseMs: 10_000 },
      clock,
    );
    expect(first?.attempts).toBe(1);

    clock.advance(9_999);
    expect(
      await leaseNextJob(db.handle, { owner: 'node-2', kinds: [kind], leaseMs: 10_000 }, clock),
    ).toBeUndefined();
    clock.advance(2);
    const second = await leaseNextJob(db.handle, { owner: 'node-2', kinds: [kind], leaseMs: 10_000 }, clock);
    expect(second).toMatchObject({ id: first?.id, leaseOwner: 'node-2', attempts: 2 });

    const timing = { clock, leaseMs: 10_000 };
    expect(await reportProgress(db.handle, first!, { done: 99 }, timing)).toBe(false);
    expect(await completeJob(db.handle, first!, 'stale result', clock)).toBe(false);
    expect(await failJob(db.handle, first!, new Error('stale failure'), clock)).toBe(false);
    expect(await reportProgress(db.handle, second!, { done: 1 }, timing)).toBe(true);
    expect(await completeJob(db.handle, second!, 'fresh result', clock)).toBe(true);

    const job = await withTenant(db.handle, tenants.a, (trx) => getJob(trx, tenants.a, first!.id));
    expect(job).toMatchObject({
      status: 'succeeded',
      result: 'fresh result',
      progress: { done: 1 },
      lastError: null,
    });
  });

  it('JOB-1: a progress report extends the lease', async () => {
    const kind = freshKind();
    await withSystem(db.handle, (trx) => enqueueJob(trx, { tenantId: null, kind, payload: {} }, clock));
    const leased = await leaseNextJob(
      db.handle,
      { owner: 'slow-node', kinds: [kind], leaseMs: 10_000 },
      clock,
    );
    clock.advance(8_000);
    expect(await reportProgress(db.handle, leased!, { done: 1 }, { clock, leaseMs: 10_000 })).toBe(true);
    clock.advance(8_000);
    expect(
      await leaseNextJob(db.handle, { owner: 'other', kinds: [kind], leaseMs: 10_000 }, clock),
    ).toBeUndefined();
    clock.advance(2_001);
    expect(
      await leaseNextJob(db.handle, { owner: 'other', kinds: [kind], leaseMs: 10_000 }, clock),
    ).toMatchObject({
      leaseOwner: 'other',
    });
  });

  it('JOB-1: a failing job is retried with exponential backoff, then failed after max_attempts', async () => {
    const kind = freshKind();
    const lease = () => leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 60_000 }, clock);
    const { id } = await withTenant(db.handle, tenants.b, (trx) =>
      enqueueJob(trx, { tenantId: tenants.b, kind, payload: {}, maxAttempts: 3 }, clock),
    );
    for (const attempt of [1, 2]) {
      const job = await lease();
      expect(job?.attempts).toBe(attempt);
      expect(await failJob(db.handle, job!, new Error(`provider timeout ${attempt}`), clock)).toBe(true);
      const retry = await withTenant(db.handle, tenants.b, (trx) => getJob(trx, tenants.b, id));
      expect(retry).toMatchObject({ status: 'queued', lastError: `Error: provider timeout ${attempt}` });
      expect(retry?.runAfter).toBe(new Date(clock.now().getTime() + backoffMs(attempt)).toISOString());
      clock.advance(backoffMs(attempt) - 1);
      expect(await lease()).toBeUndefined();
      clock.advance(1);
    }
    const last = await lease();
    expect(last?.attempts).toBe(3);
    expect(await failJob(db.handle, last!, new Error('provider timeout 3'), clock)).toBe(true);
    const failed = await withTenant(db.handle, tenants.b, (trx) => getJob(trx, tenants.b, id));
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Error: provider timeout 3' });
    expect(failed?.finishedAt).toBe(clock.now().toISOString());
    clock.advance(backoffMs(10));
    expect(await lease()).toBeUndefined();
    expect(backoffMs(1)).toBe(2_000);
    expect(backoffMs(30)).toBe(60 * 60 * 1000);
  });

  it('JOB-1: a job whose last attempt lost its lease is failed, not run again', async () => {
    const kind = freshKind();
    await withSystem(db.handle, (trx) =>
      enqueueJob(trx, { tenantId: null, kind, payload: {}, maxAttempts: 1 }, clock),
    );
    const only = await leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 1_000 }, clock);
    clock.advance(1_001);
    expect(
      await leaseNextJob(db.handle, { owner: 'm', kinds: [kind], leaseMs: 1_000 }, clock),
    ).toBeUndefined();
    const job = await withSystem(db.handle, (trx) => getJob(trx, null, only!.id));
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'The lease of the last attempt expired',
    });
  });

  it('JOB-1: tenant A cannot read or cancel tenant B’s job', async () => {
    const kind = freshKind();
    const jobOfB = await withTenant(db.handle, tenants.b, (trx) =>
      enqueueJob(trx, { tenantId: tenants.b, kind, payload: { secret: 'b' } }, clock),
    );
    await withTenant(db.handle, tenants.a, async (trx) => {
      expect(await getJob(trx, tenants.a, jobOfB.id)).toBeUndefined();
      expect(await getJob(trx, tenants.a, 'not-a-uuid')).toBeUndefined();
      expect(await getJob(trx, tenants.a, newId())).toBeUndefined();
      expect(await cancelJob(trx, tenants.a, jobOfB.id, clock)).toBe(false);
    });
    expect(await withTenant(db.handle, tenants.b, (trx) => getJob(trx, tenants.b, jobOfB.id))).toMatchObject({
      status: 'queued',
      payload: { secret: 'b' },
    });
    if (db.name === 'postgres') {
      // Row-level security hides B's row even from a query that forgets the tenant filter.
      const seenByA = await withTenant(db.handle, tenants.a, (trx) =>
        trx.selectFrom('jobs').select('id').where('kind', '=', kind).execute(),
      );
      expect(seenByA).toEqual([]);
      const outsideAnyScope = await db.handle.db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', kind)
        .execute();
      expect(outsideAnyScope).toEqual([]);
    }
  });

  it('JOB-1: a cancelled job is not leased and its running owner is refused', async () => {
    const kind = freshKind();
    const queued = await withTenant(db.handle, tenants.a, (trx) =>
      enqueueJob(trx, { tenantId: tenants.a, kind, payload: {} }, clock),
    );
    const running = await withTenant(db.handle, tenants.a, (trx) =>
      enqueueJob(
        trx,
        { tenantId: tenants.a, kind, payload: {}, runAfter: new Date(clock.now().getTime() - 1) },
        clock,
      ),
    );
    const leased = await leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 60_000 }, clock);
    expect(leased?.id).toBe(running.id);
    await withTenant(db.handle, tenants.a, async (trx) => {
      expect(await cancelJob(trx, tenants.a, queued.id, clock)).toBe(true);
      expect(await cancelJob(trx, tenants.a, running.id, clock)).toBe(true);
      expect(await cancelJob(trx, tenants.a, running.id, clock)).toBe(false);
    });
    expect(await reportProgress(db.handle, leased!, { done: 1 }, { clock, leaseMs: 60_000 })).toBe(false);
    expect(await completeJob(db.handle, leased!, 'late', clock)).toBe(false);
    expect(
      await leaseNextJob(db.handle, { owner: 'n', kinds: [kind], leaseMs: 60_000 }, clock),
    ).toBeUndefined();
    const after = await withTenant(db.handle, tenants.a, (trx) => getJob(trx, tenants.a, running.id));
    expect(after?.status).toBe('cancelled');
  });
});
