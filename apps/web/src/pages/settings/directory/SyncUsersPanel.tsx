import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { directorySyncStartedSchema, type Job } from '@thestorage/contracts';
import { useState } from 'react';
import { DIRECTORY_SYNC_PATH, directoryConnectionQuery, employeesSummaryQuery } from '../../../api/directory';
import { useApiWrite } from '../../../api/session';
import { FollowJob, JobProgressBar } from '../../../components/FollowJob';
import { DirectoryErrorAlert } from './DirectoryErrorAlert';

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
  const label =
    job.progress.total === null
      ? `${job.progress.done} people read`
      : `${job.progress.done} of ${job.progress.total} people`;
  return (
    <Stack gap={4}>
      <JobProgressBar job={job} label="Sync progress" valueText={label} />
      <Text size="xs" c="dimmed">
        {job.status === 'queued' ? 'Waiting to start…' : (job.progress.message ?? 'Reading the directory')} ·{' '}
        {label}
      </Text>
    </Stack>
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
      {jobId && (
        <FollowJob key={jobId} jobId={jobId} label="the sync progress" onFinished={finished}>
          {(job) => <JobProgress job={job} />}
        </FollowJob>
      )}
    </Stack>
  );
}
