import { Button, Menu, Text } from '@mantine/core';
import { IconBuilding, IconCheck, IconChevronDown } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { meSchema } from '@thestorage/contracts';
import { safeErrorMessage } from '../api/client';
import { meQuery, useApiWrite } from '../api/session';
import { homePath, roleLabel } from '../auth/access';
import { useSignedIn } from '../auth/signedIn';

/** The tenant everything on screen belongs to; a menu to switch when the person has more than one. */
export function TenantSwitcher() {
  const me = useSignedIn();
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const active = me.activeTenant;

  const switchTenant = useMutation({
    mutationFn: (tenantId: string) => api.post('/api/v1/me/active-tenant', { tenantId }, meSchema),
    onSuccess: async (next) => {
      queryClient.setQueryData(meQuery.queryKey, next);
      // Everything else on screen belonged to the previous tenant.
      await queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== meQuery.queryKey[0] });
      await navigate({ to: homePath(next) });
    },
  });

  if (!active) return null;
  if (me.tenants.length < 2) {
    return (
      <Text size="sm" fw={500} visibleFrom="sm" aria-label={`Tenant: ${active.name}`}>
        {active.name}
      </Text>
    );
  }

  return (
    <Menu position="bottom-end" width={280} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconBuilding size={16} stroke={1.6} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label={`Tenant: ${active.name}. Switch tenant`}
          loading={switchTenant.isPending}
        >
          <Text span size="sm" fw={500} visibleFrom="xs" truncate maw={180}>
            {active.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Switch tenant</Menu.Label>
        {me.tenants.map((tenant) => {
          const current = tenant.id === active.id;
          return (
            <Menu.Item
              key={tenant.id}
              leftSection={<IconBuilding size={16} aria-hidden />}
              rightSection={current ? <IconCheck size={14} aria-label="current" /> : undefined}
              aria-current={current ? 'true' : undefined}
              onClick={() => {
                if (!current) switchTenant.mutate(tenant.id);
              }}
            >
              <Text size="sm">{tenant.name}</Text>
              <Text size="xs" c="dimmed">
                {tenant.organizationName} · {roleLabel[tenant.role]}
              </Text>
            </Menu.Item>
          );
        })}
        {switchTenant.isError && (
          <Text size="xs" c="red" px="sm" py={4} role="alert">
            {safeErrorMessage(switchTenant.error)}
          </Text>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
