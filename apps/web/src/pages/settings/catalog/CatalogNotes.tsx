import { Alert, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';

/** For Viewers: the list is theirs to read, not to change. */
export function ReadOnlyNote({ what }: { what: string }) {
  return (
    <Text size="sm" c="dimmed">
      You can read {what}; Administrators and Operators change them.
    </Text>
  );
}

/** Reload found the entry gone: someone else deleted it while a dialog had it open. */
export function RemovedNotice({ noun, name, onDismiss }: { noun: string; name: string; onDismiss(): void }) {
  return (
    <Alert
      color="blue"
      variant="light"
      role="status"
      icon={<IconInfoCircle size={18} aria-hidden />}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
    >
      Someone else deleted the {noun} {name}; the list shows the current state.
    </Alert>
  );
}
