import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';

interface StaleAlertProps {
  /** What was being changed, as the sentence names it: "the place", "this device". */
  what: string;
  onReload(): void;
  reloading: boolean;
}

/** DEV-6: a change based on an old version was refused; Reload shows the current one (nothing overwritten). */
export function StaleAlert({ what, onReload, reloading }: StaleAlertProps) {
  return (
    <Alert
      color="orange"
      variant="light"
      role="alert"
      title="Modified by someone else"
      icon={<IconAlertTriangle size={18} aria-hidden />}
    >
      <Stack gap="xs">
        <Text size="sm">
          Someone else changed {what} after you opened it, so nothing was saved. Reload to see the current
          version, then make your change again if it is still needed.
        </Text>
        <Group>
          <Button
            size="xs"
            variant="light"
            color="orange"
            leftSection={<IconRefresh size={14} aria-hidden />}
            loading={reloading}
            onClick={onReload}
          >
            Reload
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
