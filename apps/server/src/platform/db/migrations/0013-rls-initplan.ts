import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * PostgreSQL: the tenant policy of every tenant table again, now reading its settings once per query
 * instead of once per row (same rows visible, cheaper scans). A no-op on SQLite.
 */
export const rlsInitPlan = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    if (t.dialect !== 'postgres') return;
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
       where table_schema = current_schema() and column_name = 'tenant_id'
         and table_name in (select tablename from pg_tables where schemaname = current_schema())`.execute(db);
    for (const { table_name } of rows) await protectTenantTable(db, t.dialect, table_name);
  },
});
