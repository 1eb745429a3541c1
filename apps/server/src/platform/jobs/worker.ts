import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import type { Job } from './job';
import { completeJob, failJob, leaseNextJob, type Progress, renewLease, reportProgress } from './queue';

export interface JobContext {
  /** Records progress and extends the lease; throws JobLeaseLostError once another owner took the job. */
  reportProgress(progress: Progress): Promise<void>;
  /** Aborted when the lease is lost or the job was cancelled: stop and return. */
  signal: AbortSignal;
}

// biome-ignore lint/suspicious/noExplicitAny: each handler knows its own payload type
export type JobHandler = (job: Job<any>, ctx: JobContext) => Promise<unknown>;

export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobRunnerOptions {
  handle: DatabaseHandle;
  clock: Clock;
  /** Unique per process (e.g. host + pid + random): it names the lease holder. */
  owner: string;
  handlers: Record<string, JobHandler>;
  /** Wait between polls when the queue is empty. */
  pollMs: number;
  /** How long a claim lasts without a progress report; the runner renews it every third of this. */
  leaseMs: number;
  logger: JobLogger;
}

export interface JobRunner {
  start(): void;
  /** Stops polling and resolves once the job in hand is finished; leaves no timer behind. */
  stop(): Promise<void>;
  /** Claims and runs one due job; false when none was due. */
  runOnce(): Promise<boolean>;
}

export class JobLeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Job ${jobId} is no longer held by this runner (lease lost or cancelled)`);
    this.name = 'JobLeaseLostError';
  }
}

/**
 * Runs jobs at least once: a claim is a lease, renewed while the handler works; if this process dies
 * another one re-claims the job after the lease expires. Handlers must therefore be idempotent.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { handle, clock, owner, handlers, pollMs, leaseMs, logger } = options;
  const kinds = Object.keys(handlers);
  const leaseTiming = { clock, leaseMs };
  let running = false;
  let loop: Promise<void> | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;

  async function runJob(job: Job): Promise<void> {
    const handler = handlers[job.kind];
    if (!handler) return;
    const controller = new AbortController();
    const lost = () => {
      if (!controller.signal.aborted) controller.abort(new JobLeaseLostError(job.id));
    };
    // Renewal keeps a long quiet step (one big query) from losing the lease.
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(
      () => {
        renewing = renewLease(handle, job, leaseTiming)
          .then((held) => held || lost())
          .catch((err: unknown) => logger.warn({ err, jobId: job.id }, 'job lease renewal failed'));
      },
      Math.max(Math.floor(leaseMs / 3), 10),
    );
    const ctx: JobContext = {
      signal: controller.signal,
      async reportProgress(progress) {
        if (controller.signal.aborted) throw new JobLeaseLostError(job.id);
        if (!(await reportProgress(handle, job, progress, leaseTiming))) {
          lost();
          throw new JobLeaseLostError(job.id);
        }
      },
    };
    try {
      const result = await handler(job, ctx);
      if (controller.signal.aborted) {
        logger.warn(
          { jobId: job.id, kind: job.kind },
          'job finished after its lease was lost; result dropped',
        );
      } else if (await completeJob(handle, job, result, clock)) {
        logger.info({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'job succeeded');
      } else {
        logger.warn({ jobId: job.id, kind: job.kind }, 'job lease lost before completion; result dropped');
      }
    } catch (err) {
      if (controller.signal.aborted) {
        logger.warn({ jobId: job.id, kind: job.kind }, 'job stopped: lease lost or cancelled');
      } else {
        await failJob(handle, job, err, clock);
        const final = job.attempts >= job.maxAttempts;
        logger.error(
          { err, jobId: job.id, kind: job.kind, attempts: job.attempts },
          final ? 'job failed' : 'job attempt failed',
        );
      }
    } finally {
      clearInterval(renewal);
      await renewing;
    }
  }

  async function runOnce(): Promise<boolean> {
    const job = await leaseNextJob(handle, { owner, kinds, leaseMs }, clock);
    if (!job) return false;
    await runJob(job);
    return true;
  }

  const pause = () =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      pollTimer = setTimeout(resolve, pollMs);
    });

  async function pollLoop(): Promise<void> {
    while (running) {
      let ran = false;
      try {
        ran = await runOnce();
      } catch (err) {
        logger.error({ err }, 'job polling failed');
      }
      if (!ran && running) await pause();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = pollLoop();
    },
    async stop() {
      running = false;
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = undefined;
      wakeUp?.();
      wakeUp = undefined;
      await loop;
      loop = undefined;
    },
    runOnce,
  };
}
