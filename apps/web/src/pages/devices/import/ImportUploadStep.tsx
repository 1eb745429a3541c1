import { Button, Card, FileButton, Group, List, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  type DeviceImport,
  IMPORT_CONTENT_TYPES,
  IMPORT_FIELD_LABELS,
  MAX_IMPORT_BYTES,
} from '@thestorage/contracts';
import { type DragEvent, useState } from 'react';
import { ApiError } from '../../../api/client';
import {
  importContentTypeOf,
  importQuery,
  importTemplatePath,
  importWrites,
  recentImportsQuery,
} from '../../../api/imports';
import { useApiWrite } from '../../../api/session';
import { ErrorAlert } from '../../../components/ErrorAlert';

const ACCEPT = ['.csv', '.xlsx', ...Object.values(IMPORT_CONTENT_TYPES)].join(',');

/** The columns the explanation lists: every field but the two that are no device field. */
const LISTED_FIELDS = Object.entries(IMPORT_FIELD_LABELS).filter(
  ([field]) => field !== 'attribute' && field !== 'ignore',
);

/** A refusal made here, before anything is sent, in the same shape as the server's. */
function refused(message: string): ApiError {
  return new ApiError(400, 'validation_failed', message);
}

function TemplateLinks() {
  return (
    <Group gap="sm">
      <Button
        component="a"
        href={importTemplatePath('csv')}
        download
        variant="default"
        size="xs"
        leftSection={<IconDownload size={14} aria-hidden />}
      >
        Template (CSV)
      </Button>
      <Button
        component="a"
        href={importTemplatePath('xlsx')}
        download
        variant="default"
        size="xs"
        leftSection={<IconDownload size={14} aria-hidden />}
      >
        Template (XLSX)
      </Button>
    </Group>
  );
}

function HowItWorks() {
  return (
    <Stack gap="xs">
      <Title order={3} fz="sm">
        What the file holds
      </Title>
      <Text size="sm">
        One device per row, with the column names in the first row. The columns can come in any order and are
        matched to these fields by their names; you can change the matching in the next step:
      </Text>
      <Text size="sm" c="dimmed">
        {LISTED_FIELDS.map(([, label]) => label).join(' · ')}
      </Text>
      <List size="sm" spacing={4}>
        <List.Item>
          A column named after an attribute of the row's category (e.g. Screen) fills that attribute.
        </List.Item>
        <List.Item>
          <b>Rows with a known serial number update that device</b>; the others add new devices.
        </List.Item>
        <List.Item>
          "Assigned to" takes an employee's e-mail or user name, a place's name, or IT: a file of serial
          numbers and assignees assigns many devices at once.
        </List.Item>
        <List.Item>
          A check lists every problem row by row first. <b>Nothing changes unless every row is right.</b>
        </List.Item>
      </List>
    </Stack>
  );
}

/** DEV-12, step 1: pick or drop a CSV or XLSX file; it is uploaded at once and its columns matched. */
export function ImportUploadStep({ onUploaded }: { onUploaded(deviceImport: DeviceImport): void }) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [dragging, setDragging] = useState(false);
  const upload = useMutation({
    mutationFn: (file: File) => {
      const contentType = importContentTypeOf(file);
      if (!contentType) throw refused('Choose a CSV or XLSX file.');
      if (file.size === 0) throw refused('This file is empty.');
      if (file.size > MAX_IMPORT_BYTES) {
        throw refused(
          `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB. Split it into smaller files.`,
        );
      }
      return importWrites(api).upload(file, contentType);
    },
    onSuccess: (deviceImport) => {
      queryClient.setQueryData(importQuery(deviceImport.id).queryKey, deviceImport);
      void queryClient.invalidateQueries({ queryKey: recentImportsQuery.queryKey });
      onUploaded(deviceImport);
    },
  });

  const pick = (file: File | null | undefined) => {
    if (file) upload.mutate(file);
  };
  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files[0]);
  };

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="import-upload-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Title order={2} fz="lg" id="import-upload-title">
            1. Upload a file
          </Title>
          <TemplateLinks />
        </Group>
        <Card
          withBorder
          radius="md"
          padding="xl"
          data-testid="import-drop-zone"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
          style={{
            borderStyle: 'dashed',
            borderWidth: 2,
            borderColor: dragging ? 'var(--mantine-primary-color-filled)' : undefined,
            background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
          }}
        >
          <Stack align="center" gap="xs" ta="center">
            <IconUpload size={32} stroke={1.5} aria-hidden />
            <Text fw={500}>Drop a CSV or XLSX file here</Text>
            <FileButton onChange={pick} accept={ACCEPT} inputProps={{ 'aria-label': 'Import file' }}>
              {(props) => (
                <Button {...props} loading={upload.isPending}>
                  Choose file
                </Button>
              )}
            </FileButton>
            <Text size="xs" c="dimmed">
              Up to {MAX_IMPORT_BYTES / (1024 * 1024)} MB, for example 100,000 devices.
            </Text>
          </Stack>
        </Card>
        {upload.isError && <ErrorAlert error={upload.error} title="The file was not uploaded" />}
        <HowItWorks />
      </Stack>
    </Card>
  );
}
