import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Device } from '@thestorage/contracts';
import { type DeviceFileKind, useDeviceFileWrites } from '../../api/deviceFiles';
import { deviceQuery, isStaleDevice } from '../../api/devices';
import { type DeviceEditor, deviceWritten } from './useDeviceEditor';

/** One change of a device's files (DEV-1). */
export type DeviceFileAction =
  | { action: 'upload'; kind: DeviceFileKind; file: File }
  | { action: 'remove'; kind: DeviceFileKind }
  | { action: 'restore' };

/**
 * Uploads, removes or restores a device file with the version the page holds now (DEV-6); the answer is
 * the device as it is after the change. A stale version locks the page until Reload, like any edit.
 */
export function useDeviceFileAction(device: Device, editor: DeviceEditor) {
  const queryClient = useQueryClient();
  const writes = useDeviceFileWrites();
  const versionNow = () =>
    queryClient.getQueryData(deviceQuery(device.id).queryKey)?.version ?? device.version;

  return useMutation({
    mutationFn: (change: DeviceFileAction) => {
      const version = versionNow();
      if (change.action === 'upload') return writes.upload(device.id, change.kind, version, change.file);
      if (change.action === 'remove') return writes.remove(device.id, change.kind, version);
      return writes.restoreInvoice(device.id, version);
    },
    onSuccess: (saved) => deviceWritten(queryClient, saved),
    onError: (error) => {
      if (isStaleDevice(error)) editor.markStale();
    },
  });
}
