import { Badge, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconChartDonut3 } from '@tabler/icons-react';

/** Device statuses and their colours (DEV-3); the dashboard's counts will use the same palette. */
const deviceStatuses = [
  { label: 'New', color: 'green' },
  { label: 'In-use', color: 'blue' },
  { label: 'In-Service', color: 'teal' },
  { label: 'Used', color: 'orange' },
  { label: 'Missing', color: 'red' },
  { label: 'Damaged', color: 'pink' },
  { label: 'Charity', color: 'grape' },
  { label: 'Discarded', color: 'gray' },
  { label: 'EOL', color: 'dark' },
  { label: 'Store', color: 'yellow' },
] as const;

/** Empty state of the inventory figures until devices exist. */
export function InventoryOverviewCard() {
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="inventory-overview-title">
      <Group gap="sm" mb="md" wrap="nowrap">
        <ThemeIcon size={34} radius="md" variant="light" color="indigo" aria-hidden>
          <IconChartDonut3 size={20} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} fz="lg" id="inventory-overview-title">
          Inventory overview
        </Title>
      </Group>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          No devices yet. Once the inventory is filled, this is where you see counts by status, risky devices
          (missing, damaged, end of life), assignment coverage, warranties expiring within 90 days and
          software utilisation with upcoming renewals.
        </Text>
        <Group gap={6} aria-label="Device statuses">
          {deviceStatuses.map((status) => (
            <Badge key={status.label} variant="light" color={status.color} radius="sm">
              {status.label}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}
