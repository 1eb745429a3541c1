import { Anchor, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { AssigneeText } from './AssigneeText';
import { ConvertedPrice } from './ConvertedPrice';
import { SelectDeviceCheckbox } from './DeviceCards';
import { deviceNumber, formatMoment, formatPrice } from './deviceFormat';
import { StatusBadge } from './StatusBadge';
import type { SelectableDevices } from './useDeviceSelection';
import { WarrantyShield } from './WarrantyShield';

/**
 * DEV-9 list view: a row per device; on a phone the table scrolls sideways instead of squeezing. With a
 * selection (DEV-10) the first column holds each row's checkbox.
 */
export function DeviceTable({
  devices,
  selection,
}: {
  devices: readonly Device[];
  selection?: SelectableDevices;
}) {
  return (
    <Table.ScrollContainer minWidth={selection ? 1150 : 1100}>
      <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Devices">
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={44}>
                <VisuallyHidden>Selected</VisuallyHidden>
              </Table.Th>
            )}
            <Table.Th>Number</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Category</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Assigned to</Table.Th>
            <Table.Th>Barcode</Table.Th>
            <Table.Th ta="right">Price</Table.Th>
            <Table.Th>Warranty</Table.Th>
            <Table.Th>Modified</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((device) => (
            <Table.Tr key={device.id}>
              {selection && (
                <Table.Td>
                  <SelectDeviceCheckbox device={device} selection={selection} />
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {deviceNumber(device.number)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Anchor
                    renderRoot={(props) => <Link {...props} to="/devices/$id" params={{ id: device.id }} />}
                    size="sm"
                    fw={500}
                    td={device.status === 'discarded' ? 'line-through' : undefined}
                  >
                    {device.displayName}
                  </Anchor>
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{device.category?.name ?? '—'}</Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <StatusBadge status={device.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <AssigneeText assignee={device.assignee} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm" ff="monospace">
                  {device.barcode ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{formatPrice(device.price, device.currency)}</Text>
                <ConvertedPrice device={device} />
              </Table.Td>
              <Table.Td>
                <WarrantyShield device={device} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm" c="dimmed">
                  {formatMoment(device.updatedAt)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
