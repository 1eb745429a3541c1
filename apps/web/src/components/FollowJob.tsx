import { Progress } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Job } from '@thestorage/contracts';
import { type ReactNode, useEffect } from 'react';
import { isJobFinished, JOB_POLL_MS, jobPercent, jobQuery } from '../api/jobs';
import { QueryState } from './QueryState';

/**
 * Follows a background job — asked again every `pollMs` until it has finished — shows it with `children`,
 * and says once when it has finished. Keyed by the job id where it is used, so a new job starts afresh.
 */
export function FollowJob({
  jobId,
  pollMs = JOB_POLL_MS,
  label,
  onFinished,
  children,
}: {
  jobId: string;
  pollMs?: number;
  /** Names what is followed ("the sync progress"), for the loader and the error. */
  label: string;
  onFinished(): void;
  children: (job: Job) => ReactNode;
}) {
  const job = useQuery(jobQuery(jobId, pollMs));
  const status = job.data?.status;
  const finished = status !== undefined && isJobFinished(status);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per finished job
  useEffect(() => {
    if (finished) onFinished();
  }, [finished]);
  return (
    <QueryState query={job} label={label}>
      {children}
    </QueryState>
  );
}

/** A job's progress bar: filled as far as it is (striped while its total is unknown), moving until it ends. */
export function JobProgressBar({ job, label, valueText }: { job: Job; label: string; valueText: string }) {
  const percent = jobPercent(job);
  return (
    <Progress
      value={percent ?? 100}
      striped={percent === null}
      animated={!isJobFinished(job.status)}
      size="lg"
      aria-label={label}
      aria-valuetext={valueText}
    />
  );
}
