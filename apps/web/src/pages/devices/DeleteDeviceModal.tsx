import { Alert, Button, Divider, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import {
  DELETE_ALTERNATIVE_STATUSES,
  DEVICE_STATUS_STYLE,
  type Device,
  type DeviceStatus,
} from '@thestorage/contracts';
import { safeErrorMessage } from '../../api/client';
import {
  countsDevices,
  DEVICES_KEY,
  deviceQuery,
  deviceWrites,
  isDeviceGone,
  isStaleDevice,
} from '../../api/devices';
import { useApiWrite } from '../../api/session';
import { StaleAlert } from '../../components/StaleAlert';
import { deviceTitle } from './deviceFormat';
import { type DeviceEditor, deviceWritten } from './useDeviceEditor';

export interface DeleteDeviceModalProps {
  device: Device;
  editor: DeviceEditor;
  opened: boolean;
  onClose(): void;
}

/**
 * DEV-8: deleting is for good, so the dialog names the device and first offers a status instead
 * (In-Service, Damaged, Charity, Discarded, EOL), one click each.
 */
export function DeleteDeviceModal({ device, editor, opened, onClose }: DeleteDeviceModalProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const versionNow = () =>
    queryClient.getQueryData(deviceQuery(device.id).queryKey)?.version ?? device.version;

  const setStatus = useMutation({
    mutationFn: (status: DeviceStatus) =>
      deviceWrites(api).update(device.id, { status, version: versionNow() }),
    onSuccess: async (saved) => {
      await deviceWritten(queryClient, saved);
      onClose();
    },
    onError: (error) => {
      if (isStaleDevice(error)) editor.markStale();
    },
  });

  const remove = useMutation({
    mutationFn: async () => {
      try {
        await deviceWrites(api).remove(device.id, versionNow());
      } catch (error) {
        // Someone else deleted it first: it is gone either way.
        if (!isDeviceGone(error)) throw error;
      }
    },
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: deviceQuery(device.id).queryKey });
      await queryClient.invalidateQueries({
        queryKey: DEVICES_KEY,
        predicate: countsDevices,
      });
      onClose();
      await navigate({ to: '/devices' });
    },
    onError: (error) => {
      if (isStaleDevice(error)) editor.markStale();
    },
  });

  const failure = remove.error ?? setStatus.error;
  const stale = failure !== null && isStaleDevice(failure);
  const busy = remove.isPending || setStatus.isPending;
  const close = () => {
    remove.reset();
    setStatus.reset();
    onClose();
  };
  const reload = async () => {
    await editor.reload();
    remove.reset();
    setStatus.reset();
  };

  return (
    <Modal opened={opened} onClose={close} title="Delete device">
      <Stack gap="md">
        <Title order={3} fz="md">
          Delete {deviceTitle(device)}?
        </Title>
        <Text size="sm">
          Deleting cannot be undone: the device, its comments and its history on this page are removed. The
          tenant's audit log keeps a Deleted event.
        </Text>
        {stale && (
          <StaleAlert what="this device" onReload={() => void reload()} reloading={editor.reloading} />
        )}
        {failure !== null && !stale && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {safeErrorMessage(failure)}
          </Alert>
        )}
        <Divider label="Or keep it with a status" labelPosition="left" />
        <Text size="sm" c="dimmed">
          A status keeps the device and its history, and says what happened to it.
        </Text>
        <Group gap="xs" role="group" aria-label="Set a status instead">
          {DELETE_ALTERNATIVE_STATUSES.map((status) => (
            <Button
              key={status}
              size="xs"
              variant="light"
              color={DEVICE_STATUS_STYLE[status].color}
              disabled={device.status === status || stale || (busy && setStatus.variables !== status)}
              loading={setStatus.isPending && setStatus.variables === status}
              onClick={() => setStatus.mutate(status)}
            >
              Set to {DEVICE_STATUS_STYLE[status].label}
            </Button>
          ))}
        </Group>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            color="red"
            leftSection={<IconTrash size={16} aria-hidden />}
            loading={remove.isPending}
            disabled={stale || setStatus.isPending}
            onClick={() => remove.mutate()}
          >
            Delete for good
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
