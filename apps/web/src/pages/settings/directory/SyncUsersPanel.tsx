import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { directorySyncStartedSchema, type Job } from '@thestorage/contracts';
import { useEffect, useState } from 'react';
import {
  DIRECTORY_SYNC_PATH,
  directoryConnectionQuery,
  employeesSummaryQuery,
  isJobFinished,
  jobQuery,
} from '../../../api/directory';
import { useApiWrite } from '../../../api/session';
import { QueryState } from '../../../components/QueryState';
import { DirectoryErrorAlert } from './DirectoryErrorAlert';

function percentOf(job: Job): number | null {
  const { done, total } = job.progress;
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.round((done / total) * 100));
}

function JobProgress({ job }: { job: Job }) {
  if (job.status === 'succeeded') {
    return (
      <Alert color="teal" variant="light" role="status" icon={<IconCircleCheck size={18} aria-hidden />}>
        Sync finished: {job.progress.done} {job.progress.done === 1 ? 'person' : 'people'} read.
      </Alert>
    );
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    return (
      <Alert
        color="red"
        variant="light"
        role="alert"
        title="Sync failed"
        icon={<IconAlertTriangle size={18} aria-hidden />}
      >
        {job.lastError ?? 'The sync stopped before it finished.'}
      </Alert>
    );
  }
  const percent = percentOf(job);
  const label =
    job.progress.total === null
      ? `${job.progress.done} people read`
      : `${job.progress.done} of ${job.progress.total} people`;
  return (
    <Stack gap={4}>
      <Progress
        value={percent ?? 100}
        striped={percent === null}
        animated
        size="lg"
        aria-label="Sync progress"
        aria-valuetext={label}
      />
      <Text size="xs" c="dimmed">
        {job.status === 'queued' ? 'Waiting to start…' : (job.progress.message ?? 'Reading the directory')} ·{' '}
        {label}
      </Text>
    </Stack>
  );
}

function FollowJob({ jobId, onFinished }: { jobId: string; onFinished(): void }) {
  const job = useQuery(jobQuery(jobId));
  const status = job.data?.status;
  const finished = status !== undefined && isJobFinished(status);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per finished job
  useEffect(() => {
    if (finished) onFinished();
  }, [finished]);
  return (
    <QueryState query={job} label="the sync progress">
      {(data) => <JobProgress job={data} />}
    </QueryState>
  );
}

/** "Sync users": starts a sync job and follows its progress until it succeeds or fails. */
export function SyncUsersPanel() {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const start = useMutation({
    mutationFn: () => api.post(DIRECTORY_SYNC_PATH, undefined, directorySyncStartedSchema),
    onSuccess: ({ jobId: started }) => {
      setJobId(started);
      setRunning(true);
    },
  });

  const finished = () => {
    setRunning(false);
    void queryClient.invalidateQueries({ queryKey: directoryConnectionQuery.queryKey });
    void queryClient.invalidateQueries({ queryKey: employeesSummaryQuery.queryKey });
  };

  return (
    <Stack gap="sm">
      <Group>
        <Button
          leftSection={<IconRefresh size={16} aria-hidden />}
          loading={start.isPending || running}
          onClick={() => start.mutate()}
        >
          Sync users
        </Button>
      </Group>
      {start.isError && <DirectoryErrorAlert error={start.error} />}
      {jobId && <FollowJob key={jobId} jobId={jobId} onFinished={finished} />}
    </Stack>
  );
}
