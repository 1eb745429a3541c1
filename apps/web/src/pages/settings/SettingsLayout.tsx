import { Button, Group } from '@mantine/core';
import {
  IconAddressBook,
  IconAdjustments,
  IconBuilding,
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
        description={`The tenant ${me.activeTenant?.name ?? ''}: its plan, its sibling tenants and who may use it.`}
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
