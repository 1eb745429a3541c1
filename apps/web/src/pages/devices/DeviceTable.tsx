import { Anchor, Group, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { Device } from '@thestorage/contracts';
import { AssigneeText } from './AssigneeText';
import { deviceNumber, formatMoment } from './deviceFormat';
import { StatusBadge } from './StatusBadge';
import { WarrantyShield } from './WarrantyShield';

/** DEV-9 list view: a row per device; on a phone the table scrolls sideways instead of squeezing. */
export function DeviceTable({ devices }: { devices: readonly Device[] }) {
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Devices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Number</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Category</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Assigned to</Table.Th>
            <Table.Th>Barcode</Table.Th>
            <Table.Th>Warranty</Table.Th>
            <Table.Th>Modified</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((device) => (
            <Table.Tr key={device.id}>
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
