import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { CreateDeviceRequest, Device, UpdateDeviceRequest } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { safeErrorMessage } from '../../api/client';
import {
  DEVICES_KEY,
  deviceFieldErrorsOf,
  deviceQuery,
  deviceWrites,
  isStaleDevice,
} from '../../api/devices';
import { useApiWrite } from '../../api/session';
import { QueryState } from '../../components/QueryState';
import { StaleAlert } from '../../components/StaleAlert';
import { type AssigneeChoice, assigneeInputOf } from './AssigneePicker';
import { DeviceFormFields, type DeviceFormLists } from './DeviceFormFields';
import {
  checkDeviceRequest,
  createRequestOf,
  type DeviceFormValues,
  deviceFormOf,
  emptyDeviceForm,
  type FieldErrors,
  updateRequestOf,
} from './deviceForm';
import { useDeviceLists } from './useDeviceLists';

export interface DeviceFormModalProps {
  opened: boolean;
  onClose(): void;
  /** "Edit all" of this device; left out, the form adds a new one. */
  device?: Device;
}

function DeviceForm({
  device,
  lists,
  onClose,
}: {
  device?: Device;
  lists: DeviceFormLists;
  onClose(): void;
}) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [values, setValues] = useState<DeviceFormValues>(() =>
    device ? deviceFormOf(device) : emptyDeviceForm(),
  );
  const [version, setVersion] = useState(device?.version ?? 0);
  const [assignee, setAssignee] = useState<AssigneeChoice | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [reloading, setReloading] = useState(false);
  const attributes = lists.categories.find((c) => c.id === values.categoryId)?.attributes ?? [];
  const context = { attributes, barcodeTyped: lists.barcodeMode === 'asset_id', invoice: lists.invoice };

  const save = useMutation({
    mutationFn: (body: CreateDeviceRequest | UpdateDeviceRequest) =>
      device
        ? deviceWrites(api).update(device.id, body as UpdateDeviceRequest)
        : deviceWrites(api).create(body as CreateDeviceRequest),
    onSuccess: async (saved) => {
      queryClient.setQueryData(deviceQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({
        queryKey: DEVICES_KEY,
        predicate: (q) => q.queryKey[1] !== 'detail',
      });
      onClose();
      if (!device) await navigate({ to: '/devices/$id', params: { id: saved.id } });
    },
    onError: (error) => setErrors(deviceFieldErrorsOf(error)),
  });

  const change = (patch: Partial<DeviceFormValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key];
      return next;
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = assignee ? assigneeInputOf(assignee) : null;
    const body = device
      ? updateRequestOf(values, context, version)
      : { ...createRequestOf(values, context), ...(chosen ? { assignee: chosen } : {}) };
    const found = checkDeviceRequest(body, attributes);
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate(body);
  };

  // DEV-6: Reload puts the current device in the form; nothing of the refused edit is kept.
  const reload = async () => {
    if (!device) return;
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({ ...deviceQuery(device.id), staleTime: 0 });
      setValues(deviceFormOf(fresh));
      setVersion(fresh.version);
      setErrors({});
      save.reset();
    } catch {
      // The alert stays; the page shows why the device cannot be read.
    } finally {
      setReloading(false);
    }
  };

  const stale = save.isError && isStaleDevice(save.error);
  const fieldProblem = Object.keys(errors).length > 0;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {stale && <StaleAlert what="this device" onReload={() => void reload()} reloading={reloading} />}
        {save.isError && !stale && !fieldProblem && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {safeErrorMessage(save.error)}
          </Alert>
        )}
        {!stale && fieldProblem && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            Check the marked fields.
          </Alert>
        )}
        <DeviceFormFields
          values={values}
          onChange={change}
          errors={errors}
          lists={lists}
          assignment={device ? undefined : { value: assignee, onChange: setAssignee }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale}>
            {device ? 'Save changes' : 'Add device'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** DEV-1: add a device, or "Edit all" fields of one; full screen on a phone. */
export function DeviceFormModal({ opened, onClose, device }: DeviceFormModalProps) {
  const phone = useMediaQuery('(max-width: 48em)');
  const lists = useDeviceLists();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={device ? 'Edit device' : 'Add device'}
      size="xl"
      fullScreen={phone}
      closeOnClickOutside={false}
    >
      <QueryState query={lists} label="the device form">
        {(data) => <DeviceForm device={device} lists={data} onClose={onClose} />}
      </QueryState>
    </Modal>
  );
}
