import { Card, Group, Image, Stack, Text, Title } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import type { Device } from '@thestorage/contracts';
import { ConfirmFileRemoval } from './ConfirmFileRemoval';
import { FileFailureAlert, UploadRemoveButtons, useDeviceFileControls } from './DeviceFileControls';
import type { DeviceEditor } from './useDeviceEditor';

export interface DeviceImageCardProps {
  device: Device;
  editor: DeviceEditor;
  mayEdit: boolean;
}

/** DEV-1: the device image (also shown on its tile in the card view): upload, replace, remove. */
export function DeviceImageCard({ device, editor, mayEdit }: DeviceImageCardProps) {
  const files = useDeviceFileControls(device, editor, 'image');
  if (!device.image && !mayEdit) return null;

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
            <UploadRemoveButtons controls={files} present={Boolean(device.image)} noun="image" />
          </Group>
        )}
        {files.failure && <FileFailureAlert>{files.failure}</FileFailureAlert>}
      </Stack>
      <ConfirmFileRemoval
        {...files.removal}
        title="Remove the image?"
        body={`The image of ${device.displayName} is removed from the device.`}
        confirmLabel="Remove image"
      />
    </Card>
  );
}
