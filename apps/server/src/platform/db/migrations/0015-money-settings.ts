import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * Money per tenant (issue 7, DEV-1): the default currency prices are converted into (one row per tenant,
 * made on first use, EUR until changed), and manual exchange rates for currencies the ECB does not publish.
 * A manual rate is stored in the ECB's terms, units of the currency per 1 euro, so it stays right when the
 * default currency changes and combines with the ECB's rates into cross rates.
 */
export const moneySettings = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('money_settings')
      .addColumn('tenant_id', t.id, (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('default_currency', t.text, (c) => c.notNull().defaultTo('EUR'))
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();
    await protectTenantTable(db, t.dialect, 'money_settings');

    await db.schema
      .createTable('manual_exchange_rates')
      .addColumn('tenant_id', t.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('currency', t.text, (c) => c.notNull())
      .addColumn('per_eur', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint('manual_exchange_rates_pk', ['tenant_id', 'currency'])
      .execute();
    await protectTenantTable(db, t.dialect, 'manual_exchange_rates');
  },
});
