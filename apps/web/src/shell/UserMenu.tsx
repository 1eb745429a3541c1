import { Avatar, Button, Menu, Text } from '@mantine/core';
import { IconChevronDown, IconLogout, IconShieldLock, IconUserCheck } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { mayOpen, roleLabel } from '../auth/access';
import { useSignedIn } from '../auth/signedIn';
import { useSignOut } from '../auth/useSignOut';

function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts.slice(0, 1);
  return letters.map((part) => part[0]!.toUpperCase()).join('') || '?';
}

/** The signed-in person's name with their menu: their own page, the console for platform staff, sign-out. */
export function UserMenu() {
  const me = useSignedIn();
  const name = me.user.name ?? me.user.email ?? 'Signed in';

  const signOut = useSignOut();

  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px={6}
          leftSection={
            <Avatar size={28} radius="xl" color="blue" aria-hidden>
              {initialsOf(name)}
            </Avatar>
          }
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label={`Account: ${name}`}
          loading={signOut.isPending}
        >
          <Text span size="sm" fw={500} visibleFrom="md" truncate maw={160}>
            {name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {name}
          </Text>
          {me.user.email && me.user.email !== name && (
            <Text size="xs" c="dimmed" truncate>
              {me.user.email}
            </Text>
          )}
          {me.activeTenant && (
            <Text size="xs" c="dimmed">
              {roleLabel[me.activeTenant.role]} · {me.activeTenant.name}
            </Text>
          )}
        </Menu.Label>
        <Menu.Divider />
        {me.activeTenant && (
          <Menu.Item component={Link} to="/my-devices" leftSection={<IconUserCheck size={16} aria-hidden />}>
            My devices
          </Menu.Item>
        )}
        {mayOpen(me, 'platform') && (
          <Menu.Item component={Link} to="/platform" leftSection={<IconShieldLock size={16} aria-hidden />}>
            Platform console
          </Menu.Item>
        )}
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          closeMenuOnClick={false}
          onClick={() => signOut.mutate()}
        >
          Sign out
        </Menu.Item>
        {signOut.isError && (
          <Text size="xs" c="red" px="sm" py={4} role="alert">
            Sign-out did not go through. Please try again.
          </Text>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
