import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconInfoCircle, IconRefresh, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeviceImport, ImportField } from '@thestorage/contracts';
import { type ReactNode, useState } from 'react';
import { DEVICES_KEY } from '../../../api/devices';
import {
  IMPORTS_KEY,
  importQuery,
  importWrites,
  isImportNotChecked,
  isStaleImport,
  mappingOf,
} from '../../../api/imports';
import { useApiWrite } from '../../../api/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { QueryState } from '../../../components/QueryState';
import { StaleAlert } from '../../../components/StaleAlert';
import { ImportMappingTable } from './ImportMappingTable';
import { ImportProblems, ImportWarnings } from './ImportProblems';
import { ImportRunPanel } from './ImportRunPanel';
import { ImportSummaryFigures } from './ImportSummaryFigures';
import { formatSize, IMPORT_STATUS_STYLE } from './importLabels';

function Step({
  id,
  title,
  children,
  aside,
}: {
  id: string;
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Title order={2} fz="lg" id={id}>
            {title}
          </Title>
          {aside}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

/** The mapping may change until the run starts; after that the import is a record. */
function isEditable(deviceImport: DeviceImport): boolean {
  return deviceImport.status === 'uploaded' || deviceImport.status === 'checked';
}

/** The check found this, or has not been asked yet. */
function CheckOutcome({
  deviceImport,
  mappingChanged,
}: {
  deviceImport: DeviceImport;
  mappingChanged: boolean;
}) {
  const { status, summary, problemCount, warnings } = deviceImport;
  if (!isEditable(deviceImport)) {
    // From the run on, the summary and problems are the run's own (step 4).
    return (
      <Text size="sm" c="dimmed">
        The file was checked without problems before the import started.
      </Text>
    );
  }
  if (!summary && problemCount === 0) {
    return (
      <Text size="sm" c="dimmed">
        Not checked yet. "Check file" reads every row as the import would, and changes nothing.
      </Text>
    );
  }
  return (
    <Stack gap="md">
      {mappingChanged && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
          You changed the mapping since this check: check the file again.
        </Alert>
      )}
      {status === 'checked' && !mappingChanged && (
        <Alert color="teal" variant="light" role="status" icon={<IconCircleCheck size={18} aria-hidden />}>
          No problems found: the file is ready to import.
        </Alert>
      )}
      {summary && <ImportSummaryFigures summary={summary} done={false} />}
      <ImportWarnings warnings={warnings} />
      <ImportProblems deviceImport={deviceImport} />
    </Stack>
  );
}

/** DEV-12, steps 2–4 for one uploaded file: map its columns, check it, run it and follow the run. */
function ImportSteps({ deviceImport, onStartOver }: { deviceImport: DeviceImport; onStartOver(): void }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const writes = importWrites(api);
  const key = importQuery(deviceImport.id).queryKey;
  // The choices on screen, valid for the version they were made on; a newer version brings the server's.
  const [draft, setDraft] = useState(() => ({
    version: deviceImport.version,
    fields: mappingOf(deviceImport),
  }));
  const fields = draft.version === deviceImport.version ? draft.fields : mappingOf(deviceImport);
  const mappingChanged = deviceImport.columns.some((column) => fields[column.index] !== column.field);
  const editable = isEditable(deviceImport);

  const store = (next: DeviceImport) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: [...IMPORTS_KEY, 'list'] });
  };
  const reload = useMutation({ mutationFn: () => queryClient.refetchQueries({ queryKey: key }) });

  const check = useMutation({
    mutationFn: async () => {
      const columns = deviceImport.columns.map((column) => ({
        index: column.index,
        field: fields[column.index] ?? column.field,
      }));
      const saved = await writes.saveMapping(deviceImport.id, deviceImport.version, columns);
      store(saved);
      return writes.check(saved.id, saved.version);
    },
    onSuccess: store,
  });
  const run = useMutation({
    mutationFn: () => writes.run(deviceImport.id, deviceImport.version),
    onSuccess: store,
    onError: (error) => {
      if (isImportNotChecked(error)) void queryClient.invalidateQueries({ queryKey: key });
    },
  });

  const change = (index: number, field: ImportField) => {
    check.reset();
    run.reset();
    setDraft({ version: deviceImport.version, fields: { ...fields, [index]: field } });
  };
  const reloadAfterStale = () =>
    reload.mutate(undefined, {
      onSuccess: () => {
        check.reset();
        run.reset();
      },
    });
  const jobFinished = () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: [...IMPORTS_KEY, 'list'] });
    void queryClient.invalidateQueries({ queryKey: DEVICES_KEY });
    void queryClient.invalidateQueries({ queryKey: ['catalog'] });
  };
  const failureOf = (error: unknown, title: string) =>
    isStaleImport(error) ? (
      <StaleAlert what="this import" reloading={reload.isPending} onReload={reloadAfterStale} />
    ) : (
      <ErrorAlert error={error} title={title} />
    );
  const status = IMPORT_STATUS_STYLE[deviceImport.status];

  return (
    <Stack gap="lg">
      <Step
        id="import-mapping-title"
        title="2. Map columns"
        aside={
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconUpload size={14} aria-hidden />}
            onClick={onStartOver}
          >
            Upload another file
          </Button>
        }
      >
        <Group gap="sm">
          <Text fw={600} data-testid="import-file-name">
            {deviceImport.fileName}
          </Text>
          <Text size="sm" c="dimmed">
            {deviceImport.format.toUpperCase()} · {formatSize(deviceImport.size)}
          </Text>
          <Badge
            color={status.color}
            variant="light"
            data-testid="import-status"
            data-import-status={deviceImport.status}
          >
            {status.label}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Each column of the file was matched to a field by its name. Change what a column is imported as
          where the match is wrong; columns set to "Ignore" are left out.
        </Text>
        <ImportMappingTable
          deviceImport={deviceImport}
          fields={fields}
          disabled={!editable || check.isPending || run.isPending}
          onChange={change}
        />
        {editable && (
          <Group>
            <Button
              variant={deviceImport.status === 'checked' && !mappingChanged ? 'default' : 'filled'}
              leftSection={<IconRefresh size={16} aria-hidden />}
              loading={check.isPending}
              disabled={run.isPending}
              onClick={() => check.mutate()}
            >
              Check file
            </Button>
          </Group>
        )}
        {check.isError && failureOf(check.error, 'The file was not checked')}
      </Step>

      <Step id="import-check-title" title="3. Check">
        <CheckOutcome deviceImport={deviceImport} mappingChanged={mappingChanged} />
      </Step>

      <Step id="import-run-title" title="4. Import">
        {run.isError && failureOf(run.error, 'The import did not start')}
        <ImportRunPanel
          deviceImport={deviceImport}
          mappingChanged={mappingChanged}
          running={run.isPending}
          onRun={() => run.mutate()}
          onJobFinished={jobFinished}
        />
      </Step>
    </Stack>
  );
}

/** An uploaded import, read from the server (and kept up to date while it runs). */
export function ImportSession({ id, onStartOver }: { id: string; onStartOver(): void }) {
  const query = useQuery(importQuery(id));
  return (
    <QueryState query={query} label="the import">
      {(deviceImport) => <ImportSteps deviceImport={deviceImport} onStartOver={onStartOver} />}
    </QueryState>
  );
}
