import { Anchor, Card, Grid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconDeviceLaptop } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { deviceDashboardQuery } from '../../api/dashboard';
import { QueryState } from '../../components/QueryState';
import { AssignmentCoverageCard } from './AssignmentCoverageCard';
import { DevicesByStatusCard } from './DevicesByStatusCard';
import { ExpiringWarrantiesCard } from './ExpiringWarrantiesCard';
import { InventoryValueCard } from './InventoryValueCard';
import { RiskyDevicesCard } from './RiskyDevicesCard';

function NoDevicesYet() {
  return (
    <Card withBorder radius="lg" padding="xl" component="section" aria-labelledby="dashboard-no-devices">
      <Stack align="center" gap="sm" ta="center" py="md">
        <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
          <IconDeviceLaptop size={28} stroke={1.5} />
        </ThemeIcon>
        <Title order={2} fz="lg" id="dashboard-no-devices">
          No devices yet
        </Title>
        <Text size="sm" c="dimmed" maw={520}>
          Once devices are added, this is where you see them by status, the risky ones, how many are assigned
          and which warranties end soon.
        </Text>
        <Anchor component={Link} to="/devices" size="sm" fw={500}>
          Go to the devices
        </Anchor>
      </Stack>
    </Card>
  );
}

/**
 * DASH-1, devices part: counts by status, risky devices, assignment coverage and warranties ending soon;
 * and the inventory value in the default currency (DEV-1).
 */
export function DeviceDashboard() {
  const dashboard = useQuery(deviceDashboardQuery);
  return (
    <QueryState query={dashboard} label="the device figures">
      {(data) =>
        data.total === 0 ? (
          <NoDevicesYet />
        ) : (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <DevicesByStatusCard dashboard={data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Stack gap="lg">
                <RiskyDevicesCard risky={data.risky} />
                <AssignmentCoverageCard coverage={data.coverage} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={12}>
              <ExpiringWarrantiesCard warranties={data.warrantiesExpiring} />
            </Grid.Col>
            <Grid.Col span={12}>
              <InventoryValueCard value={data.inventoryValue} />
            </Grid.Col>
          </Grid>
        )
      }
    </QueryState>
  );
}
