import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * Exchange rates (issue 7, DEV-1 money): the European Central Bank's daily reference rates per euro,
 * public data shared by every tenant (no tenant_id), and the state of the daily fetch. The last good rates
 * stay when a fetch fails.
 */
export const exchangeRates = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('exchange_rates')
      .addColumn('currency', t.text, (c) => c.primaryKey())
      .addColumn('per_eur', t.text, (c) => c.notNull())
      .addColumn('rate_date', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('exchange_rate_fetches')
      .addColumn('source', t.text, (c) => c.primaryKey())
      .addColumn('url', t.text, (c) => c.notNull())
      .addColumn('last_attempt_at', t.timestamp)
      .addColumn('last_success_at', t.timestamp)
      .addColumn('rate_date', t.text)
      .addColumn('last_error', t.text)
      .execute();
  },
});
