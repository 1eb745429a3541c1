import { Alert, Button, Card, FileButton, Group, Image, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPhoto, IconTrash, IconUpload } from '@tabler/icons-react';
import type { Device } from '@thestorage/contracts';
import { useState } from 'react';
import { safeErrorMessage } from '../../api/client';
import { DEVICE_FILE_RULES, uploadProblem } from '../../api/deviceFiles';
import { isStaleDevice } from '../../api/devices';
import { ConfirmFileRemoval } from './ConfirmFileRemoval';
import type { DeviceEditor } from './useDeviceEditor';
import { useDeviceFileAction } from './useDeviceFileAction';

export interface DeviceImageCardProps {
  device: Device;
  editor: DeviceEditor;
  mayEdit: boolean;
}

/** DEV-1: the device image (also shown on its tile in the card view): upload, replace, remove. */
export function DeviceImageCard({ device, editor, mayEdit }: DeviceImageCardProps) {
  const change = useDeviceFileAction(device, editor);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  if (!device.image && !mayEdit) return null;
  const locked = editor.stale || change.isPending;

  const upload = (chosen: File | null) => {
    if (!chosen) return;
    const refused = uploadProblem('image', chosen);
    setProblem(refused);
    if (!refused) change.mutate({ action: 'upload', kind: 'image', file: chosen });
  };
  const failure =
    problem ?? (change.isError && !isStaleDevice(change.error) ? safeErrorMessage(change.error) : null);

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="device-image">
      <Stack gap="sm">
        <Title order={2} fz="md" id="device-image">
          Image
        </Title>
        {device.image ? (
          <Image
            src={device.image.url}
            alt={`Image of ${device.displayName}`}
            radius="md"
            fit="contain"
            mah={260}
            data-testid="device-image"
          />
        ) : (
          <Group gap="xs" c="dimmed">
            <IconPhoto size={18} aria-hidden />
            <Text size="sm">No image yet.</Text>
          </Group>
        )}
        {mayEdit && (
          <Group gap="xs">
            <FileButton onChange={upload} accept={DEVICE_FILE_RULES.image.types.join(',')}>
              {(props) => (
                <Button
                  {...props}
                  variant="default"
                  size="sm"
                  leftSection={<IconUpload size={16} aria-hidden />}
                  loading={change.isPending && change.variables?.action === 'upload'}
                  disabled={locked}
                >
                  {device.image ? 'Replace image' : 'Upload image'}
                </Button>
              )}
            </FileButton>
            {device.image && (
              <Button
                variant="subtle"
                color="red"
                size="sm"
                leftSection={<IconTrash size={16} aria-hidden />}
                disabled={locked}
                onClick={() => setConfirming(true)}
              >
                Remove image
              </Button>
            )}
          </Group>
        )}
        {failure && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
            {failure}
          </Alert>
        )}
      </Stack>
      <ConfirmFileRemoval
        opened={confirming}
        title="Remove the image?"
        body={`The image of ${device.displayName} is removed from the device.`}
        confirmLabel="Remove image"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          setProblem(null);
          change.mutate({ action: 'remove', kind: 'image' });
        }}
      />
    </Card>
  );
}
