import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { platformOrganizationsQuery } from '../../api/platform';
import { QueryState } from '../../components/QueryState';
import { formatDay, planColor, planLabel } from '../settings/planLabels';

/** Every organization with its tenants, their plan, the plan in effect and the trial. */
export function OrganizationsPanel() {
  const organizations = useQuery(platformOrganizationsQuery);
  return (
    <QueryState query={organizations} label="the organizations">
      {(data) =>
        data.organizations.length === 0 ? (
          <Text size="sm" c="dimmed">
            No organization has signed up yet.
          </Text>
        ) : (
          <Stack gap="md">
            {data.organizations.map((organization) => (
              <Card key={organization.id} withBorder radius="lg" padding={0} component="section">
                <Group justify="space-between" px="md" pt="md" pb="xs">
                  <Title order={3} fz="md">
                    {organization.name}
                  </Title>
                  <Text size="xs" c="dimmed">
                    Since {formatDay(organization.createdAt)}
                  </Text>
                </Group>
                <Table.ScrollContainer minWidth={560}>
                  <Table
                    verticalSpacing="xs"
                    horizontalSpacing="md"
                    aria-label={`Tenants of ${organization.name}`}
                  >
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Tenant</Table.Th>
                        <Table.Th>Address</Table.Th>
                        <Table.Th>Plan</Table.Th>
                        <Table.Th>In effect</Table.Th>
                        <Table.Th>Trial</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {organization.tenants.map((tenant) => (
                        <Table.Tr key={tenant.id}>
                          <Table.Td>
                            <Text size="sm">{tenant.name}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" ff="monospace">
                              {tenant.slug}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Badge variant="light" color={planColor[tenant.plan]} size="sm">
                              {planLabel[tenant.plan]}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{planLabel[tenant.effectivePlan]}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" c={tenant.inTrial ? undefined : 'dimmed'}>
                              {tenant.inTrial ? `Until ${formatDay(tenant.trialEndsAt)}` : 'Ended'}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
            ))}
          </Stack>
        )
      }
    </QueryState>
  );
}
