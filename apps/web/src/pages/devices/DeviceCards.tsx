import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { AssigneeText } from './AssigneeText';
import { deviceNumber } from './deviceFormat';
import { StatusBadge } from './StatusBadge';
import { WarrantyShield } from './WarrantyShield';

export function TagBadges({ tags }: { tags: Device['tags'] }) {
  if (tags.length === 0) return null;
  return (
    <Group gap={4}>
      {tags.map((tag) => (
        <Badge key={tag.id} color={tag.color} variant="dot" size="sm">
          {tag.name}
        </Badge>
      ))}
    </Group>
  );
}

/** DEV-9 card view: one card per device with its number, status, holder, warranty and tags. */
export function DeviceCards({ devices }: { devices: readonly Device[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="md" component="ul" p={0} m={0} aria-label="Devices">
      {devices.map((device) => (
        <Card
          key={device.id}
          withBorder
          radius="lg"
          padding="md"
          component="li"
          style={{ listStyle: 'none' }}
        >
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed" ff="monospace">
                  {deviceNumber(device.number)}
                </Text>
                <Anchor
                  renderRoot={(props) => <Link {...props} to="/devices/$id" params={{ id: device.id }} />}
                  fw={600}
                  lineClamp={2}
                  td={device.status === 'discarded' ? 'line-through' : undefined}
                >
                  {device.displayName}
                </Anchor>
              </Stack>
              <Group gap={6} wrap="nowrap">
                <WarrantyShield device={device} />
                <StatusBadge status={device.status} />
              </Group>
            </Group>
            <Text size="sm" c="dimmed">
              {device.category?.name ?? 'No category'}
              {device.serial ? ` · ${device.serial}` : ''}
            </Text>
            <AssigneeText assignee={device.assignee} />
            <TagBadges tags={device.tags} />
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}
