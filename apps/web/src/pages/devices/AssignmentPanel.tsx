import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AssigneeInput, Device } from '@thestorage/contracts';
import { useState } from 'react';
import { safeErrorMessage } from '../../api/client';
import { deviceQuery, deviceWrites, isStaleDevice } from '../../api/devices';
import { useApiWrite } from '../../api/session';
import { type AssigneeChoice, AssigneePicker, assigneeInputOf, choiceKey } from './AssigneePicker';
import { AssigneeText } from './AssigneeText';
import { type DeviceEditor, deviceWritten } from './useDeviceEditor';

export interface AssignmentPanelProps {
  device: Device;
  editor: DeviceEditor;
  mayEdit: boolean;
}

function currentKey(device: Device): string {
  const { assignee } = device;
  if (assignee.kind === 'employee') return `employee:${assignee.reference}`;
  if (assignee.kind === 'place') return `place:${assignee.placeId}`;
  return assignee.kind;
}

/**
 * DEV-4: who or where holds the device, and the assign picker. Assigning to an employee or a place sets
 * In-use; Back to IT sets Used (or keeps New for a device that was never handed out).
 */
export function AssignmentPanel({ device, editor, mayEdit }: AssignmentPanelProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState<AssigneeChoice | null>(null);

  const assign = useMutation({
    mutationFn: (assignee: AssigneeInput) => {
      // The version the page holds now: an inline save just before may have moved it on.
      const version = queryClient.getQueryData(deviceQuery(device.id).queryKey)?.version ?? device.version;
      return deviceWrites(api).assign(device.id, assignee, version);
    },
    onSuccess: async (saved) => {
      setChoice(null);
      await deviceWritten(queryClient, saved);
    },
    onError: (error) => {
      if (isStaleDevice(error)) editor.markStale();
    },
  });

  const chosen = choice ? assigneeInputOf(choice) : null;
  const locked = editor.stale || assign.isPending;
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-assignment">
      <Stack gap="sm">
        <Title order={2} fz="md" id="device-assignment">
          Assignment
        </Title>
        <div data-testid="current-assignee">
          <AssigneeText assignee={device.assignee} />
        </div>
        {assign.isError && !isStaleDevice(assign.error) && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {safeErrorMessage(assign.error)}
          </Alert>
        )}
        {mayEdit && (
          <>
            <AssigneePicker
              label="Assign to"
              description="Employees after 3 characters, places by name, or IT."
              value={choice}
              onChange={(next) => {
                setChoice(next);
                assign.reset();
              }}
              exclude={currentKey(device)}
              disabled={locked}
            />
            <Group gap="xs">
              <Button
                size="sm"
                leftSection={<IconUserPlus size={16} aria-hidden />}
                disabled={!chosen || editor.stale}
                loading={assign.isPending && assign.variables !== undefined && assign.variables.kind !== 'it'}
                onClick={() => chosen && assign.mutate(chosen)}
              >
                Assign
              </Button>
              {device.assignee.kind !== 'it' && (
                <Button
                  size="sm"
                  variant="default"
                  leftSection={<IconArrowBackUp size={16} aria-hidden />}
                  disabled={editor.stale}
                  loading={assign.isPending && assign.variables?.kind === 'it'}
                  onClick={() => assign.mutate({ kind: 'it' })}
                >
                  Back to IT
                </Button>
              )}
            </Group>
            {choice && choiceKey(choice) !== currentKey(device) && (
              <Text size="xs" c="dimmed">
                {choice.kind === 'it'
                  ? 'Back to IT sets the status to Used (a device never handed out stays New).'
                  : 'Assigning sets the status to In-use.'}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
