import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock, systemClock } from '../clock';
import { type DatabaseHandle, openPostgres } from '../db/connect';
import type { JobStatus } from '../db/schema';
import { withSystem, withTenant } from '../db/tenant-scope';
import { cancelJob, enqueueJob, getJob, leaseNextJob } from './queue';
import { recordingLogger, seedTwoTenants } from './testing';
import { createJobRunner, JobLeaseLostError } from './worker';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

const statusCount = (handle: DatabaseHandle, kind: string, status: JobStatus) =>
  withSystem(handle, async (trx) => {
    const rows = await trx
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', kind)
      .where('status', '=', status)
      .execute();
    return rows.length;
  });

describe.each(databaseTargets())('job runner on $name', (target) => {
  let db: TestDatabase;
  let tenants: { a: string; b: string };
  const freshKind = () => `test-${randomUUID()}`;

  beforeAll(async () => {
    db = await target.create();
    tenants = await seedTwoTenants(db.handle, systemClock);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('JOB-1: two runners racing over 50 jobs never run one job twice', async () => {
    const kind = freshKind();
    await withTenant(db.handle, tenants.a, async (trx) => {
      for (let n = 0; n < 50; n++)
        await enqueueJob(trx, { tenantId: tenants.a, kind, payload: { n } }, systemClock);
    });
    // On PostgreSQL the second runner has its own pool, as a second app node would; SQLite is one process.
    const secondHandle = db.url ? openPostgres({ url: db.url, requireTls: false, max: 3 }) : db.handle;
    const runs = new Map<number, string[]>();
    const runner = (handle: DatabaseHandle, owner: string) =>
      createJobRunner({
        handle,
        clock: systemClock,
        owner,
        pollMs: 5,
        leaseMs: 30_000,
        logger: recordingLogger(),
        handlers: {
          [kind]: async (job: { payload: { n: number } }, ctx) => {
            runs.set(job.payload.n, [...(runs.get(job.payload.n) ?? []), owner]);
            await sleep(Math.floor(Math.random() * 4));
            await ctx.reportProgress({ done: 1, total: 1 });
            return { n: job.payload.n };
          },
        },
      });
    const one = runner(db.handle, 'node-1');
    const two = runner(secondHandle, 'node-2');
    try {
      one.start();
      two.start();
      await waitFor(async () => (await statusCount(db.handle, kind, 'succeeded')) === 50);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      if (secondHandle !== db.handle) await secondHandle.destroy();
    }
    expect(runs.size).toBe(50);
    // Both runners took part, or the race proved nothing.
    expect(new Set([...runs.values()].flat())).toEqual(new Set(['node-1', 'node-2']));
    expect([...runs.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    const attempts = await withSystem(db.handle, (trx) =>
      trx.selectFrom('jobs').select('attempts').where('kind', '=', kind).execute(),
    );
    expect(attempts.every((row) => row.attempts === 1)).toBe(true);
  });

  it('JOB-1: a failing handler is retried after its backoff, then the job fails', async () => {
    const kind = freshKind();
    const clock = new ManualClock();
    const logger = recordingLogger();
    const { id } = await withSystem(db.handle, (trx) =>
      enqueueJob(trx, { tenantId: null, kind, payload: {}, maxAttempts: 2 }, clock),
    );
    let calls = 0;
    const runner = createJobRunner({
      handle: db.handle,
      clock,
      owner: 'node-1',
      pollMs: 5,
      leaseMs: 60_000,
      logger,
      handlers: {
        [kind]: async () => {
          calls++;
          throw new Error('mail server refused');
        },
      },
    });
    expect(await runner.runOnce()).toBe(true);
    expect(await runner.runOnce()).toBe(false);
    clock.advance(2_000);
    expect(await runner.runOnce()).toBe(true);
    expect(calls).toBe(2);
    const job = await withSystem(db.handle, (trx) => getJob(trx, null, id));
    expect(job).toMatchObject({ status: 'failed', attempts: 2, lastError: 'Error: mail server refused' });
    expect(logger.lines.map((l) => l.msg)).toEqual(['job attempt failed', 'job failed']);
  });

  it('JOB-1: a cancelled job aborts its handler and stays cancelled', async () => {
    const kind = freshKind();
    const clock = new ManualClock();
    const { id } = await withTenant(db.handle, tenants.b, (trx) =>
      enqueueJob(trx, { tenantId: tenants.b, kind, payload: {} }, clock),
    );
    let seenAbort = false;
    const runner = createJobRunner({
      handle: db.handle,
      clock,
      owner: 'node-1',
      pollMs: 5,
      leaseMs: 60_000,
      logger: recordingLogger(),
      handlers: {
        [kind]: async (_job, ctx) => {
          await ctx.reportProgress({ done: 1, total: 3 });
          await withTenant(db.handle, tenants.b, (trx) => cancelJob(trx, tenants.b, id, clock));
          const refused = await ctx.reportProgress({ done: 2 }).catch((err: unknown) => err);
          expect(refused).toBeInstanceOf(JobLeaseLostError);
          seenAbort = ctx.signal.aborted;
          return 'should be dropped';
        },
      },
    });
    expect(await runner.runOnce()).toBe(true);
    expect(seenAbort).toBe(true);
    const job = await withTenant(db.handle, tenants.b, (trx) => getJob(trx, tenants.b, id));
    expect(job).toMatchObject({ status: 'cancelled', result: null, progress: { done: 1, total: 3 } });
  });

  it('JOB-1: the runner renews its lease while a long step runs, so no one else claims the job', async () => {
    const kind = freshKind();
    await withSystem(db.handle, (trx) => enqueueJob(trx, { tenantId: null, kind, payload: {} }, systemClock));
    let release: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finish: () => void = () => {};
    const runner = createJobRunner({
      handle: db.handle,
      clock: systemClock,
      owner: 'node-1',
      pollMs: 5,
      leaseMs: 300,
      logger: recordingLogger(),
      handlers: {
        [kind]: () =>
          new Promise((resolve) => {
            release();
            finish = () => resolve('done');
          }),
      },
    });
    const running = runner.runOnce();
    await started;
    for (let i = 0; i < 4; i++) {
      await sleep(200);
      expect(
        await leaseNextJob(db.handle, { owner: 'node-2', kinds: [kind], leaseMs: 300 }, systemClock),
      ).toBeUndefined();
    }
    finish();
    expect(await running).toBe(true);
    expect(await statusCount(db.handle, kind, 'succeeded')).toBe(1);
  });

  it('JOB-1: stop() waits for the job in hand and then leaves nothing running', async () => {
    const kind = freshKind();
    await withSystem(db.handle, (trx) => enqueueJob(trx, { tenantId: null, kind, payload: {} }, systemClock));
    let finish: () => void = () => {};
    let began = false;
    const runner = createJobRunner({
      handle: db.handle,
      clock: systemClock,
      owner: 'node-1',
      pollMs: 10,
      leaseMs: 30_000,
      logger: recordingLogger(),
      handlers: {
        [kind]: () =>
          new Promise((resolve) => {
            began = true;
            finish = () => resolve('done');
          }),
      },
    });
    runner.start();
    await waitFor(async () => began);
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(await statusCount(db.handle, kind, 'succeeded')).toBe(1);

    // After stop no poll runs: a new job stays queued.
    await withSystem(db.handle, (trx) => enqueueJob(trx, { tenantId: null, kind, payload: {} }, systemClock));
    await sleep(60);
    expect(await statusCount(db.handle, kind, 'queued')).toBe(1);
  });
});
