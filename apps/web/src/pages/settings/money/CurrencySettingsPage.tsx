import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { exchangeRatesQuery, manualRatesQuery, moneySettingsQuery } from '../../../api/money';
import { mayChangeInventory } from '../../../auth/access';
import { useSignedIn } from '../../../auth/signedIn';
import { QueryState } from '../../../components/QueryState';
import { DefaultCurrencyForm } from './DefaultCurrencyForm';
import { EcbRatesCard } from './EcbRatesCard';
import { ManualRatesCard } from './ManualRatesCard';

/**
 * Settings → Currency (DEV-1): the default currency prices are converted into, the ECB's daily reference
 * rates with the state of their fetch, and the tenant's manual rates for the currencies the ECB does not
 * publish. Administrators change them; Operators and Viewers read them.
 */
export function CurrencySettingsPage() {
  const me = useSignedIn();
  const settings = useQuery(moneySettingsQuery);
  const rates = useQuery(exchangeRatesQuery);
  const manual = useQuery(manualRatesQuery);
  const canEdit = mayChangeInventory(me, 'inventory.settings.write');

  return (
    <Stack gap="lg" maw={960}>
      <Text size="sm" c="dimmed" maw={680}>
        Every price keeps its own currency; it is also shown converted into the default currency at the day’s
        exchange rate, and the dashboard adds the inventory up in it.
      </Text>
      <QueryState query={settings} label="the default currency">
        {(current) => (
          <>
            <DefaultCurrencyForm
              settings={current}
              canEdit={canEdit}
              reload={async () => {
                const fresh = await settings.refetch();
                if (fresh.isError || !fresh.data) throw fresh.error;
                return fresh.data;
              }}
            />
            <QueryState query={rates} label="the exchange rates">
              {(ecb) => (
                <QueryState query={manual} label="the manual rates">
                  {(own) => {
                    const currency = current.defaultCurrency;
                    const hasRate =
                      currency === 'EUR' ||
                      ecb.rates.some((rate) => rate.currency === currency) ||
                      own.rates.some((rate) => rate.currency === currency);
                    return (
                      <>
                        {!hasRate && (
                          <Alert
                            color="orange"
                            variant="light"
                            role="alert"
                            icon={<IconAlertTriangle size={18} aria-hidden />}
                          >
                            There is no exchange rate for {currency}, the default currency: only prices in{' '}
                            {currency} can be shown in it. Add a manual rate for {currency} below.
                          </Alert>
                        )}
                        <EcbRatesCard rates={ecb} manual={own.rates} />
                        <ManualRatesCard
                          rates={own.rates}
                          canEdit={canEdit}
                          reload={() => manual.refetch()}
                        />
                      </>
                    );
                  }}
                </QueryState>
              )}
            </QueryState>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
