import { Alert, Badge, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCircleCheck, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { mayAddTenants, roleLabel } from '../../auth/access';
import { useSignedIn } from '../../auth/signedIn';
import { AddTenantModal, type TenantSummary } from './AddTenantModal';
import { formatDay, planLabel } from './planLabels';

/** Settings → Tenants: the tenants this person can open; global Administrators add more. */
export function TenantsSettingsPage() {
  const me = useSignedIn();
  const [opened, { open, close }] = useDisclosure(false);
  const [added, setAdded] = useState<TenantSummary | null>(null);
  const canAdd = mayAddTenants(me);

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" maw={640}>
          Tenants split an organization’s devices and software, per site or per department. Employees are
          shared by all tenants of the organization.
          {!canAdd && ' Only Administrators with a global role can add tenants.'}
        </Text>
        {canAdd && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
            Add tenant
          </Button>
        )}
      </Group>
      {added && (
        <Alert
          color="teal"
          variant="light"
          role="status"
          icon={<IconCircleCheck size={18} aria-hidden />}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setAdded(null)}
        >
          Tenant {added.name} was added on the {planLabel[added.plan]} plan, with the full feature set until{' '}
          {formatDay(added.trialEndsAt)}.
        </Alert>
      )}
      <Card withBorder radius="lg" padding={0}>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Tenants">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tenant</Table.Th>
                <Table.Th>Address</Table.Th>
                <Table.Th>Organization</Table.Th>
                <Table.Th>Your role</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {me.tenants.map((tenant) => (
                <Table.Tr key={tenant.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {tenant.name}
                      </Text>
                      {tenant.id === me.activeTenant?.id && (
                        <Badge size="xs" variant="light">
                          Current
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {tenant.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{tenant.organizationName}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{roleLabel[tenant.role]}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {canAdd && (
        <AddTenantModal
          opened={opened}
          onClose={close}
          onAdded={(tenant) => {
            setAdded(tenant);
            close();
          }}
        />
      )}
    </Stack>
  );
}
