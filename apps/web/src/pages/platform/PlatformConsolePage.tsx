import { Tabs } from '@mantine/core';
import { IconBuildingSkyscraper, IconListDetails } from '@tabler/icons-react';
import { PageHeader } from '../../components/PageHeader';
import { AuthLogPanel } from './AuthLogPanel';
import { OrganizationsPanel } from './OrganizationsPanel';

/** The service operator's console: organizations and plans, and the authentication log. */
export function PlatformConsolePage() {
  return (
    <>
      <PageHeader
        title="Platform console"
        description="For the staff operating this TheStorage service: every organization with its tenants and plans, and the authentication log."
      />
      <Tabs defaultValue="organizations" keepMounted={false} maw={1300}>
        <Tabs.List mb="md">
          <Tabs.Tab value="organizations" leftSection={<IconBuildingSkyscraper size={16} aria-hidden />}>
            Organizations
          </Tabs.Tab>
          <Tabs.Tab value="auth-log" leftSection={<IconListDetails size={16} aria-hidden />}>
            Authentication log
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="organizations">
          <OrganizationsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="auth-log">
          <AuthLogPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
