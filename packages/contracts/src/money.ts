import { z } from 'zod';

// Money (issue 7, DEV-1): the tenant's default currency, manual exchange rates, converted amounts.
// Self-contained (no import from ./inventory, which imports these schemas for devices and the dashboard).

/** ISO 4217 codes this runtime knows (Intl); an older runtime without the list checks the format only. */
function knownCurrencies(): ReadonlySet<string> | null {
  try {
    return new Set(Intl.supportedValuesOf('currency'));
  } catch {
    return null;
  }
}
const KNOWN = knownCurrencies();

/** A currency a tenant may choose as its default or give a manual rate for: a current ISO 4217 code. */
export const isoCurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'A currency as a three-letter ISO 4217 code')
  .refine((code) => KNOWN === null || KNOWN.has(code), 'Not a currency in ISO 4217');

/**
 * A price converted into the tenant's default currency (DEV-1). `rate` is units of `currency` per unit of
 * the device's currency, rounded to 6 significant digits for display; `amount` is computed from the exact
 * rates and rounded half-up to the currency's minor units. `source` says where the rate came from: the
 * ECB's daily reference rates, a manual rate of the tenant, or no conversion at all (`same`).
 */
export const convertedPriceSchema = z.object({
  amount: z.string(),
  currency: z.string(),
  rate: z.string(),
  /** The day of the rate used (the older one of a cross rate); null for `same`. */
  rateDate: z.string().nullable(),
  source: z.enum(['ecb', 'manual', 'same']),
});
export type ConvertedPrice = z.infer<typeof convertedPriceSchema>;

/** DEV-1 totals: the inventory's purchase value in the default currency, with what could not be converted. */
export const inventoryValueSchema = z.object({
  /** The tenant's default currency. */
  currency: z.string(),
  /** The sum of every converted currency group (each group converted once and rounded, then added). */
  amount: z.string(),
  /** Devices counted in `amount`. */
  deviceCount: z.number().int(),
  /** Per currency of the devices: their sum in that currency and its conversion, or null without a rate. */
  byCurrency: z.array(
    z.object({
      currency: z.string(),
      amount: z.string(),
      deviceCount: z.number().int(),
      converted: convertedPriceSchema.nullable(),
    }),
  ),
  /** Devices with a price but no currency: not counted. */
  withoutCurrency: z.number().int(),
});
export type InventoryValue = z.infer<typeof inventoryValueSchema>;

/** The tenant's money settings: the currency prices are converted into and totals are shown in. */
export const moneySettingsSchema = z.object({
  defaultCurrency: z.string(),
  version: z.number().int(),
});
export type MoneySettings = z.infer<typeof moneySettingsSchema>;
export const moneySettingsUpdateSchema = z.object({
  defaultCurrency: isoCurrencySchema,
  version: z.number().int().min(1),
});

/** A rate as the ECB gives it: units of the currency per 1 euro, a positive decimal. */
export const perEurSchema = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,10})?$/, 'A rate like 1.0845 (units of the currency per 1 euro)')
  .refine((value) => /[1-9]/.test(value), 'A rate must be more than 0');

/** A manual rate of the tenant, in the ECB's terms: units of `currency` per 1 euro. */
export const manualRateSchema = z.object({
  currency: z.string(),
  perEur: z.string(),
  /** False while the ECB publishes this currency: its rate is used and this one waits as the fallback. */
  inUse: z.boolean(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ManualRate = z.infer<typeof manualRateSchema>;
export const manualRatesSchema = z.object({ rates: z.array(manualRateSchema) });

/** PUT /manual-exchange-rates/{currency}: without `version` it adds the rate, with it it changes that version. */
export const manualRateUpdateSchema = z.object({
  perEur: perEurSchema,
  version: z.number().int().min(1).optional(),
});
export const manualRateParamsSchema = z.object({
  currency: isoCurrencySchema.refine((code) => code !== 'EUR', 'The euro is the base: 1 EUR = 1 EUR'),
});
