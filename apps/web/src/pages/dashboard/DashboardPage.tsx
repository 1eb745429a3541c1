import { Stack } from '@mantine/core';
import { mayChangeInventory } from '../../auth/access';
import { useSignedIn } from '../../auth/signedIn';
import { PageHeader } from '../../components/PageHeader';
import { DeviceDashboard } from './DeviceDashboard';
import { SystemStatusCard } from './SystemStatusCard';

export function DashboardPage() {
  const me = useSignedIn();
  const tenant = me.activeTenant?.name ?? 'this tenant';
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`The state of the inventory of ${tenant} and of the service itself.`}
      />
      <Stack gap="lg" maw={1100}>
        {mayChangeInventory(me, 'inventory.read') && <DeviceDashboard />}
        <SystemStatusCard />
      </Stack>
    </>
  );
}
