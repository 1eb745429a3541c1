import { Button, Group } from '@mantine/core';
import {
  IconAddressBook,
  IconAdjustments,
  IconBarcode,
  IconBuilding,
  IconBuildingWarehouse,
  IconCategory,
  IconCoins,
  IconTags,
  IconTruckDelivery,
  IconUserPlus,
  IconUsersGroup,
} from '@tabler/icons-react';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { mayOpen, type PageAccess } from '../../auth/access';
import { useSignedIn } from '../../auth/signedIn';
import { PageHeader } from '../../components/PageHeader';

const sections = [
  { to: '/settings', label: 'General', icon: IconAdjustments, access: 'settings' },
  { to: '/settings/tenants', label: 'Tenants', icon: IconBuilding, access: 'settings' },
  { to: '/settings/categories', label: 'Categories', icon: IconCategory, access: 'catalog' },
  { to: '/settings/places', label: 'Places', icon: IconBuildingWarehouse, access: 'catalog' },
  { to: '/settings/tags', label: 'Tags', icon: IconTags, access: 'catalog' },
  { to: '/settings/vendors', label: 'Vendors', icon: IconTruckDelivery, access: 'catalog' },
  { to: '/settings/inventory', label: 'Inventory', icon: IconBarcode, access: 'catalog' },
  { to: '/settings/currency', label: 'Currency', icon: IconCoins, access: 'catalog' },
  { to: '/settings/users', label: 'Users & Roles', icon: IconUsersGroup, access: 'members' },
  { to: '/settings/directory', label: 'Directory', icon: IconAddressBook, access: 'directory' },
  { to: '/settings/provisioning', label: 'User provisioning', icon: IconUserPlus, access: 'provisioning' },
] as const satisfies readonly { to: string; label: string; access: PageAccess; icon: unknown }[];

/** Settings: one header and a row of section links (real links, so each section has its own address). */
export function SettingsLayout() {
  const me = useSignedIn();
  const pathname = useRouterState({ select: (state) => state.location.pathname.replace(/\/+$/, '') || '/' });

  return (
    <>
      <PageHeader
        title="Settings"
        description={`The tenant ${me.activeTenant?.name ?? ''}: its plan, its sibling tenants, its inventory lists and settings, and who may use it.`}
      />
      <Group component="nav" aria-label="Settings sections" gap="xs" mb="lg">
        {sections
          .filter((section) => mayOpen(me, section.access))
          .map(({ to, label, icon: Icon }) => {
            const current = pathname === to;
            return (
              <Button
                key={to}
                component={Link}
                to={to}
                variant={current ? 'light' : 'subtle'}
                color={current ? undefined : 'gray'}
                aria-current={current ? 'page' : undefined}
                leftSection={<Icon size={16} stroke={1.6} aria-hidden />}
              >
                {label}
              </Button>
            );
          })}
      </Group>
      <Outlet />
    </>
  );
}
