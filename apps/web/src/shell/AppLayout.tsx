import { AppShell, Burger, Divider, Group, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Outlet, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useEffect } from 'react';
import { accessForPath, mayOpen } from '../auth/access';
import { useSignedIn } from '../auth/signedIn';
import { NotAllowedPage } from '../pages/NotAllowedPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import classes from './AppLayout.module.css';
import { Brand } from './Brand';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { activeEntryPath, type NavSection, navigationFor } from './navigation';
import { RouterNavLink } from './RouterNavLink';
import { TenantSwitcher } from './TenantSwitcher';
import { UserMenu } from './UserMenu';

const NAVBAR_ID = 'app-navigation';

function NavSectionLinks({ section, activePath }: { section: NavSection; activePath: string | null }) {
  return section.entries.map(({ to, label, icon: Icon }) => {
    const active = to === activePath;
    return (
      <RouterNavLink
        key={to}
        to={to}
        label={label}
        active={active}
        // The sidebar marks one entry itself (the longest match); the router's own match would also
        // light up Settings while Users & Roles, under it, is open.
        activeOptions={{ exact: true }}
        aria-current={active ? 'page' : undefined}
        leftSection={<Icon size={20} stroke={1.6} aria-hidden />}
        variant="light"
        fw={500}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
      />
    );
  });
}

/** The routed page, or why this person may not see it (the platform console does not exist for others). */
function PageOrRefusal({ pathname }: { pathname: string }) {
  const me = useSignedIn();
  const access = accessForPath(pathname);
  if (access === null || mayOpen(me, access)) return <Outlet />;
  return access === 'platform' ? <NotFoundPage /> : <NotAllowedPage />;
}

/** The frame of every signed-in page: header with tenant, theme and account, the sidebar, and the page. */
export function AppLayout({ children }: { children?: ReactNode }) {
  const me = useSignedIn();
  const [opened, { toggle, close }] = useDisclosure(false);
  const isDesktop = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const pathname = useRouterState({ select: (state) => state.location.pathname });

  // A tap on a phone's menu entry should reveal the page, not leave the menu over it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => close(), [pathname]);

  const navHidden = !isDesktop && !opened;
  const { main, footer } = navigationFor(me);
  const activePath = activeEntryPath([...main.entries, ...footer.entries], pathname);

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
          <Group gap={6} wrap="nowrap">
            <TenantSwitcher />
            <ColorSchemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id={NAVBAR_ID} p="sm" aria-label="Main navigation" inert={navHidden} component="nav">
        <AppShell.Section grow component={ScrollArea}>
          {main.label && main.entries.length > 0 && (
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="xs" pb={6}>
              {main.label}
            </Text>
          )}
          <NavSectionLinks section={main} activePath={activePath} />
        </AppShell.Section>
        {footer.entries.length > 0 && (
          <AppShell.Section>
            {main.entries.length > 0 && <Divider my="sm" />}
            <NavSectionLinks section={footer} activePath={activePath} />
          </AppShell.Section>
        )}
      </AppShell.Navbar>

      <AppShell.Main id="main-content" tabIndex={-1} className={classes.main}>
        {children ?? <PageOrRefusal pathname={pathname} />}
      </AppShell.Main>
    </AppShell>
  );
}
