import { Box, Text } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { DEVICE_STATUS_STYLE, DEVICE_STATUSES, type DeviceDashboard } from '@thestorage/contracts';
import { StatusBadge } from '../devices/StatusBadge';
import { DashboardCard } from './DashboardCard';
import { DeviceListLink } from './DeviceListLink';
import { ALL_DEVICES, devicesCount, statusFill, statusSearch } from './deviceDashboardLinks';

/**
 * DASH-1: a bar per status in the status colours (DEV-3). The bars are decoration: each row says its
 * status and count in words, and the count opens the list of those devices.
 */
export function DevicesByStatusCard({ dashboard }: { dashboard: DeviceDashboard }) {
  const largest = Math.max(1, ...DEVICE_STATUSES.map((status) => dashboard.byStatus[status]));
  return (
    <DashboardCard
      id="dashboard-by-status"
      title="Devices by status"
      icon={IconChartBar}
      aside={
        <DeviceListLink search={ALL_DEVICES} size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
          {devicesCount(dashboard.total)}
        </DeviceListLink>
      }
    >
      <Box component="ul" p={0} m={0} aria-label="Devices by status" style={{ listStyle: 'none' }}>
        {DEVICE_STATUSES.map((status) => {
          const { label, color } = DEVICE_STATUS_STYLE[status];
          const count = dashboard.byStatus[status];
          return (
            <Box
              component="li"
              key={status}
              data-status={status}
              py={5}
              style={{
                display: 'grid',
                gridTemplateColumns: '6.5rem 1fr 3.5rem',
                alignItems: 'center',
                gap: 'var(--mantine-spacing-sm)',
              }}
            >
              <Box>
                <StatusBadge status={status} />
              </Box>
              <Box
                aria-hidden
                h={12}
                style={{
                  borderRadius: 6,
                  background: 'var(--mantine-color-default-hover)',
                  overflow: 'hidden',
                }}
              >
                <Box
                  data-testid={`status-bar-${status}`}
                  h="100%"
                  style={{
                    width: `${(count / largest) * 100}%`,
                    minWidth: count > 0 ? 3 : 0,
                    borderRadius: 6,
                    background: statusFill(color),
                  }}
                />
              </Box>
              <Text ta="right" size="sm" fw={600}>
                <DeviceListLink search={statusSearch(status)} aria-label={`${label}: ${devicesCount(count)}`}>
                  {count.toLocaleString('en')}
                </DeviceListLink>
              </Text>
            </Box>
          );
        })}
      </Box>
    </DashboardCard>
  );
}
