import { queryOptions } from '@tanstack/react-query';
import { exchangeRatesSchema, manualRatesSchema, moneySettingsSchema } from '@thestorage/contracts';
import { apiGet } from './client';

/** Money (DEV-1): the tenant's default currency, manual rates and the ECB's reference rates, under /api/v1. */
export const MONEY_SETTINGS_PATH = '/api/v1/money-settings';
export const MANUAL_RATES_PATH = '/api/v1/manual-exchange-rates';
export const EXCHANGE_RATES_PATH = '/api/v1/exchange-rates';

export function manualRatePath(currency: string): string {
  return `${MANUAL_RATES_PATH}/${encodeURIComponent(currency)}`;
}

/** DELETE sends the version read, so a stale delete is refused like a stale edit (DEV-6). */
export function manualRateDeletePath(currency: string, version: number): string {
  return `${manualRatePath(currency)}?${new URLSearchParams({ version: String(version) })}`;
}

/** Every money query starts with this key; a write refreshes them and the devices (their converted prices). */
export const MONEY_KEY = ['money'] as const;

export const moneySettingsQuery = queryOptions({
  queryKey: [...MONEY_KEY, 'settings'],
  queryFn: ({ signal }) => apiGet(MONEY_SETTINGS_PATH, moneySettingsSchema, { signal }),
});

export const manualRatesQuery = queryOptions({
  queryKey: [...MONEY_KEY, 'manual-rates'],
  queryFn: ({ signal }) => apiGet(MANUAL_RATES_PATH, manualRatesSchema, { signal }),
});

export const exchangeRatesQuery = queryOptions({
  queryKey: [...MONEY_KEY, 'exchange-rates'],
  queryFn: ({ signal }) => apiGet(EXCHANGE_RATES_PATH, exchangeRatesSchema, { signal }),
});
