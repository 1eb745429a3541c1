import { Alert, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { exchangeRatesSchema, ManualRate } from '@thestorage/contracts';
import type { z } from 'zod';
import { formatDay, formatMoment } from '../../devices/deviceFormat';
import { CurrencyCell } from './CurrencyCell';

type ExchangeRates = z.infer<typeof exchangeRatesSchema>;

/** The state of the daily fetch: when rates last arrived, for which day, and the last failure if it failed. */
function FetchState({ source }: { source: ExchangeRates['source'] }) {
  if (!source || (!source.lastSuccessAt && !source.lastError)) {
    return (
      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
        No reference rates have been fetched yet. They are fetched once a day; until then only manual rates
        convert prices.
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      {source.lastError && (
        <Alert
          color="red"
          variant="light"
          role="alert"
          title="The last fetch of the exchange rates failed"
          icon={<IconAlertTriangle size={18} aria-hidden />}
        >
          <Text size="sm">
            {source.lastAttemptAt ? `${formatMoment(source.lastAttemptAt)}: ` : ''}
            {source.lastError}
          </Text>
          <Text size="sm">
            {source.rateDate
              ? `The old rates of ${formatDay(source.rateDate)} are kept until a fetch succeeds.`
              : 'There are no old rates to keep: only manual rates convert prices until a fetch succeeds.'}
          </Text>
        </Alert>
      )}
      <Table withRowBorders={false} verticalSpacing={4} aria-label="Reference rate fetch" maw={760}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={220} fw={500}>
              Rates of
            </Table.Th>
            <Table.Td data-testid="ecb-rate-date">{formatDay(source.rateDate)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th fw={500}>Last successful fetch</Table.Th>
            <Table.Td>{source.lastSuccessAt ? formatMoment(source.lastSuccessAt) : 'Never'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th fw={500}>Last attempt</Table.Th>
            <Table.Td>{source.lastAttemptAt ? formatMoment(source.lastAttemptAt) : '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th fw={500}>Source</Table.Th>
            <Table.Td style={{ wordBreak: 'break-all' }}>{source.url}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** DEV-1: the ECB's daily reference rates per euro, the fetch state, and which rate each currency uses. */
export function EcbRatesCard({ rates, manual }: { rates: ExchangeRates; manual: readonly ManualRate[] }) {
  const published = rates.rates.filter((rate) => rate.currency !== 'EUR');
  const newest = published
    .map((rate) => rate.date)
    .sort()
    .at(-1);
  const manualInUse = new Set(manual.filter((rate) => rate.inUse).map((rate) => rate.currency));
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="ecb-rates-title">
      <Stack gap="md">
        <Group justify="space-between" align="baseline">
          <Title order={2} fz="lg" id="ecb-rates-title">
            Reference rates (European Central Bank)
          </Title>
          <Text size="xs" c="dimmed">
            Units of each currency per 1 euro; fetched daily, the last good rates are kept.
          </Text>
        </Group>
        <FetchState source={rates.source} />
        {published.length > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing={6} striped aria-label="Reference rates" maw={760}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Currency</Table.Th>
                  <Table.Th ta="right">Per 1 EUR</Table.Th>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Used</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {published.map((rate) => {
                  // A currency the ECB stopped publishing keeps an old rate; a manual rate then wins.
                  const old = rate.date !== newest;
                  return (
                    <Table.Tr key={rate.currency} data-currency={rate.currency}>
                      <CurrencyCell currency={rate.currency} />
                      <Table.Td ta="right" ff="monospace">
                        {rate.perEur}
                      </Table.Td>
                      <Table.Td>{formatDay(rate.date)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c={old ? 'orange.8' : undefined}>
                          {old && manualInUse.has(rate.currency)
                            ? 'No: the manual rate (no longer published)'
                            : old
                              ? 'Yes, though no longer published'
                              : 'Yes'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
