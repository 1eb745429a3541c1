import type { Selectable } from 'kysely';
import type { JobStatus, JobsTable } from '../db/schema';

export type { JobStatus };

/** A background job as the app sees it: JSON parsed, names in camelCase. */
export interface Job<Payload = unknown> {
  id: string;
  /** null for a platform job (purges, key rotation) that belongs to no tenant. */
  tenantId: string | null;
  kind: string;
  payload: Payload;
  status: JobStatus;
  progress: { done: number; total: number | null; message: string | null };
  /** How many times the job has been leased, the current run included. */
  attempts: number;
  maxAttempts: number;
  runAfter: string;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export type JobRow = Selectable<JobsTable>;

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function jobFromRow(row: JobRow): Job {
  return {
    id: String(row.id),
    tenantId: row.tenant_id === null ? null : String(row.tenant_id),
    kind: row.kind,
    payload: parseJson(row.payload),
    status: row.status,
    progress: { done: row.progress_done, total: row.progress_total, message: row.progress_message },
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: row.run_after,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastError: row.last_error,
    result: parseJson(row.result),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
