import { queryOptions } from '@tanstack/react-query';
import { type Job, jobSchema } from '@thestorage/contracts';
import { apiGet } from './client';

/** How often a running job is asked for its progress, unless its page asks more often. */
export const JOB_POLL_MS = 1_000;

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

export function isJobFinished(status: string): boolean {
  return FINISHED.has(status);
}

/** A background job (GET /api/v1/jobs/:id), asked again every `pollMs` until it has finished. */
export function jobQuery(jobId: string, pollMs = JOB_POLL_MS) {
  return queryOptions({
    queryKey: ['jobs', jobId],
    queryFn: ({ signal }) => apiGet(`/api/v1/jobs/${encodeURIComponent(jobId)}`, jobSchema, { signal }),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isJobFinished(status) ? false : pollMs;
    },
    staleTime: 0,
  });
}

/** How far a job is, 0–100; null while its total is not known. */
export function jobPercent(job: Job): number | null {
  const { done, total } = job.progress;
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.round((done / total) * 100));
}
