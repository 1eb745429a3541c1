import { sql, type Transaction } from 'kysely';
import type { DB, ManualExchangeRateRow } from '../../platform/db/schema';
import type { CurrencySum, EcbRate } from './conversion';

/** A new tenant converts into euros until an Administrator chooses another currency. */
export const DEFAULT_CURRENCY = 'EUR';

export interface MoneySettingsFields {
  default_currency: string;
  updated_at: string;
  version: number;
}

/**
 * Cents of a device's price. Prices are decimal text with at most 2 decimals and 12 digits before the point,
 * so the nearest double times 100, rounded, is exactly the cents (error ≤ 0.02 ≪ 0.5); the sum is then
 * integer arithmetic on both databases. `double precision` and `bigint` mean the same on SQLite and pg.
 */
const priceCents = sql<string>`cast(round(cast(price as double precision) * 100) as bigint)`;

/** The tenant's money settings and manual rates (issue 7, DEV-1), bound to one tenant. */
export const moneyRepo = (trx: Transaction<DB>, tenantId: string) => {
  const readSettings = () =>
    trx
      .selectFrom('money_settings')
      .select(['default_currency', 'updated_at', 'version'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst()
      .then((row) => row && { ...row, version: Number(row.version) });

  const asRate = (row: ManualExchangeRateRow): ManualExchangeRateRow => ({
    ...row,
    version: Number(row.version),
  });

  return {
    /** The currency prices are converted into; EUR while the tenant has not chosen (no row is made). */
    async defaultCurrency(): Promise<string> {
      return (await readSettings())?.default_currency ?? DEFAULT_CURRENCY;
    },

    /** The settings row, made with its defaults the first time anyone reads it for editing. */
    async settings(now: Date): Promise<MoneySettingsFields> {
      await trx
        .insertInto('money_settings')
        .values({
          tenant_id: tenantId,
          default_currency: DEFAULT_CURRENCY,
          updated_at: now.toISOString(),
          version: 1,
        })
        .onConflict((oc) => oc.column('tenant_id').doNothing())
        .execute();
      return (await readSettings())!;
    },

    /** Changes only the version the caller read (DEV-6); undefined when it is stale. */
    async updateSettings(
      expectedVersion: number,
      defaultCurrency: string,
      now: Date,
    ): Promise<MoneySettingsFields | undefined> {
      const result = await trx
        .updateTable('money_settings')
        .set({
          default_currency: defaultCurrency,
          updated_at: now.toISOString(),
          version: expectedVersion + 1,
        })
        .where('tenant_id', '=', tenantId)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return readSettings();
    },

    async manualRates(): Promise<ManualExchangeRateRow[]> {
      const rows = await trx
        .selectFrom('manual_exchange_rates')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('currency')
        .execute();
      return rows.map(asRate);
    },

    async manualRate(currency: string): Promise<ManualExchangeRateRow | undefined> {
      const row = await trx
        .selectFrom('manual_exchange_rates')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('currency', '=', currency)
        .executeTakeFirst();
      return row && asRate(row);
    },

    /** Throws a unique violation when the tenant already has a rate for the currency. */
    async addManualRate(currency: string, perEur: string, now: Date): Promise<ManualExchangeRateRow> {
      const at = now.toISOString();
      const row = {
        tenant_id: tenantId,
        currency,
        per_eur: perEur,
        created_at: at,
        updated_at: at,
        version: 1,
      };
      await trx.insertInto('manual_exchange_rates').values(row).execute();
      return row;
    },

    /** Changes only the version the caller read (DEV-6); undefined when it is stale or gone. */
    async updateManualRate(
      currency: string,
      expectedVersion: number,
      perEur: string,
      now: Date,
    ): Promise<ManualExchangeRateRow | undefined> {
      const result = await trx
        .updateTable('manual_exchange_rates')
        .set({ per_eur: perEur, updated_at: now.toISOString(), version: expectedVersion + 1 })
        .where('tenant_id', '=', tenantId)
        .where('currency', '=', currency)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      const row = await trx
        .selectFrom('manual_exchange_rates')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('currency', '=', currency)
        .executeTakeFirstOrThrow();
      return asRate(row);
    },

    /** Deletes only the version the caller read (DEV-6). */
    async removeManualRate(currency: string, expectedVersion: number): Promise<boolean> {
      const result = await trx
        .deleteFrom('manual_exchange_rates')
        .where('tenant_id', '=', tenantId)
        .where('currency', '=', currency)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /** The ECB's reference rates (platform data, the same for every tenant). */
    async ecbRates(): Promise<EcbRate[]> {
      const rows = await trx
        .selectFrom('exchange_rates')
        .select(['currency', 'per_eur', 'rate_date'])
        .execute();
      return rows.map((r) => ({ currency: r.currency, perEur: r.per_eur, date: r.rate_date }));
    },

    /** DEV-1 totals: exact sums of the tenant's prices per currency (one scan, grouped in SQL). */
    async priceSumsByCurrency(): Promise<CurrencySum[]> {
      const rows = await trx
        .selectFrom('devices')
        .select([
          'currency',
          (eb) => eb.fn.countAll<number>().as('device_count'),
          sql<string>`cast(sum(${priceCents}) as text)`.as('cents'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('price', 'is not', null)
        .groupBy('currency')
        .execute();
      return rows.map((r) => ({
        currency: r.currency,
        cents: String(r.cents ?? '0'),
        deviceCount: Number(r.device_count),
      }));
    },
  };
};

export type MoneyRepo = ReturnType<typeof moneyRepo>;
