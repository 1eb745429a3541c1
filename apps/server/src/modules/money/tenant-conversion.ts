import type { ConvertedPrice } from '@thestorage/contracts';
import type { Clock } from '../../platform/clock';
import {
  convertAmount,
  type EcbRate,
  type ManualRate,
  manualRateOf,
  type RateTable,
  rateTable,
} from './conversion';
import type { MoneyRepo } from './money-repo';

/**
 * The ECB's rates change once a day and are the same for every tenant: each app keeps them for a minute,
 * so a device list reads them at most once a minute, not once per request. A new set reaches every node
 * within that minute. The tenant's own default currency and manual rates are read with each request (two
 * indexed single-tenant reads), so an edit shows at once on every node.
 */
export interface EcbRateCache {
  get(load: () => Promise<EcbRate[]>): Promise<EcbRate[]>;
}

export const ECB_RATE_CACHE_MS = 60_000;

export function createEcbRateCache(clock: Clock, ttlMs = ECB_RATE_CACHE_MS): EcbRateCache {
  let kept: { rates: EcbRate[]; until: number } | null = null;
  return {
    async get(load) {
      const now = clock.now().getTime();
      if (kept && now < kept.until) return kept.rates;
      const rates = await load();
      kept = { rates, until: now + ttlMs };
      return rates;
    },
  };
}

/** Everything one request needs to convert prices: read once, then applied to every row. */
export interface TenantConversion {
  defaultCurrency: string;
  rates: RateTable;
  convert(price: string | null, currency: string | null): ConvertedPrice | null;
}

/** Reads the tenant's default currency, its manual rates and the ECB's rates (cached when a cache is given). */
export async function loadTenantConversion(
  money: MoneyRepo,
  cache?: EcbRateCache,
): Promise<TenantConversion> {
  const [defaultCurrency, manual, ecb] = await Promise.all([
    money.defaultCurrency(),
    money.manualRates(),
    ecbRatesOf(money, cache),
  ]);
  return tenantConversion(defaultCurrency, manual.map(manualRateOf), ecb);
}

/** The ECB's rates, through the app's cache when it has one. */
export const ecbRatesOf = (money: MoneyRepo, cache?: EcbRateCache): Promise<EcbRate[]> =>
  cache ? cache.get(() => money.ecbRates()) : money.ecbRates();

/** A tenant's conversion from its default currency and rates, however they were read. */
export function tenantConversion(
  defaultCurrency: string,
  manual: readonly ManualRate[],
  ecb: readonly EcbRate[],
): TenantConversion {
  const rates = rateTable(ecb, manual);
  return {
    defaultCurrency,
    rates,
    convert: (price, currency) => convertAmount(price, currency, defaultCurrency, rates),
  };
}
