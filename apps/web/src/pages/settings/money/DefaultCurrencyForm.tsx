import { Alert, Button, Card, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type MoneySettings, moneySettingsSchema } from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrorsOf } from '../../../api/client';
import { DEVICES_KEY } from '../../../api/devices';
import { MONEY_KEY, MONEY_SETTINGS_PATH } from '../../../api/money';
import { useApiWrite } from '../../../api/session';
import { hasErrors } from '../catalog/catalogErrors';
import { WriteErrorAlert } from '../catalog/WriteErrorAlert';
import { currencyName, currencyOptions } from './currencies';

interface DefaultCurrencyFormProps {
  settings: MoneySettings;
  /** Administrators change it; everyone else reads it. */
  canEdit: boolean;
  /** Reads the settings again after a stale save; throws when they could not be read. */
  reload(): Promise<MoneySettings>;
}

/** DEV-1: the currency every price is converted into and totals are shown in, saved with the version read. */
export function DefaultCurrencyForm({ settings, canEdit, reload }: DefaultCurrencyFormProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [currency, setCurrency] = useState(settings.defaultCurrency);
  const [saved, setSaved] = useState(false);
  const [reloading, setReloading] = useState(false);

  const save = useMutation({
    mutationFn: (defaultCurrency: string) =>
      api.put(MONEY_SETTINGS_PATH, { defaultCurrency, version: settings.version }, moneySettingsSchema),
    onSuccess: async (next) => {
      setCurrency(next.defaultCurrency);
      setSaved(true);
      // Converted prices and the dashboard's total follow the new currency.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: MONEY_KEY }),
        queryClient.invalidateQueries({ queryKey: DEVICES_KEY }),
      ]);
    },
  });
  const errors = fieldErrorsOf(save.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(currency);
  };

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="default-currency-title">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="default-currency-title">
          Default currency
        </Title>
        {canEdit ? (
          <form onSubmit={submit} noValidate aria-label="Default currency">
            <Stack gap="sm">
              {saved && (
                <Alert
                  color="teal"
                  variant="light"
                  role="status"
                  icon={<IconCircleCheck size={18} aria-hidden />}
                >
                  Default currency saved: prices are now also shown in {save.data?.defaultCurrency}.
                </Alert>
              )}
              {save.isError && !hasErrors(errors) && (
                <WriteErrorAlert
                  error={save.error}
                  what="default currency"
                  reloading={reloading}
                  onReload={() => {
                    setReloading(true);
                    void reload()
                      .then((fresh) => {
                        setCurrency(fresh.defaultCurrency);
                        save.reset();
                      })
                      .catch(() => undefined)
                      .finally(() => setReloading(false));
                  }}
                />
              )}
              <Group align="flex-end" gap="md">
                <NativeSelect
                  label="Default currency"
                  description="Prices in other currencies are also shown converted into this one, and totals use it."
                  data={currencyOptions([settings.defaultCurrency])}
                  value={currency}
                  error={errors.defaultCurrency}
                  onChange={(event) => {
                    setCurrency(event.currentTarget.value);
                    setSaved(false);
                  }}
                  maw={420}
                  style={{ flexGrow: 1 }}
                />
                <Button
                  type="submit"
                  loading={save.isPending}
                  disabled={currency === settings.defaultCurrency}
                >
                  Save default currency
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Text size="sm">
            Prices are also shown in{' '}
            <Text span fw={600} data-testid="default-currency">
              {settings.defaultCurrency}
            </Text>{' '}
            ({currencyName(settings.defaultCurrency)}). Only Administrators change it.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
