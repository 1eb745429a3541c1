import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * DEV-9 on SQLite: counting a broad text search walks (tenant, search rowid) pairs of an index instead of
 * reading every device row. PostgreSQL has no search_rowid (its pg_trgm index serves search).
 */
export const deviceSearchIndex = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    if (t.dialect !== 'sqlite') return;
    await sql`create index devices_tenant_search_idx on devices (tenant_id, search_rowid)`.execute(db);
  },
});
