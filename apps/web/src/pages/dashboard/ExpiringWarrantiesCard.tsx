import { Anchor, Group, Stack, Text } from '@mantine/core';
import { IconShieldHalf } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { DeviceDashboard } from '@thestorage/contracts';
import { deviceNumber, formatDay } from '../devices/deviceFormat';
import { DashboardCard } from './DashboardCard';
import { DeviceListLink } from './DeviceListLink';
import { devicesCount, WARRANTY_EXPIRING } from './deviceDashboardLinks';

/** DASH-1: how many warranties end within 90 days, and the five that end first. */
export function ExpiringWarrantiesCard({
  warranties,
}: {
  warranties: DeviceDashboard['warrantiesExpiring'];
}) {
  const { count, soonest } = warranties;
  return (
    <DashboardCard
      id="dashboard-warranties"
      title="Warranties ending within 90 days"
      icon={IconShieldHalf}
      color="orange"
    >
      <Stack gap="sm">
        <Group gap="xs" align="baseline">
          <DeviceListLink
            search={WARRANTY_EXPIRING}
            fz={26}
            fw={700}
            aria-label={`Warranties ending within 90 days: ${devicesCount(count)}`}
          >
            {count.toLocaleString('en')}
          </DeviceListLink>
          <Text size="sm" c="dimmed">
            {count === 1 ? 'device' : 'devices'}
          </Text>
        </Group>
        {soonest.length === 0 ? (
          <Text size="sm" c="dimmed">
            No warranty ends within the next 90 days.
          </Text>
        ) : (
          <Stack gap={6} maw={640}>
            <Text size="xs" fw={600} tt="uppercase" c="dimmed" id="dashboard-warranties-soonest">
              Ending first
            </Text>
            <Stack
              component="ol"
              gap={6}
              p={0}
              m={0}
              aria-labelledby="dashboard-warranties-soonest"
              style={{ listStyle: 'none' }}
            >
              {soonest.map((device) => (
                <Group component="li" key={device.id} justify="space-between" gap="sm" wrap="nowrap">
                  <Anchor
                    renderRoot={(root) => <Link {...root} to="/devices/$id" params={{ id: device.id }} />}
                    size="sm"
                    truncate
                  >
                    <Text span ff="monospace" size="sm" c="dimmed" mr={6}>
                      {deviceNumber(device.number)}
                    </Text>
                    {device.name}
                  </Anchor>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDay(device.warrantyEnd)}
                  </Text>
                </Group>
              ))}
            </Stack>
            {count > soonest.length && (
              <DeviceListLink search={WARRANTY_EXPIRING} size="sm">
                Show all {count.toLocaleString('en')}
              </DeviceListLink>
            )}
          </Stack>
        )}
      </Stack>
    </DashboardCard>
  );
}
