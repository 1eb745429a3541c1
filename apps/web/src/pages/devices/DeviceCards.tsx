import { Anchor, Badge, Card, Checkbox, Group, Image, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { AssigneeText } from './AssigneeText';
import { deviceNumber, deviceTitle } from './deviceFormat';
import { StatusBadge } from './StatusBadge';
import type { SelectableDevices } from './useDeviceSelection';
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

/** A device's checkbox in selection mode (DEV-10), named after the device for screen readers. */
export function SelectDeviceCheckbox({
  device,
  selection,
}: {
  device: Device;
  selection: SelectableDevices;
}) {
  return (
    <Checkbox
      aria-label={`Select ${deviceTitle(device)}`}
      checked={selection.isSelected(device.id)}
      onChange={() => selection.toggle(device.id)}
    />
  );
}

/**
 * DEV-9 card view: one card per device with its image (DEV-1), number, status, holder, warranty and tags; with a
 * selection (DEV-10) each card has a checkbox.
 */
export function DeviceCards({
  devices,
  selection,
}: {
  devices: readonly Device[];
  selection?: SelectableDevices;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="md" component="ul" p={0} m={0} aria-label="Devices">
      {devices.map((device) => (
        <Card
          key={device.id}
          withBorder
          radius="lg"
          padding="md"
          component="li"
          style={{
            listStyle: 'none',
            borderColor: selection?.isSelected(device.id) ? 'var(--mantine-primary-color-filled)' : undefined,
          }}
        >
          {device.image && (
            <Card.Section mb="sm">
              {/* The name follows as a link: the image itself adds nothing for screen readers. */}
              <Image
                src={device.image.url}
                alt=""
                h={140}
                fit="cover"
                loading="lazy"
                data-testid="device-tile-image"
              />
            </Card.Section>
          )}
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
              {selection && <SelectDeviceCheckbox device={device} selection={selection} />}
              <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
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
