import { deviceListQuerySchema } from '@thestorage/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { withTenant } from '../../platform/db/tenant-scope';
import { markDevicesChanged } from '../catalog/repo';
import {
  type DevicesHarness,
  deviceRowFor,
  startDevicesHarness,
  statementCounter,
} from './devices-test-harness';
import { devicesRepo, TOTAL_CAP } from './repo';
import { DeviceTotals } from './totals-cache';

describe.each(databaseTargets())('device list totals on $name', (target) => {
  let h: DevicesHarness;
  let laptops = '';

  beforeAll(async () => {
    h = await startDevicesHarness(target);
    h.signIn('administrator', h.tenantB);
    laptops = (await h.call('POST', '/categories', { name: 'Laptops' })).body.id;
    // TOTAL_CAP + 1 laptops, written directly (the API would take minutes): all in use but the last, damaged.
    const rows = Array.from({ length: TOTAL_CAP + 1 }, (_, i) =>
      deviceRowFor(h.tenantB, i + 1, `Bulk laptop ${i + 1}`, {
        category_id: laptops,
        status: i === TOTAL_CAP ? 'damaged' : 'in_use',
        ever_assigned: 1,
      }),
    );
    await withTenant(h.t.handle, h.tenantB, async (trx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('devices')
          .values(rows.slice(i, i + 500))
          .execute();
      }
    });
  }, 120_000);
  afterAll(() => h?.close());

  const totalOf = async (query: string) => {
    const res = await h.call('GET', `/devices?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { total: res.body.total, totalCapped: res.body.totalCapped, shown: res.body.devices.length };
  };

  it('DEV-9: totals are exact up to 10,000 and "more than" beyond, with and without filters', async () => {
    const capped = { total: TOTAL_CAP, totalCapped: true };
    const exactCap = { total: TOTAL_CAP, totalCapped: false };
    expect(await totalOf('limit=50')).toMatchObject({ ...capped, shown: 50 });
    expect(await totalOf('limit=50&status=in_use')).toMatchObject(exactCap);
    expect(await totalOf('limit=50&status=in_use,damaged&sort=name')).toMatchObject(capped);
    expect(await totalOf(`limit=50&categoryId=${laptops}`)).toMatchObject(capped);
    expect(await totalOf(`limit=50&categoryId=${laptops}&status=in_use`)).toMatchObject(exactCap);
    expect(await totalOf('limit=50&search=bulk')).toMatchObject(capped);
    expect(await totalOf('limit=50&assignee=it&status=damaged')).toMatchObject({
      total: 1,
      totalCapped: false,
    });
  });

  it('DEV-9: a broad search (thousands of matches) pages through them in the sort order', async () => {
    const names = (res: { body: { devices: { name: string }[] } }) => res.body.devices.map((d) => d.name);
    const first = await h.call('GET', '/devices?limit=5&search=bulk%20laptop&sort=number&order=asc');
    expect(names(first)).toEqual([1, 2, 3, 4, 5].map((n) => `Bulk laptop ${n}`));
    expect(first.body).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    const second = await h.call(
      'GET',
      `/devices?limit=5&search=bulk%20laptop&sort=number&order=asc&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(names(second)).toEqual([6, 7, 8, 9, 10].map((n) => `Bulk laptop ${n}`));
    const byName = await h.call('GET', '/devices?limit=3&search=laptop%209&sort=name&order=desc');
    expect(names(byName)).toEqual(['Bulk laptop 9999', 'Bulk laptop 9998', 'Bulk laptop 9997']);
    expect(byName.body).toMatchObject({ total: 1111, totalCapped: false });
  });

  it('DEV-9: a broad search read in the same transaction leaves the planner as it found it (PostgreSQL walks the sort order for that one read)', async () => {
    const query = deviceListQuerySchema.parse({
      limit: '3',
      search: 'bulk laptop',
      sort: 'number',
      order: 'desc',
    });
    const settings = sql<{ seqscan: string; bitmapscan: string; sort: string }>`select
      current_setting('enable_seqscan') as seqscan, current_setting('enable_bitmapscan') as bitmapscan,
      current_setting('enable_sort') as sort`;
    const { page, before, after } = await withTenant(h.t.handle, h.tenantB, async (trx) => {
      const repo = devicesRepo(trx, h.tenantB, h.t.handle.dialect, new DeviceTotals());
      const before = h.t.handle.dialect === 'postgres' ? (await settings.execute(trx)).rows[0] : null;
      const page = await repo.list(query, '2026-01-01');
      const after = h.t.handle.dialect === 'postgres' ? (await settings.execute(trx)).rows[0] : null;
      return { page, before, after };
    });
    expect(page.rows.map((row) => row.name)).toEqual([
      'Bulk laptop 10001',
      'Bulk laptop 10000',
      'Bulk laptop 9999',
    ]);
    expect(page).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(after).toEqual(before);
    if (h.t.handle.dialect === 'postgres')
      expect(after).toEqual({ seqscan: 'on', bitmapscan: 'on', sort: 'on' });
  });

  it('DEV-9: a first page that holds every match, and every later page, report the same total', async () => {
    expect(await totalOf('limit=50&status=damaged')).toEqual({ total: 1, totalCapped: false, shown: 1 });
    // "laptop 1000", "laptop 10000" and "laptop 10001".
    expect(await totalOf('limit=50&search=laptop%201000')).toEqual({
      total: 3,
      totalCapped: false,
      shown: 3,
    });
    expect(await totalOf('limit=2&search=laptop%201000')).toEqual({
      total: 3,
      totalCapped: false,
      shown: 2,
    });
    expect(await totalOf('limit=50&status=missing')).toEqual({ total: 0, totalCapped: false, shown: 0 });
    const first = await h.call('GET', '/devices?limit=10&search=laptop%20100&sort=number');
    // "laptop 100", "laptop 1000"…"laptop 1009", "laptop 10000", "laptop 10001": 13 matches.
    expect(first.body).toMatchObject({ total: 13, totalCapped: false });
    const second = await h.call(
      'GET',
      `/devices?limit=10&search=laptop%20100&sort=number&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.body).toMatchObject({ total: 13, totalCapped: false, nextCursor: null });
    expect(second.body.devices).toHaveLength(3);
  });

  it('DEV-9: a narrow search pages through its matches in every sort and order, each match once', async () => {
    h.signIn('administrator', h.tenantB);
    // "laptop 100": "Bulk laptop 100", "…1000"…"…1009", "…10000", "…10001" (13 matches, a narrow search).
    const numbers = [100, ...Array.from({ length: 10 }, (_, i) => 1000 + i), 10000, 10001];
    for (const sort of ['number', 'name', 'barcode', 'created', 'modified'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        // Barcodes are empty and times equal here: those sorts fall back to the number.
        const key = (n: number) => (sort === 'name' ? `bulk laptop ${n}` : '');
        const expected = [...numbers].sort((a, b) => {
          const byKey = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a - b;
          return order === 'asc' ? byKey || a - b : -byKey || b - a;
        });
        const seen: number[] = [];
        let cursor: string | null = null;
        do {
          const res = await h.call(
            'GET',
            `/devices?limit=4&search=laptop%20100&sort=${sort}&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body.total).toBe(13);
          seen.push(...res.body.devices.map((d: { number: number }) => d.number));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(seen, `${sort} ${order}`).toEqual(expected);
      }
    }
  });

  it('DEV-9: a total is kept for the tenant devices version; every write that changes matches counts again', async () => {
    h.signIn('administrator', h.tenantA);
    // limit=1, and every figure checked is above 1: the first page never holds all the matches, so the
    // total is a count (kept or not), not the page's own length.
    const totals = async () => ({
      all: (await totalOf('limit=1')).total,
      fresh: (await totalOf('limit=1&status=new')).total,
      search: (await totalOf('limit=1&search=kept%20total')).total,
      tagged: (await totalOf(`limit=1&tagId=${tag}`)).total,
    });
    const create = async (name: string) => {
      const res = await h.call('POST', '/devices', { name });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { id: string; version: number };
    };
    const tagIt = async (device: { id: string; version: number }) => {
      const res = await h.call('PATCH', `/devices/${device.id}`, { tagIds: [tag], version: device.version });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { id: string; version: number };
    };
    const tag = (await h.call('POST', '/tags', { name: 'Kept', color: 'blue' })).body.id as string;
    const devices = [
      await create('Kept total 1'),
      await create('Kept total 2'),
      await create('Kept total 3'),
    ];
    devices[2] = await tagIt(devices[2]!);
    expect(await totals()).toEqual({ all: 3, fresh: 3, search: 3, tagged: 1 });

    // A row written behind the app's back (no version raised) is not counted: the kept totals answer.
    const stray = deviceRowFor(h.tenantA, 1000, 'Kept total stray');
    await withTenant(h.t.handle, h.tenantA, (trx) => trx.insertInto('devices').values(stray).execute());
    expect((await totalOf('limit=1')).total).toBe(3);

    // Create: counted again (the stray row too, now that the version moved on).
    let fourth = await create('Kept total 4');
    expect(await totals()).toEqual({ all: 5, fresh: 5, search: 5, tagged: 1 });

    // Tags, then an edit of the status alone.
    fourth = await tagIt(fourth);
    expect(await totals()).toEqual({ all: 5, fresh: 5, search: 5, tagged: 2 });
    const edited = await h.call('PATCH', `/devices/${fourth.id}`, {
      status: 'damaged',
      version: fourth.version,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(await totals()).toEqual({ all: 5, fresh: 4, search: 5, tagged: 2 });

    // Delete a device.
    const removed = await h.call('DELETE', `/devices/${devices[0]!.id}?version=${devices[0]!.version}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    expect(await totals()).toEqual({ all: 4, fresh: 3, search: 4, tagged: 2 });

    // Move: one fewer here, one more there (whose total was kept before the move).
    h.signIn('administrator', h.tenantA2);
    await create('Kept total there 1');
    await create('Kept total there 2');
    expect((await totalOf('limit=1&search=kept%20total')).total).toBe(2);
    h.signIn('administrator', h.tenantA);
    const moved = await h.call('POST', `/devices/${devices[1]!.id}/move`, {
      tenantId: h.tenantA2,
      keepBarcode: true,
      version: devices[1]!.version,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await totals()).toEqual({ all: 3, fresh: 2, search: 3, tagged: 2 });
    h.signIn('administrator', h.tenantA2);
    expect((await totalOf('limit=1&search=kept%20total')).total).toBe(3);
  });

  it('DEV-9: the view settings carry the devices version, and a list given it keys its kept totals by it without reading it again', async () => {
    const query = deviceListQuerySchema.parse({ limit: '1' });
    const { version, given, unknown } = await withTenant(h.t.handle, h.tenantB, async (trx) => {
      const totals = new DeviceTotals();
      const repo = devicesRepo(trx, h.tenantB, h.t.handle.dialect, totals);
      // Tenant B's devices were written behind the API's back: its settings row is made here.
      await repo.settings(new Date('2026-01-01T00:00:00Z'));
      const { devicesVersion } = await repo.viewSettings();
      const row = await trx
        .selectFrom('inventory_settings')
        .select('devices_version')
        .where('tenant_id', '=', h.tenantB)
        .executeTakeFirst();
      // A total kept under a version the tenant never had answers only a list told that version.
      const key = (v: number) => DeviceTotals.key(h.tenantB, v, ['', '', [], '', '', '', '']);
      totals.set(key(987_654), 42);
      const given = await repo.list(query, '2026-01-01', { devicesVersion: 987_654 });
      const unknown = await repo.list(query, '2026-01-01', { devicesVersion: null });
      return { version: { read: devicesVersion, row: row?.devices_version ?? null }, given, unknown };
    });
    expect(version.read).not.toBeNull();
    expect(version.read).toBe(Number(version.row));
    expect(given).toMatchObject({ total: 42, totalCapped: false });
    // No settings row said: nothing kept, so the list counts.
    expect(unknown).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
  });
  it('DEV-9: repeating a search runs one statement fewer (SQLite keeps its FTS match count, PostgreSQL its total) until a write', async () => {
    const statements = statementCounter();
    const handle = { ...h.t.handle, db: h.t.handle.db.withPlugin(statements.plugin) };
    const totals = new DeviceTotals();
    const query = deviceListQuerySchema.parse({ limit: '5', search: 'bulk laptop' });
    const list = async () => {
      const page = await withTenant(handle, h.tenantB, async (trx) => {
        const repo = devicesRepo(trx, h.tenantB, h.t.handle.dialect, totals);
        await repo.settings(new Date('2026-01-01T00:00:00Z'));
        statements.count = 0;
        return repo.list(query, '2026-01-01');
      });
      return { statements: statements.count, total: page.total, totalCapped: page.totalCapped };
    };
    const first = await list();
    const again = await list();
    expect(first).toMatchObject({ total: TOTAL_CAP, totalCapped: true });
    expect(again).toEqual({ ...first, statements: first.statements - 1 });
    expect(await list()).toEqual(again);
    // A write raises the devices version: counted again.
    await withTenant(h.t.handle, h.tenantB, (trx) => markDevicesChanged(trx, [h.tenantB]));
    expect(await list()).toEqual(first);
  });
});
