import { Stack } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader';
import { InventoryOverviewCard } from './InventoryOverviewCard';
import { SystemStatusCard } from './SystemStatusCard';

export function DashboardPage() {
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="The state of the demo tenant's inventory and of the service itself."
      />
      <Stack gap="lg" maw={1100}>
        <SystemStatusCard />
        <InventoryOverviewCard />
      </Stack>
    </>
  );
}
