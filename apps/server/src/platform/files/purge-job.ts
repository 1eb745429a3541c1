import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { withSystem } from '../db/tenant-scope';
import type { JobContext, JobHandler } from '../jobs/worker';

export const FILES_PURGE_JOB = 'files.purge';
const DEFAULT_BATCH_SIZE = 100;

export interface FileJobDeps {
  handle: DatabaseHandle;
  clock: Clock;
  /** Files removed per transaction: small enough that no batch holds locks for long. */
  batchSize?: number;
}

/**
 * Removes every tenant's files whose 14 days have passed, one batch per transaction. Idempotent: a
 * re-run after a crash just finds fewer files. A file restored meanwhile no longer matches.
 */
export async function purgeDeletedFiles(
  deps: FileJobDeps,
  ctx: Pick<JobContext, 'reportProgress' | 'signal'>,
): Promise<{ purged: number }> {
  const { handle, clock } = deps;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  const cutoff = clock.now().toISOString();
  const due = await withSystem(handle, (trx) =>
    trx
      .selectFrom('files')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('purge_after', '<=', cutoff)
      .executeTakeFirstOrThrow(),
  );
  const total = Number(due.count);
  let purged = 0;
  await ctx.reportProgress({ done: 0, total, message: 'deleted files' });
  while (!ctx.signal.aborted) {
    const removed = await withSystem(handle, async (trx) => {
      const result = await trx
        .deleteFrom('files')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('files')
            .select('id')
            .where('purge_after', '<=', cutoff)
            .orderBy('purge_after')
            .limit(batchSize),
        )
        .where('purge_after', '<=', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
    purged += removed;
    await ctx.reportProgress({ done: purged, total: Math.max(total, purged), message: 'deleted files' });
    if (removed < batchSize) break;
  }
  return { purged };
}

/** Job handlers of the file store, for createJobRunner. */
export const fileJobHandlers = (deps: FileJobDeps): Record<string, JobHandler> => ({
  [FILES_PURGE_JOB]: (_job, ctx) => purgeDeletedFiles(deps, ctx),
});
