import { type Kysely, sql } from 'kysely';
import type { ColumnTypes } from '../dialect-types';

/**
 * SPEC 9 (search p95) on SQLite: the one FTS5 index holds every tenant's devices, so a search had to join
 * each match back to its device to keep the tenant's own — 16,000 lookups to count the matches of
 * "thinkpad". Each tenant now gets a slot, and its devices search rowids in a range of their own
 * (slot × 2³², up to 2³² − 1 devices a tenant; slots stay below 2²¹, so every rowid is an exact JavaScript
 * number): FTS5 restricts a match to that rowid range by itself, and counts it without reading a device.
 *
 * Kept true by triggers, whatever writes the rows: a new tenant takes the next slot; a device inserted
 * without a rowid takes the next one of its tenant's range; a device moved to another tenant (DEV-7) is
 * indexed again under a rowid of the new tenant's range. The importer, which sets rowids itself, takes
 * them from its tenant's range too. PostgreSQL's pg_trgm index needs nothing.
 */
export const deviceSearchRanges = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    if (t.dialect !== 'sqlite') return;
    const range = sql.lit(4294967296);
    // A table of its own, not a column of tenants: only SQLite has it, and tenant rows read the same on both.
    await sql`create table device_search_ranges (
        tenant_id text primary key references tenants (id) on delete cascade,
        slot integer not null unique)`.execute(db);
    await sql`insert into device_search_ranges (tenant_id, slot)
        select id, row_number() over (order by created_at, id) from tenants`.execute(db);
    await sql`create trigger tenants_search_range after insert on tenants begin
        insert into device_search_ranges (tenant_id, slot)
          values (new.id, coalesce((select max(slot) from device_search_ranges), 0) + 1);
      end`.execute(db);

    // Every device again, numbered within its tenant's range (old rowids are all below 2³², so none collide),
    // into a new index: deleting 100,000 rows from the old one would leave a delete marker for each of them
    // for every search to read past. One insert and a merge leave a single compact segment.
    await sql`drop table devices_fts`.execute(db);
    await sql`create virtual table devices_fts using fts5(search_text, tokenize='trigram')`.execute(db);
    await sql`update devices set search_rowid = (
        select slot * ${range} + n from (
          select devices.id, ranges.slot,
                 row_number() over (partition by devices.tenant_id order by devices.number) as n
            from devices join device_search_ranges ranges on ranges.tenant_id = devices.tenant_id) numbered
         where numbered.id = devices.id)`.execute(db);
    await sql`insert into devices_fts(rowid, search_text) select search_rowid, search_text from devices`.execute(
      db,
    );

    // The next rowid of a tenant's range: the range's greatest, found from the unique index in one step.
    const nextIn = (tenant: string) =>
      sql.raw(`(select coalesce(
          (select max(search_rowid) from devices
            where search_rowid between base and base + 4294967295), base) + 1
        from (select slot * 4294967296 as base from device_search_ranges where tenant_id = ${tenant}))`);
    await sql`drop trigger devices_fts_insert`.execute(db);
    await sql`create trigger devices_fts_insert after insert on devices when new.search_rowid is null begin
        update devices set search_rowid = ${nextIn('new.tenant_id')} where id = new.id;
        insert into devices_fts(rowid, search_text)
          select search_rowid, search_text from devices where id = new.id;
      end`.execute(db);
    await sql`create trigger devices_fts_move after update of tenant_id on devices
        when new.tenant_id is not old.tenant_id begin
        delete from devices_fts where rowid = old.search_rowid;
        update devices set search_rowid = ${nextIn('new.tenant_id')} where id = new.id;
        insert into devices_fts(rowid, search_text)
          select search_rowid, search_text from devices where id = new.id;
      end`.execute(db);
  },
});
