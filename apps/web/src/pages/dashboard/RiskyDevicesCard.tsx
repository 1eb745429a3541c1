import { Paper, SimpleGrid, Text } from '@mantine/core';
import { IconAlertOctagon } from '@tabler/icons-react';
import { DEVICE_STATUS_STYLE, type DeviceDashboard } from '@thestorage/contracts';
import { DashboardCard } from './DashboardCard';
import { DeviceListLink } from './DeviceListLink';
import {
  devicesCount,
  RISKY_DEVICES,
  RISKY_STATUSES,
  statusFill,
  statusSearch,
} from './deviceDashboardLinks';

/** DASH-1: Missing, Damaged and EOL devices, each count opening the list of them, and all three together. */
export function RiskyDevicesCard({ risky }: { risky: DeviceDashboard['risky'] }) {
  const all = RISKY_STATUSES.reduce((sum, status) => sum + risky[status], 0);
  return (
    <DashboardCard
      id="dashboard-risky"
      title="Risky devices"
      icon={IconAlertOctagon}
      color="red"
      aside={
        <DeviceListLink
          search={RISKY_DEVICES}
          size="sm"
          fw={500}
          style={{ whiteSpace: 'nowrap' }}
          aria-label={`All risky devices: ${devicesCount(all)}`}
        >
          {all.toLocaleString('en')} in all
        </DeviceListLink>
      }
    >
      <SimpleGrid cols={3} spacing="sm">
        {RISKY_STATUSES.map((status) => {
          const { label, color } = DEVICE_STATUS_STYLE[status];
          return (
            <Paper
              key={status}
              withBorder
              radius="md"
              p="sm"
              data-status={status}
              style={{ borderTop: `4px solid ${statusFill(color)}` }}
            >
              <DeviceListLink
                search={statusSearch(status)}
                fz={26}
                fw={700}
                aria-label={`${label}: ${devicesCount(risky[status])}`}
              >
                {risky[status].toLocaleString('en')}
              </DeviceListLink>
              <Text size="sm" c="dimmed">
                {label}
              </Text>
            </Paper>
          );
        })}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="sm">
        Each needs a decision: find it, repair it or retire it.
      </Text>
    </DashboardCard>
  );
}
