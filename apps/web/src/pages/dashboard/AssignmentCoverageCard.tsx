import { Box, Group, RingProgress, Stack, Text } from '@mantine/core';
import { IconUserCheck } from '@tabler/icons-react';
import type { DeviceDashboard } from '@thestorage/contracts';
import { DashboardCard } from './DashboardCard';
import { DeviceListLink } from './DeviceListLink';
import { ALL_DEVICES, ASSIGNED, coveragePercent, devicesCount, WITH_IT } from './deviceDashboardLinks';

/** DASH-1: how many devices are with an employee or at a place, as a ring with the share in per cent. */
export function AssignmentCoverageCard({ coverage }: { coverage: DeviceDashboard['coverage'] }) {
  const percent = coveragePercent(coverage);
  const withIt = coverage.total - coverage.assigned;
  return (
    <DashboardCard id="dashboard-coverage" title="Assignment coverage" icon={IconUserCheck} color="blue">
      <Group gap="lg" wrap="nowrap" align="center">
        <Box
          role="img"
          aria-label={`${percent ?? 0}% of devices are assigned`}
          data-testid="coverage-ring"
          style={{ flexShrink: 0 }}
        >
          <RingProgress
            size={112}
            thickness={12}
            roundCaps
            sections={[{ value: percent ?? 0, color: 'blue' }]}
            label={
              <Text ta="center" fw={700} fz="lg">
                {percent === null ? '—' : `${percent}%`}
              </Text>
            }
          />
        </Box>
        <Stack gap={6}>
          <Text size="sm">
            <DeviceListLink
              search={ASSIGNED}
              fw={700}
              aria-label={`With an employee or at a place: ${devicesCount(coverage.assigned)}`}
            >
              {coverage.assigned.toLocaleString('en')}
            </DeviceListLink>{' '}
            of{' '}
            <DeviceListLink search={ALL_DEVICES} fw={700}>
              {devicesCount(coverage.total)}
            </DeviceListLink>{' '}
            are with an employee or at a place.
          </Text>
          <Text size="sm">
            <DeviceListLink
              search={WITH_IT}
              fw={700}
              aria-label={`With the IT department: ${devicesCount(withIt)}`}
            >
              {withIt.toLocaleString('en')}
            </DeviceListLink>{' '}
            with the IT department.
          </Text>
        </Stack>
      </Group>
    </DashboardCard>
  );
}
