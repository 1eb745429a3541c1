import { Button, Group, Modal, Stack, Text } from '@mantine/core';

export interface ConfirmFileRemovalProps {
  opened: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  onCancel(): void;
  onConfirm(): void;
}

/** Asks before a device file is removed (DEV-1). */
export function ConfirmFileRemoval({
  opened,
  title,
  body,
  confirmLabel,
  onCancel,
  onConfirm,
}: ConfirmFileRemovalProps) {
  return (
    <Modal opened={opened} onClose={onCancel} title={title} centered>
      <Stack gap="md">
        <Text size="sm">{body}</Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button color="red" onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
