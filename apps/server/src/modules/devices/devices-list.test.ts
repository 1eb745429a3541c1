import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';

interface Listed {
  id: string;
  number: number;
  name: string;
  status: string;
  barcode: string | null;
}

describe.each(databaseTargets())('device lists on $name', (target) => {
  let h: DevicesHarness;
  let laptops = '';
  let phones = '';
  let loaner = '';
  let place = '';
  const byNumber = new Map<number, Listed>();

  beforeAll(async () => {
    h = await startDevicesHarness(target);
    h.signIn('administrator');
    const settings = (await h.call('GET', '/inventory-settings')).body;
    await h.call('PUT', '/inventory-settings', { ...settings, barcodeMode: 'asset_id' });
    laptops = (await h.call('POST', '/categories', { name: 'Laptops' })).body.id;
    phones = (await h.call('POST', '/categories', { name: 'Phones' })).body.id;
    loaner = (await h.call('POST', '/tags', { name: 'Loaner', color: 'teal' })).body.id;
    place = (await h.call('POST', '/places', { name: 'Lisbon office' })).body.id;
    const names = [
      'Zenbook',
      'aspire',
      'Latitude',
      'MacBook Air',
      'iPhone 15',
      'Pixel 8',
      'Galaxy S24',
      'ThinkPad T14',
    ];
    for (let i = 0; i < 24; i++) {
      const name = `${names[i % names.length]} ${String(i).padStart(2, '0')}`;
      const res = await h.call('POST', '/devices', {
        name,
        serial: `SN-${1000 + i}`,
        categoryId: i % 2 === 0 ? laptops : phones,
        // Every third device has no barcode: those sort as empty.
        barcode: i % 3 === 0 ? null : `BC-${String(97 - i).padStart(3, '0')}`,
        tagIds: i % 4 === 0 ? [loaner] : [],
        ...(i % 5 === 0
          ? { assignee: { kind: 'employee', reference: h.people[i % h.people.length]!.reference } }
          : {}),
        ...(i % 7 === 0 ? { assignee: { kind: 'place', placeId: place } } : {}),
        ...(i % 6 === 1 ? { status: 'damaged' } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      byNumber.set(res.body.number, res.body);
    }
  });
  afterAll(() => h?.close());

  /** Follows every cursor of a query and returns the rows in order. */
  const everyPage = async (query: string, limit: number) => {
    const rows: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { devices: Listed[]; nextCursor: string | null; total: number } } =
        await h.call(
          'GET',
          `/devices?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
      expect(page.status).toBe(200);
      rows.push(...page.body.devices);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return rows;
  };

  it('DEV-9: every sort, both directions, pages through all devices once, in order', async () => {
    const all = [...byNumber.values()];
    const orders: Record<string, (d: Listed) => string | number> = {
      number: (d) => d.number,
      name: (d) => d.name.toLowerCase(),
      barcode: (d) => (d.barcode ?? '').toLowerCase(),
    };
    for (const [sort, key] of Object.entries(orders)) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await everyPage(`sort=${sort}&order=${order}`, 5);
        const expected = [...all].sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          const compared = x < y ? -1 : x > y ? 1 : a.number - b.number;
          return order === 'asc' ? compared : -compared;
        });
        expect(
          rows.map((r) => r.number),
          `${sort} ${order}`,
        ).toEqual(expected.map((d) => d.number));
      }
    }
    for (const sort of ['created', 'modified']) {
      const rows = await everyPage(`sort=${sort}&order=asc`, 7);
      expect(new Set(rows.map((r) => r.id)).size).toBe(all.length);
    }
  });

  it('DEV-9: filters by status, category, tag and assignee combine, and the total counts every page', async () => {
    const count = async (query: string) => {
      const res = await h.call('GET', `/devices?${query}&limit=3`);
      expect(res.status).toBe(200);
      return res.body.total as number;
    };
    const all = [...byNumber.values()] as unknown as {
      status: string;
      category: { id: string } | null;
      tags: { id: string }[];
      assignee: { kind: string; reference?: string; placeId?: string };
    }[];
    expect(await count('')).toBe(24);
    expect(await count('status=damaged')).toBe(all.filter((d) => d.status === 'damaged').length);
    expect(await count('status=damaged,in_use')).toBe(
      all.filter((d) => ['damaged', 'in_use'].includes(d.status)).length,
    );
    expect(await count(`categoryId=${laptops}`)).toBe(12);
    expect(await count(`tagId=${loaner}`)).toBe(6);
    expect(await count(`categoryId=${phones}&tagId=${loaner}`)).toBe(0);
    expect(await count(`assignee=place:${place}`)).toBe(
      all.filter((d) => d.assignee.kind === 'place').length,
    );
    expect(await count('assignee=it')).toBe(all.filter((d) => d.assignee.kind === 'it').length);
    const reference = h.people[0]!.reference;
    expect(await count(`assignee=employee:${reference}`)).toBe(
      all.filter((d) => d.assignee.kind === 'employee' && d.assignee.reference === reference).length,
    );
  });

  it('DEV-9: search finds devices by name, serial, barcode and number, from a fragment, in any case', async () => {
    const names = async (search: string) => {
      const res = await h.call(
        'GET',
        `/devices?search=${encodeURIComponent(search)}&limit=50&sort=number&order=asc`,
      );
      expect(res.status).toBe(200);
      return (res.body.devices as Listed[]).map((d) => d.name);
    };
    expect(await names('macbook')).toEqual(['MacBook Air 03', 'MacBook Air 11', 'MacBook Air 19']);
    expect(await names('OOK AIR 1')).toEqual(['MacBook Air 11', 'MacBook Air 19']);
    expect(await names('sn-1005')).toEqual(['Pixel 8 05']);
    const withBarcode = [...byNumber.values()].find((d) => d.barcode === 'BC-090')!;
    expect(await names('bc-090')).toEqual([withBarcode.name]);
    const first = [...byNumber.values()].sort((a, b) => a.number - b.number)[0]!;
    expect(await names(`#${first.number} `)).toContain(first.name);
    expect(await names('zz')).toEqual([]);
    // Two characters: too short for the trigram index, still answered.
    expect((await names('t1')).sort()).toEqual(
      ['ThinkPad T14 07', 'ThinkPad T14 15', 'ThinkPad T14 23'].sort(),
    );
    // LIKE wildcards are literal text.
    expect(await names('%')).toEqual([]);
  });

  it('DEV-9: a cursor from another sort, or a forged one, is refused with a clear message', async () => {
    const page = await h.call('GET', '/devices?sort=name&limit=2');
    const wrongSort = await h.call('GET', `/devices?sort=number&cursor=${page.body.nextCursor}`);
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.message).toMatch(/cursor/);
    expect((await h.call('GET', '/devices?cursor=bm90IGpzb24')).status).toBe(400);
    expect((await h.call('GET', '/devices?status=broken')).status).toBe(400);
  });
});
