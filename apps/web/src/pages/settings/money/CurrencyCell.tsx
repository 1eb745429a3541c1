import { Table, Text } from '@mantine/core';
import { currencyName } from './currencies';

/** The first cell of a rate row: the currency's code, then its name dimmed ("JPY Japanese yen"). */
export function CurrencyCell({ currency }: { currency: string }) {
  return (
    <Table.Td>
      <Text size="sm" fw={500} span>
        {currency}
      </Text>{' '}
      <Text size="sm" c="dimmed" span>
        {currencyName(currency)}
      </Text>
    </Table.Td>
  );
}
