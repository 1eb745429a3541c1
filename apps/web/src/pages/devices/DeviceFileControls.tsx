import { Alert, Button, FileButton } from '@mantine/core';
import { IconAlertTriangle, IconTrash, IconUpload } from '@tabler/icons-react';
import type { Device } from '@thestorage/contracts';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { safeErrorMessage } from '../../api/client';
import { DEVICE_FILE_RULES, type DeviceFileKind, uploadProblem } from '../../api/deviceFiles';
import { isStaleDevice } from '../../api/devices';
import type { ConfirmFileRemovalProps } from './ConfirmFileRemoval';
import type { DeviceEditor } from './useDeviceEditor';
import { useDeviceFileAction } from './useDeviceFileAction';

/**
 * DEV-1: what the invoice PDF and the image share — a chosen file checked before it is sent, a removal
 * asked for first, the page locked while a change runs (or once the device is stale), and the one failure
 * to show (the refused choice, or the server's answer; a stale device is shown by the page instead).
 */
export function useDeviceFileControls(device: Device, editor: DeviceEditor, kind: DeviceFileKind) {
  const change = useDeviceFileAction(device, editor);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const upload = (chosen: File | null) => {
    if (!chosen) return;
    const refused = uploadProblem(kind, chosen);
    setProblem(refused);
    if (!refused) change.mutate({ action: 'upload', kind, file: chosen });
  };
  const removal: Pick<ConfirmFileRemovalProps, 'opened' | 'onCancel' | 'onConfirm'> = {
    opened: confirming,
    onCancel: () => setConfirming(false),
    onConfirm: () => {
      setConfirming(false);
      setProblem(null);
      change.mutate({ action: 'remove', kind });
    },
  };

  return {
    kind,
    change,
    locked: editor.stale || change.isPending,
    failure:
      problem ?? (change.isError && !isStaleDevice(change.error) ? safeErrorMessage(change.error) : null),
    upload,
    askRemoval: () => setConfirming(true),
    /** For ConfirmFileRemoval: open while asking; confirming removes the file. */
    removal,
  };
}

export type DeviceFileControls = ReturnType<typeof useDeviceFileControls>;

/** Upload (or Replace) and, while there is a file, Remove — for someone who may edit the device. */
export function UploadRemoveButtons({
  controls,
  present,
  noun,
}: {
  controls: DeviceFileControls;
  /** Whether the device has this file now. */
  present: boolean;
  /** "PDF", "image": the buttons read "Upload PDF", "Replace image", "Remove PDF". */
  noun: string;
}) {
  const { change, locked } = controls;
  return (
    <>
      <FileButton onChange={controls.upload} accept={DEVICE_FILE_RULES[controls.kind].types.join(',')}>
        {(props) => (
          <Button
            {...props}
            variant="default"
            size="sm"
            leftSection={<IconUpload size={16} aria-hidden />}
            loading={change.isPending && change.variables?.action === 'upload'}
            disabled={locked}
          >
            {present ? `Replace ${noun}` : `Upload ${noun}`}
          </Button>
        )}
      </FileButton>
      {present && (
        <Button
          variant="subtle"
          color="red"
          size="sm"
          leftSection={<IconTrash size={16} aria-hidden />}
          disabled={locked}
          onClick={controls.askRemoval}
        >
          {`Remove ${noun}`}
        </Button>
      )}
    </>
  );
}

/** A device file's failure (upload, removal, restore or download), in red. */
export function FileFailureAlert({ children }: { children: ReactNode }) {
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
      {children}
    </Alert>
  );
}
