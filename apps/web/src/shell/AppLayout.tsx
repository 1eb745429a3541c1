import { AppShell, Burger, Divider, Group, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import classes from './AppLayout.module.css';
import { Brand } from './Brand';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { footerNavigation, isActivePath, mainNavigation, type NavEntry } from './navigation';
import { RouterNavLink } from './RouterNavLink';
import { TenantSwitcher } from './TenantSwitcher';

const NAVBAR_ID = 'app-navigation';

function NavSection({ entries, pathname }: { entries: readonly NavEntry[]; pathname: string }) {
  return entries.map(({ to, label, icon: Icon }) => {
    const active = isActivePath(to, pathname);
    return (
      <RouterNavLink
        key={to}
        to={to}
        label={label}
        active={active}
        aria-current={active ? 'page' : undefined}
        leftSection={<Icon size={20} stroke={1.6} aria-hidden />}
        variant="light"
        fw={500}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
      />
    );
  });
}

/** The frame of every page: header with tenant and theme controls, the sidebar, and the routed page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const isDesktop = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const pathname = useRouterState({ select: (state) => state.location.pathname });

  // A tap on a phone's menu entry should reveal the page, not leave the menu over it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => close(), [pathname]);

  const navHidden = !isDesktop && !opened;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <a href="#main-content" className={classes.skipLink}>
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls={NAVBAR_ID}
            />
            <Brand />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <TenantSwitcher />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id={NAVBAR_ID} p="sm" aria-label="Main navigation" inert={navHidden} component="nav">
        <AppShell.Section grow component={ScrollArea}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="xs" pb={6}>
            Inventory
          </Text>
          <NavSection entries={mainNavigation} pathname={pathname} />
        </AppShell.Section>
        <AppShell.Section>
          <Divider my="sm" />
          <NavSection entries={footerNavigation} pathname={pathname} />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main-content" tabIndex={-1} className={classes.main}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
