import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { CurrentTenant } from '@thestorage/contracts';
import { currentTenantQuery } from '../../api/tenants';
import { QueryState } from '../../components/QueryState';
import { formatDay, humanise, planColor, planLabel, trialSummary } from './planLabels';

function PlanCard({ tenant }: { tenant: CurrentTenant }) {
  const trial = trialSummary(tenant.inTrial, tenant.trialDaysLeft);
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="plan-title">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="plan-title">
          Plan
        </Title>
        <Group gap="xs">
          <Badge size="lg" variant="light" color={planColor[tenant.plan]} data-testid="plan-badge">
            {planLabel[tenant.plan]}
          </Badge>
          {trial && (
            <Badge size="lg" variant="dot" color="orange" data-testid="trial-badge">
              {trial}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {tenant.inTrial
            ? `Every new tenant has the full feature set (${planLabel[tenant.effectivePlan]}) for 30 days. The trial ends on ${formatDay(tenant.trialEndsAt)}; then the ${planLabel[tenant.plan]} plan applies.`
            : `The ${planLabel[tenant.effectivePlan]} plan applies.`}
        </Text>
      </Stack>
    </Card>
  );
}

function FeaturesCard({ tenant }: { tenant: CurrentTenant }) {
  const features = Object.entries(tenant.features);
  const limits = Object.entries(tenant.limits);
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="features-title">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="features-title">
          Features and limits
        </Title>
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Features">
          {features.map(([key, enabled]) => (
            <Group key={key} gap="xs" component="li" wrap="nowrap">
              <ThemeIcon size={20} radius="xl" variant="light" color={enabled ? 'teal' : 'gray'}>
                {enabled ? (
                  <IconCheck size={13} aria-label="included" />
                ) : (
                  <IconX size={13} aria-label="not included" />
                )}
              </ThemeIcon>
              <Text size="sm" c={enabled ? undefined : 'dimmed'}>
                {humanise(key)}
              </Text>
            </Group>
          ))}
        </Stack>
        {limits.length > 0 && (
          <Table withRowBorders={false} verticalSpacing={4} aria-label="Limits">
            <Table.Tbody>
              {limits.map(([key, limit]) => (
                <Table.Tr key={key}>
                  <Table.Td>
                    <Text size="sm">{humanise(key)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={500}>
                      {limit === null ? 'Unlimited' : limit}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

/** Settings → General: which tenant this is and what its plan allows. */
export function GeneralSettingsPage() {
  const tenant = useQuery(currentTenantQuery);
  return (
    <QueryState query={tenant} label="the tenant">
      {(data) => (
        <Stack gap="lg" maw={1100}>
          <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="tenant-title">
            <Stack gap={4}>
              <Title order={2} fz="lg" id="tenant-title">
                {data.name}
              </Title>
              <Text size="sm" c="dimmed">
                Tenant address{' '}
                <Text span ff="monospace">
                  {data.slug}
                </Text>
              </Text>
            </Stack>
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <PlanCard tenant={data} />
            <FeaturesCard tenant={data} />
          </SimpleGrid>
        </Stack>
      )}
    </QueryState>
  );
}
