import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * DEV-12 on SQLite: an import indexes its devices for search in one statement per thousand devices.
 * FTS5 flushes its pending terms at every statement savepoint, so the per-row trigger, run inside each
 * INSERT's savepoint, wrote one index segment per device — 100,000 segments to merge for a 100,000-row
 * import. The trigger now leaves alone the rows that arrive with their `search_rowid` already set (only
 * the importer sets it, and it indexes them itself). PostgreSQL's pg_trgm index needs nothing.
 */
export const deviceSearchBulk = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    if (t.dialect !== 'sqlite') return;
    await sql`drop trigger devices_fts_insert`.execute(db);
    await sql`create trigger devices_fts_insert after insert on devices when new.search_rowid is null begin
        update devices set search_rowid = coalesce((select max(search_rowid) from devices), 0) + 1
         where id = new.id;
        insert into devices_fts(rowid, search_text)
          select search_rowid, search_text from devices where id = new.id;
      end`.execute(db);
  },
});
