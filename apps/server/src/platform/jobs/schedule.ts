import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { withSystem } from '../db/tenant-scope';
import type { Job } from './job';
import { enqueueJob } from './queue';
import type { JobLogger } from './worker';

export interface RecurringJob {
  kind: string;
  every: 'hourly' | 'daily';
}

const HOUR_MS = 60 * 60 * 1000;

/** The UTC period a time falls in: '2026-11-29' (daily) or '2026-11-29T13' (hourly). */
export function periodOf(every: RecurringJob['every'], at: Date): string {
  const iso = at.toISOString();
  return every === 'daily' ? iso.slice(0, 10) : iso.slice(0, 13);
}

export const recurringJobKey = (job: RecurringJob, at: Date): string =>
  `${job.kind}:${periodOf(job.every, at)}`;

/**
 * Enqueues the platform job of each kind for the current period unless it exists already. Every node
 * may call this at once: the unique key lets exactly one insert win, the others get the same job back.
 */
export async function ensureRecurringJobs(
  handle: DatabaseHandle,
  clock: Clock,
  jobs: readonly RecurringJob[],
): Promise<Job[]> {
  const now = clock.now();
  return withSystem(handle, async (trx) => {
    const ensured: Job[] = [];
    for (const job of jobs) {
      ensured.push(
        await enqueueJob(
          trx,
          { tenantId: null, kind: job.kind, payload: null, uniqueKey: recurringJobKey(job, now) },
          clock,
        ),
      );
    }
    return ensured;
  });
}

export interface RecurringJobsOptions {
  handle: DatabaseHandle;
  clock: Clock;
  jobs: readonly RecurringJob[];
  logger: Pick<JobLogger, 'error'>;
  /** How often to look; an hour catches every daily and hourly period soon after it begins. */
  checkEveryMs?: number;
}

export interface RecurringJobs {
  /** Stops the timer and waits for a check in progress. */
  stop(): Promise<void>;
}

/** Ensures the recurring jobs now and then every hour, on a timer that never keeps the process alive. */
export function startRecurringJobs(options: RecurringJobsOptions): RecurringJobs {
  const { handle, clock, jobs, logger } = options;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const check = () => {
    if (stopped) return;
    inFlight = inFlight.then(() =>
      ensureRecurringJobs(handle, clock, jobs).then(
        () => undefined,
        (err: unknown) => logger.error({ err }, 'recurring jobs could not be enqueued'),
      ),
    );
  };
  check();
  const timer = setInterval(check, options.checkEveryMs ?? HOUR_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
