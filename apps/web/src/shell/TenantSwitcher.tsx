import { Button, Menu, Text } from '@mantine/core';
import { IconBuilding, IconCheck, IconChevronDown, IconLogin } from '@tabler/icons-react';

/** Placeholder until sign-in exists: shows the demo tenant and says where switching will live. */
export function TenantSwitcher() {
  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconBuilding size={16} stroke={1.6} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label="Tenant: Demo tenant"
        >
          <Text span size="sm" fw={500} visibleFrom="xs">
            Demo tenant
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Tenant</Menu.Label>
        <Menu.Item
          leftSection={<IconBuilding size={16} aria-hidden />}
          rightSection={<IconCheck size={14} aria-hidden />}
          aria-current="true"
        >
          Demo tenant
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogin size={16} aria-hidden />} disabled>
          <Text size="sm">Sign-in arrives soon</Text>
          <Text size="xs" c="dimmed">
            Then you can switch between your organization's tenants here.
          </Text>
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
