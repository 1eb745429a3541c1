import { Alert, Button, Checkbox, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { useState } from 'react';
import { fieldErrorsOf, safeErrorMessage } from '../../api/client';
import {
  countsDevices,
  DEVICES_KEY,
  deviceQuery,
  deviceWrites,
  isStaleDevice,
  moveTargetsOf,
} from '../../api/devices';
import { useApiWrite } from '../../api/session';
import { useSignedIn } from '../../auth/signedIn';
import { StaleAlert } from '../../components/StaleAlert';
import { deviceTitle } from './deviceFormat';
import type { DeviceEditor } from './useDeviceEditor';

export interface MoveDeviceModalProps {
  device: Device;
  editor: DeviceEditor;
  opened: boolean;
  onClose(): void;
}

/**
 * DEV-7: move the device to another tenant of the organization where the signed-in person is an
 * Administrator. An employee keeps the device; a place assignment falls back to IT there; the barcode is
 * kept only when asked. Asks once more before moving.
 */
export function MoveDeviceModal({ device, editor, opened, onClose }: MoveDeviceModalProps) {
  const me = useSignedIn();
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const targets = moveTargetsOf(me);
  const [tenantId, setTenantId] = useState(targets[0]?.id ?? '');
  const [keepBarcode, setKeepBarcode] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const target = targets.find((t) => t.id === tenantId);

  const move = useMutation({
    mutationFn: () => {
      const version = queryClient.getQueryData(deviceQuery(device.id).queryKey)?.version ?? device.version;
      return deviceWrites(api).move(device.id, { tenantId, keepBarcode, version });
    },
    onSuccess: async () => {
      // The device now lives in the other tenant: this tenant's lists no longer hold it.
      await queryClient.invalidateQueries({
        queryKey: DEVICES_KEY,
        predicate: countsDevices,
      });
    },
    onError: (error) => {
      if (isStaleDevice(error)) editor.markStale();
    },
  });

  const close = () => {
    if (move.isSuccess) {
      queryClient.removeQueries({ queryKey: deviceQuery(device.id).queryKey });
      void navigate({ to: '/devices' });
    }
    setConfirming(false);
    move.reset();
    onClose();
  };

  const stale = move.isError && isStaleDevice(move.error);
  const reload = async () => {
    await editor.reload();
    move.reset();
    setConfirming(false);
  };

  return (
    <Modal opened={opened} onClose={close} title="Move to another tenant">
      {move.isSuccess ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" role="status" icon={<IconCircleCheck size={18} aria-hidden />}>
            {deviceTitle(device)} was moved to {target?.name}. It is no longer in this tenant.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Back to devices</Button>
          </Group>
        </Stack>
      ) : targets.length === 0 ? (
        <Stack gap="md">
          <Text size="sm">
            There is no other tenant of {me.activeTenant?.organizationName} where you are an Administrator. A
            device moves only between tenants you administer.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          {stale && (
            <StaleAlert what="this device" onReload={() => void reload()} reloading={editor.reloading} />
          )}
          {move.isError && !stale && (
            <Alert
              color="red"
              variant="light"
              role="alert"
              icon={<IconAlertTriangle size={18} aria-hidden />}
            >
              {fieldErrorsOf(move.error).tenantId ?? safeErrorMessage(move.error)}
            </Alert>
          )}
          <NativeSelect
            label="Move to"
            data={targets.map((t) => ({ value: t.id, label: t.name }))}
            value={tenantId}
            disabled={confirming}
            onChange={(event) => setTenantId(event.currentTarget.value)}
          />
          <Checkbox
            label="Keep the barcode"
            description="Otherwise the other tenant's barcode scheme applies."
            checked={keepBarcode}
            disabled={confirming}
            onChange={(event) => setKeepBarcode(event.currentTarget.checked)}
          />
          <Text size="sm" c="dimmed">
            An employee keeps the device; a device at a place goes to IT in the other tenant. Category, tags
            and vendor follow where the other tenant has them by name. Both histories record Changed tenant.
          </Text>
          {confirming ? (
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                Move {deviceTitle(device)} to {target?.name}?
              </Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)} disabled={move.isPending}>
                  Back
                </Button>
                <Button
                  color="violet"
                  loading={move.isPending}
                  disabled={stale}
                  onClick={() => move.mutate()}
                >
                  Move device
                </Button>
              </Group>
            </Stack>
          ) : (
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button color="violet" disabled={!target} onClick={() => setConfirming(true)}>
                Continue
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}
