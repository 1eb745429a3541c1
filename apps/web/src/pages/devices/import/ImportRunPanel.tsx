import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight, IconCircleCheck, IconFileImport } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { DeviceImport, Job } from '@thestorage/contracts';
import { IMPORT_POLL_MS } from '../../../api/imports';
import { FollowJob, JobProgressBar } from '../../../components/FollowJob';
import { ImportProblems } from './ImportProblems';
import { ImportSummaryFigures } from './ImportSummaryFigures';
import { countOf } from './importLabels';

function JobProgress({ job }: { job: Job }) {
  const { done, total } = job.progress;
  const counted =
    total === null
      ? `${countOf(done, 'row')} read`
      : `${done.toLocaleString('en')} of ${countOf(total, 'row')}`;
  const message =
    job.status === 'queued' ? 'Waiting to start…' : (job.progress.message ?? 'Importing the devices');
  return (
    <Stack gap={4}>
      <JobProgressBar job={job} label="Import progress" valueText={counted} />
      <Text size="sm" c="dimmed" data-testid="import-progress-message" aria-live="polite">
        {message} · {counted}
      </Text>
    </Stack>
  );
}

/** Where the imported devices are: the list, most recently changed first. */
function ShowDevicesLink() {
  return (
    <Group>
      <Button
        renderRoot={(root) => <Link {...root} to="/devices" search={{ sort: 'modified', order: 'desc' }} />}
        variant="light"
        rightSection={<IconArrowRight size={16} aria-hidden />}
      >
        Show the devices
      </Button>
    </Group>
  );
}

/**
 * DEV-12, last step: the run (all or nothing, in the background) with its progress, then what it did or why
 * it failed.
 */
export function ImportRunPanel({
  deviceImport,
  mappingChanged,
  running,
  onRun,
  onJobFinished,
}: {
  deviceImport: DeviceImport;
  /** The mapping on screen differs from the one checked: it has to be checked again first. */
  mappingChanged: boolean;
  /** The run request is on its way. */
  running: boolean;
  onRun(): void;
  onJobFinished(): void;
}) {
  const { status, summary, jobId } = deviceImport;

  if (status === 'queued' || status === 'running') {
    return jobId ? (
      // Follows the import's job every ~500 ms and says once when it has finished.
      <FollowJob
        key={jobId}
        jobId={jobId}
        pollMs={IMPORT_POLL_MS}
        label="the import progress"
        onFinished={onJobFinished}
      >
        {(job) => <JobProgress job={job} />}
      </FollowJob>
    ) : (
      <Text size="sm" c="dimmed">
        Waiting to start…
      </Text>
    );
  }

  if (status === 'completed') {
    return (
      <Stack gap="md">
        <Alert color="teal" variant="light" role="status" icon={<IconCircleCheck size={18} aria-hidden />}>
          Import finished
          {summary
            ? `: ${summary.create.toLocaleString('en')} created, ${summary.update.toLocaleString('en')} updated, ${summary.unchanged.toLocaleString('en')} unchanged.`
            : '.'}
        </Alert>
        {summary && <ImportSummaryFigures summary={summary} done />}
        <ShowDevicesLink />
      </Stack>
    );
  }

  if (status === 'failed') {
    return (
      <Stack gap="md">
        <Alert
          color="red"
          variant="light"
          role="alert"
          title="The import failed"
          icon={<IconAlertTriangle size={18} aria-hidden />}
        >
          Nothing was changed: the import keeps every device as it was unless every row is right.
          {deviceImport.problemCount === 0 && ' Try again later, or upload the file again.'}
        </Alert>
        <ImportProblems deviceImport={deviceImport} />
      </Stack>
    );
  }

  const ready = status === 'checked' && !mappingChanged;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {ready
          ? 'Every row is right. The import runs in the background; you can follow its progress here.'
          : 'Check the file without problems first: nothing changes unless every row is right.'}
      </Text>
      <Group>
        <Button
          leftSection={<IconFileImport size={16} aria-hidden />}
          disabled={!ready}
          loading={running}
          onClick={onRun}
        >
          {ready && summary ? `Import ${countOf(summary.rows, 'device')}` : 'Import devices'}
        </Button>
      </Group>
    </Stack>
  );
}
