import type { DeviceListQuery } from '@thestorage/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock';
import { type DatabaseHandle, openSqlite } from '../../platform/db/connect';
import { migrateTo, migrateToLatest } from '../../platform/db/migrations';
import type { DevicesTable } from '../../platform/db/schema';
import { withTenant } from '../../platform/db/tenant-scope';
import { createRepos } from '../../repos';
import { createOrganizationWithTenant } from '../tenants/tenant-service';
import { deviceRowFor } from './devices-test-harness';
import { devicesRepo, nextSearchRowid, SEARCH_RANGE } from './repo';

const clock = new ManualClock('2026-03-01T09:00:00.000Z');

// SQLite only: PostgreSQL searches through its pg_trgm index, which filters by tenant in the same scan.
describe('SQLite search rowids in a range for each tenant', () => {
  let handle: DatabaseHandle;
  const tenants: string[] = [];
  const insert = (tenantId: string, rows: DevicesTable[]) =>
    withTenant(handle, tenantId, (trx) => trx.insertInto('devices').values(rows).execute());
  const search = (tenantId: string, text: string, extra: Partial<DeviceListQuery> = {}) =>
    withTenant(handle, tenantId, (trx) =>
      devicesRepo(trx, tenantId, 'sqlite').list(
        { search: text, limit: 10, sort: 'number', order: 'asc', ...extra } as DeviceListQuery,
        '2026-03-01',
      ),
    );
  const rowidsOf = async (tenantId: string) =>
    (
      await sql<{
        rowid: number;
        slot: number;
      }>`select devices.search_rowid as rowid, ranges.slot
        from devices join device_search_ranges ranges on ranges.tenant_id = devices.tenant_id where devices.tenant_id = ${tenantId}`.execute(
        handle.db,
      )
    ).rows;

  beforeAll(async () => {
    handle = openSqlite(':memory:');
    // The schema before tenants had ranges, with devices indexed under rowids 1, 2, 3… across tenants.
    await migrateTo(handle, '0019-device-lean-indexes');
    const repos = createRepos(handle);
    for (const name of ['Acme', 'Globex']) {
      const created = await createOrganizationWithTenant(
        { name, slug: `${name.toLowerCase()}-sr`, clock },
        repos,
      );
      tenants.push(String(created.tenant.id));
    }
    const [acme, globex] = tenants as [string, string];
    // Interleaved, so each tenant's old rowids are scattered among the other's.
    for (let i = 1; i <= 30; i++) {
      await insert(acme, [deviceRowFor(acme, i, `Shared laptop ${i}`)]);
      await insert(globex, [deviceRowFor(globex, i, i <= 5 ? `Shared phone ${i}` : `Globex monitor ${i}`)]);
    }
    await migrateToLatest(handle);
  });
  afterAll(() => handle?.destroy());

  it('SPEC 9, DEV-9: the migration gives each tenant a slot and renumbers its devices within its range, indexed again', async () => {
    const slots = new Set<number>();
    for (const tenantId of tenants) {
      const rows = await rowidsOf(tenantId);
      expect(rows).toHaveLength(30);
      const slot = rows[0]!.slot;
      expect(slot).toBeGreaterThan(0);
      slots.add(slot);
      for (const row of rows) {
        expect(row.rowid).toBeGreaterThan(slot * SEARCH_RANGE);
        expect(row.rowid).toBeLessThan((slot + 1) * SEARCH_RANGE);
      }
    }
    expect(slots.size).toBe(2);
    // The FTS index holds exactly the devices, under their new rowids, with their text.
    const { rows: stray } = await sql<{ n: number }>`select count(*) as n from devices_fts
      where rowid not in (select search_rowid from devices)`.execute(handle.db);
    expect(Number(stray[0]!.n)).toBe(0);
    const { rows: indexed } = await sql<{ n: number }>`select count(*) as n from devices_fts
      where devices_fts match '"shared"'`.execute(handle.db);
    expect(Number(indexed[0]!.n)).toBe(35);
  });

  it('DEV-9, SEC-8: a search finds and counts only its own tenant matches, narrow or with other filters', async () => {
    const [acme, globex] = tenants as [string, string];
    const acmeShared = await search(acme, 'shared');
    expect(acmeShared.total).toBe(30);
    expect(acmeShared.rows.every((r) => r.tenant_id === acme)).toBe(true);
    const globexShared = await search(globex, 'Shared');
    expect(globexShared).toMatchObject({ total: 5, totalCapped: false });
    expect(globexShared.rows.map((r) => r.name)).toEqual([1, 2, 3, 4, 5].map((i) => `Shared phone ${i}`));
    expect((await search(globex, 'shared', { status: ['new'] })).total).toBe(5);
    expect((await search(acme, 'phone')).total).toBe(0);
  });

  it('SPEC 9: a new tenant takes the next slot; its devices, imported or not, take rowids of its range', async () => {
    const created = await createOrganizationWithTenant(
      { name: 'Initech', slug: 'initech-sr', clock },
      createRepos(handle),
    );
    const initech = String(created.tenant.id);
    await insert(initech, [deviceRowFor(initech, 1, 'Shared printer 1')]);
    const [row] = await rowidsOf(initech);
    const { rows: slots } = await sql<{
      max: number;
    }>`select max(slot) as max from device_search_ranges`.execute(handle.db);
    expect(row!.slot).toBe(Number(slots[0]!.max));
    expect(row!.rowid).toBe(row!.slot * SEARCH_RANGE + 1);
    // What the importer asks for: the next free rowid of the same range.
    const { rows: next } = await withTenant(handle, initech, (trx) =>
      sql<{ next: number }>`select ${nextSearchRowid(initech)} as next`.execute(trx),
    );
    expect(Number(next[0]!.next)).toBe(row!.rowid + 1);
    expect((await search(initech, 'shared')).total).toBe(1);
  });

  it('DEV-7: a device moved to another tenant is indexed again in that tenant range, and only there', async () => {
    const [acme, globex] = tenants as [string, string];
    const { rows } = await sql<{ id: string; search_rowid: number }>`select id, search_rowid from devices
      where tenant_id = ${acme} and name = 'Shared laptop 7'`.execute(handle.db);
    const moved = rows[0]!;
    await sql`update devices set tenant_id = ${globex}, number = 31 where id = ${moved.id}`.execute(
      handle.db,
    );
    const after = (await rowidsOf(globex)).find(
      (r) => r.rowid !== moved.search_rowid && r.rowid % SEARCH_RANGE === 31,
    );
    expect(after).toBeDefined();
    const { rows: old } = await sql<{ n: number }>`select count(*) as n from devices_fts
      where rowid = ${moved.search_rowid}`.execute(handle.db);
    expect(Number(old[0]!.n)).toBe(0);
    expect((await search(acme, 'shared laptop 7')).total).toBe(0);
    const found = await search(globex, 'shared laptop 7');
    expect(found.rows.map((r) => r.id)).toEqual([moved.id]);
    expect((await search(globex, 'shared')).total).toBe(6);
  });
});
