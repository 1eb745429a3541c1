import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';

export function Brand() {
  return (
    <Group gap="xs" wrap="nowrap">
      <ThemeIcon size={30} radius="md" variant="filled" aria-hidden>
        <IconStack2 size={18} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} size="lg" style={{ letterSpacing: '-0.01em' }}>
        TheStorage
      </Text>
    </Group>
  );
}
