import type { ConvertedPrice, InventoryValue } from '@thestorage/contracts';
import {
  addDecimals,
  divide,
  type Fraction,
  multiply,
  parseDecimal,
  toFixed,
  toSignificant,
} from './decimal';

/** One currency's rate in the ECB's terms: units of the currency per 1 euro. */
export interface RateEntry {
  perEur: string;
  /** The day the rate is for (ECB) or was last set (manual). */
  date: string;
  source: 'ecb' | 'manual';
}

/** The rate each currency converts with for one tenant; the euro is the base and never listed. */
export type RateTable = ReadonlyMap<string, RateEntry>;

export interface EcbRate {
  currency: string;
  perEur: string;
  date: string;
}
export interface ManualRate {
  currency: string;
  perEur: string;
  /** When it was last set (ISO timestamp); its day is the rate's date. */
  updatedAt: string;
}

/** A tenant's manual rate as conversion reads it, from its stored row. */
export const manualRateOf = (row: { currency: string; per_eur: string; updated_at: string }): ManualRate => ({
  currency: row.currency,
  perEur: row.per_eur,
  updatedAt: row.updated_at,
});

/**
 * Which rate each currency uses (DEV-1, issue 7: "manual rates as fallback"):
 * 1. the ECB's rate from its newest published set;
 * 2. else the tenant's manual rate (the ECB does not publish the currency, or stopped publishing it);
 * 3. else an older ECB rate of a currency the ECB no longer publishes (shown with its old date).
 * A failed fetch keeps the whole last set, which then is still the newest: no currency falls back.
 */
export function rateTable(ecb: readonly EcbRate[], manual: readonly ManualRate[]): RateTable {
  const published = ecb.filter((r) => r.currency !== 'EUR');
  const newest = published
    .map((r) => r.date)
    .sort()
    .at(-1);
  const table = new Map<string, RateEntry>();
  for (const r of published) {
    if (r.date === newest) table.set(r.currency, { perEur: r.perEur, date: r.date, source: 'ecb' });
  }
  for (const r of manual) {
    if (r.currency !== 'EUR' && !table.has(r.currency)) {
      table.set(r.currency, { perEur: r.perEur, date: r.updatedAt.slice(0, 10), source: 'manual' });
    }
  }
  for (const r of published) {
    if (!table.has(r.currency)) table.set(r.currency, { perEur: r.perEur, date: r.date, source: 'ecb' });
  }
  return table;
}

/** Whether the tenant's manual rate for `currency` is the one conversions use (the ECB has no current rate). */
export function manualRateInUse(table: RateTable, currency: string): boolean {
  return table.get(currency)?.source === 'manual';
}

const minorUnitsCache = new Map<string, number>();

/** Decimals of the currency's minor unit as the runtime's CLDR data says (EUR 2, JPY 0, KWD 3); else 2. */
export function minorUnits(currency: string): number {
  let digits = minorUnitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnitsCache.set(currency, digits);
  }
  return digits;
}

const ONE: Fraction = { n: 1n, d: 1n };

/** Units of `to` per 1 unit of `from`, exact, with the source and the older date of the two rates. */
function crossRate(
  from: string,
  to: string,
  table: RateTable,
): { rate: Fraction; date: string | null; source: 'ecb' | 'manual' } | null {
  const side = (currency: string) => (currency === 'EUR' ? null : table.get(currency));
  const a = side(from);
  const b = side(to);
  if (a === undefined || b === undefined) return null;
  const perEurFrom = a ? parseDecimal(a.perEur) : ONE;
  const perEurTo = b ? parseDecimal(b.perEur) : ONE;
  if (perEurFrom.n === 0n) return null;
  const dates = [a?.date, b?.date].filter((d): d is string => d !== undefined).sort();
  return {
    rate: divide(perEurTo, perEurFrom),
    date: dates[0] ?? null,
    source: a?.source === 'manual' || b?.source === 'manual' ? 'manual' : 'ecb',
  };
}

/**
 * DEV-1: an amount in `currency` converted into `target`, rounded half-up to the target's minor units from
 * the exact rates (the `rate` shown is rounded to 6 significant digits, the amount never uses it). Null
 * without an amount or a currency, or when either currency has no rate.
 */
export function convertAmount(
  amount: string | null,
  currency: string | null,
  target: string,
  table: RateTable,
): ConvertedPrice | null {
  if (amount === null || currency === null) return null;
  const value = parseDecimal(amount);
  const scale = minorUnits(target);
  if (currency === target) {
    return { amount: toFixed(value, scale), currency: target, rate: '1', rateDate: null, source: 'same' };
  }
  const cross = crossRate(currency, target, table);
  if (!cross) return null;
  return {
    amount: toFixed(multiply(value, cross.rate), scale),
    currency: target,
    rate: toSignificant(cross.rate, 6),
    rateDate: cross.date,
    source: cross.source,
  };
}

/** What SQL sums per currency: the exact sum in cents (text) and how many devices it covers. */
export interface CurrencySum {
  currency: string | null;
  cents: string;
  deviceCount: number;
}

/**
 * DEV-1 totals: each currency's exact sum converted once and rounded, then added up, so the total is the
 * sum of the amounts listed beside it. Currencies without a rate are listed but not counted.
 */
export function inventoryValue(
  sums: readonly CurrencySum[],
  target: string,
  table: RateTable,
): InventoryValue {
  const scale = minorUnits(target);
  let total = toFixed({ n: 0n, d: 1n }, scale);
  let deviceCount = 0;
  let withoutCurrency = 0;
  const byCurrency: InventoryValue['byCurrency'] = [];
  for (const sum of [...sums].sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? ''))) {
    if (sum.currency === null) {
      withoutCurrency += sum.deviceCount;
      continue;
    }
    const amount = toFixed({ n: BigInt(sum.cents), d: 100n }, 2);
    const converted = convertAmount(amount, sum.currency, target, table);
    if (converted) {
      total = addDecimals(total, converted.amount);
      deviceCount += sum.deviceCount;
    }
    byCurrency.push({ currency: sum.currency, amount, deviceCount: sum.deviceCount, converted });
  }
  return { currency: target, amount: total, deviceCount, byCurrency, withoutCurrency };
}
