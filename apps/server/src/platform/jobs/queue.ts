import type { Kysely } from 'kysely';
import type { Clock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import { isUuid, newId } from '../db/ids';
import type { DB, JobRowUpdate } from '../db/schema';
import { withSystem } from '../db/tenant-scope';
import { type Job, jobFromRow } from './job';

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Backoff after a failed attempt n: 2^n seconds, at most one hour. */
export const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** Longer error texts are cut: the message is for operators, not a stack dump. */
const MAX_ERROR_LENGTH = 2_000;

export const backoffMs = (attempts: number): number => Math.min(2 ** attempts * 1000, MAX_BACKOFF_MS);

export interface NewJob {
  tenantId: string | null;
  kind: string;
  payload: unknown;
  maxAttempts?: number;
  runAfter?: Date;
  /** At most one job ever exists per key: enqueueing it again returns the existing job. */
  uniqueKey?: string;
}

/** The part of a leased job that proves who holds the lease: owner and attempt number act as a fencing token. */
export type JobLease = Pick<Job, 'id' | 'leaseOwner' | 'attempts'>;

export interface LeaseOptions {
  owner: string;
  kinds: readonly string[];
  leaseMs: number;
}

export interface Progress {
  done: number;
  total?: number | null;
  message?: string | null;
}

/**
 * Adds a job inside the caller's transaction, so it exists exactly when the change that needs it commits.
 * With a uniqueKey, ON CONFLICT DO NOTHING (not a caught unique violation, which would abort the
 * caller's PostgreSQL transaction) lets concurrent callers on several nodes share one job.
 */
export async function enqueueJob(trx: Kysely<DB>, job: NewJob, clock: Clock): Promise<Job> {
  const now = clock.now().toISOString();
  const row = await trx
    .insertInto('jobs')
    .values({
      id: newId(),
      tenant_id: job.tenantId,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      status: 'queued',
      progress_done: 0,
      progress_total: null,
      progress_message: null,
      attempts: 0,
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_after: (job.runAfter ?? clock.now()).toISOString(),
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
      result: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
      unique_key: job.uniqueKey ?? null,
    })
    .$if(job.uniqueKey !== undefined, (qb) => qb.onConflict((oc) => oc.column('unique_key').doNothing()))
    .returningAll()
    .executeTakeFirst();
  if (row) return jobFromRow(row);
  const existing =
    job.uniqueKey === undefined
      ? undefined
      : await trx
          .selectFrom('jobs')
          .selectAll()
          .where('unique_key', '=', job.uniqueKey)
          .where((eb) =>
            job.tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', job.tenantId),
          )
          .executeTakeFirst();
  if (!existing) throw new Error(`Job key ${job.uniqueKey} is taken by a job of another scope`);
  return jobFromRow(existing);
}

/** One tenant's job; another tenant's (or a platform job) is undefined, as if it did not exist. */
export async function getJob(trx: Kysely<DB>, tenantId: string | null, id: string): Promise<Job | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await trx
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .executeTakeFirst();
  return row ? jobFromRow(row) : undefined;
}

/** Cancels a tenant's queued or running job; a running job notices at its next progress report. */
export async function cancelJob(
  trx: Kysely<DB>,
  tenantId: string | null,
  id: string,
  clock: Clock,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const now = clock.now().toISOString();
  const result = await trx
    .updateTable('jobs')
    .set({
      status: 'cancelled',
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
      finished_at: now,
    })
    .where('id', '=', id)
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Claims the next due job of the given kinds in one statement: a queued job whose time has come, or a
 * running job whose lease expired (its owner died). PostgreSQL skips rows other nodes are claiming;
 * SQLite's single writer serialises claims.
 */
export async function leaseNextJob(
  handle: DatabaseHandle,
  { owner, kinds, leaseMs }: LeaseOptions,
  clock: Clock,
): Promise<Job | undefined> {
  if (kinds.length === 0) return undefined;
  const now = clock.now();
  const nowIso = now.toISOString();
  const skipLocked = handle.dialect === 'postgres';
  return withSystem(handle, async (trx) => {
    // A job whose last allowed attempt lost its lease is failed instead of run once more.
    await trx
      .updateTable('jobs')
      .set({
        status: 'failed',
        last_error: 'The lease of the last attempt expired',
        lease_owner: null,
        lease_expires_at: null,
        updated_at: nowIso,
        finished_at: nowIso,
      })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('kind', 'in', kinds)
          .where('status', '=', 'running')
          .where('lease_expires_at', '<', nowIso)
          .whereRef('attempts', '>=', 'max_attempts')
          .$if(skipLocked, (qb) => qb.forUpdate().skipLocked()),
      )
      .execute();

    const row = await trx
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        attempts: eb('attempts', '+', 1),
        updated_at: nowIso,
      }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('kind', 'in', kinds)
          .where((w) =>
            w.or([
              w.and([w('status', '=', 'queued'), w('run_after', '<=', nowIso)]),
              w.and([w('status', '=', 'running'), w('lease_expires_at', '<', nowIso)]),
            ]),
          )
          .orderBy('run_after')
          .orderBy('id')
          .limit(1)
          .$if(skipLocked, (qb) => qb.forUpdate().skipLocked()),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? jobFromRow(row) : undefined;
  });
}

/** Records progress and extends the lease; false when this owner no longer holds the job. */
export async function reportProgress(
  handle: DatabaseHandle,
  lease: JobLease,
  progress: Progress,
  { clock, leaseMs }: { clock: Clock; leaseMs: number },
): Promise<boolean> {
  const now = clock.now();
  return updateHeldJob(handle, lease, {
    progress_done: progress.done,
    ...(progress.total !== undefined ? { progress_total: progress.total } : {}),
    ...(progress.message !== undefined ? { progress_message: progress.message } : {}),
    lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
    updated_at: now.toISOString(),
  });
}

/** Extends the lease without touching progress; false when this owner no longer holds the job. */
export async function renewLease(
  handle: DatabaseHandle,
  lease: JobLease,
  { clock, leaseMs }: { clock: Clock; leaseMs: number },
): Promise<boolean> {
  const now = clock.now();
  return updateHeldJob(handle, lease, {
    lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
    updated_at: now.toISOString(),
  });
}

/** Marks the job done with its result; false (and nothing changed) when the lease was lost. */
export async function completeJob(
  handle: DatabaseHandle,
  lease: JobLease,
  result: unknown,
  clock: Clock,
): Promise<boolean> {
  const now = clock.now().toISOString();
  return updateHeldJob(handle, lease, {
    status: 'succeeded',
    result: result === undefined ? null : JSON.stringify(result),
    lease_owner: null,
    lease_expires_at: null,
    updated_at: now,
    finished_at: now,
  });
}

/**
 * Records a failed attempt: back to the queue after an exponential backoff, or 'failed' once the job
 * used all its attempts. False when the lease was lost (the new owner decides).
 */
export async function failJob(
  handle: DatabaseHandle,
  lease: JobLease & Pick<Job, 'maxAttempts'>,
  error: unknown,
  clock: Clock,
): Promise<boolean> {
  const now = clock.now();
  const lastError = errorText(error);
  const exhausted = lease.attempts >= lease.maxAttempts;
  return updateHeldJob(
    handle,
    lease,
    exhausted
      ? {
          status: 'failed',
          last_error: lastError,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: now.toISOString(),
          finished_at: now.toISOString(),
        }
      : {
          status: 'queued',
          last_error: lastError,
          run_after: new Date(now.getTime() + backoffMs(lease.attempts)).toISOString(),
          lease_owner: null,
          lease_expires_at: null,
          updated_at: now.toISOString(),
        },
  );
}

/** Changes a running job only while `lease` still holds it (same owner, same attempt). */
async function updateHeldJob(
  handle: DatabaseHandle,
  lease: JobLease,
  changes: JobRowUpdate,
): Promise<boolean> {
  if (lease.leaseOwner === null) return false;
  const owner = lease.leaseOwner;
  return withSystem(handle, async (trx) => {
    const result = await trx
      .updateTable('jobs')
      .set(changes)
      .where('id', '=', lease.id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .where('attempts', '=', lease.attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
