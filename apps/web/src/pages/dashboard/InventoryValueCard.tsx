import { Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { IconCoins } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { InventoryValue } from '@thestorage/contracts';
import { formatAmount } from '../devices/deviceFormat';
import { conversionSourceText } from '../devices/moneyFormat';
import { DashboardCard } from './DashboardCard';
import { devicesCount } from './deviceDashboardLinks';

/**
 * DEV-1 totals: the purchase value of the inventory in the tenant's default currency. Each currency's sum
 * is converted once at the day's rate; currencies without a rate, and prices without a currency, are shown
 * apart as not counted.
 */
export function InventoryValueCard({ value }: { value: InventoryValue }) {
  const missing = value.byCurrency.filter((group) => group.converted === null);
  const foreign = value.byCurrency.filter(
    (group) => group.converted !== null && group.converted.source !== 'same',
  );
  return (
    <DashboardCard
      id="dashboard-value"
      title="Inventory value"
      icon={IconCoins}
      color="teal"
      aside={
        <Anchor component={Link} to="/settings/currency" size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
          Currency and rates
        </Anchor>
      }
    >
      <Stack gap="sm">
        <Group gap="xs" align="baseline">
          <Text fz={26} fw={700} data-testid="inventory-value">
            {formatAmount(value.amount, value.currency)}
          </Text>
          <Text size="sm" c="dimmed">
            purchase value of {devicesCount(value.deviceCount)} in {value.currency}
          </Text>
        </Group>
        {foreign.length > 0 && (
          <Table withRowBorders={false} verticalSpacing={4} aria-label="Converted into the default currency">
            <Table.Tbody>
              {foreign.map((group) => (
                <Table.Tr key={group.currency}>
                  <Table.Td>{formatAmount(group.amount, group.currency)}</Table.Td>
                  <Table.Td c="dimmed">{devicesCount(group.deviceCount)}</Table.Td>
                  <Table.Td ta="right">
                    ≈ {formatAmount(group.converted!.amount, group.converted!.currency)}
                  </Table.Td>
                  <Table.Td c="dimmed" fz="xs">
                    {conversionSourceText(group.converted!, group.currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {missing.map((group) => (
          <Text key={group.currency} size="sm" c="orange.8" data-testid="value-not-counted">
            Not counted: {formatAmount(group.amount, group.currency)} ({devicesCount(group.deviceCount)}) — no
            exchange rate for {group.currency}.
          </Text>
        ))}
        {value.withoutCurrency > 0 && (
          <Text size="sm" c="orange.8" data-testid="value-not-counted">
            Not counted: {devicesCount(value.withoutCurrency)} with a price but no currency.
          </Text>
        )}
      </Stack>
    </DashboardCard>
  );
}
