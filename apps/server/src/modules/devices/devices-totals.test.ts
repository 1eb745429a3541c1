import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { newId } from '../../platform/db/ids';
import type { DevicesTable } from '../../platform/db/schema';
import { withTenant } from '../../platform/db/tenant-scope';
import { type DevicesHarness, START, startDevicesHarness } from './devices-test-harness';
import { searchTextOf, TOTAL_CAP } from './repo';

describe.each(databaseTargets())('device list totals on $name', (target) => {
  let h: DevicesHarness;
  let laptops = '';

  beforeAll(async () => {
    h = await startDevicesHarness(target);
    h.signIn('administrator', h.tenantB);
    laptops = (await h.call('POST', '/categories', { name: 'Laptops' })).body.id;
    // TOTAL_CAP + 1 laptops, written directly (the API would take minutes): all in use but the last, damaged.
    const rows: DevicesTable[] = Array.from({ length: TOTAL_CAP + 1 }, (_, i) => {
      const number = i + 1;
      const fields = { name: `Bulk laptop ${number}`, serial: null, barcode: null };
      return {
        id: newId(),
        tenant_id: h.tenantB,
        number,
        ...fields,
        name_key: fields.name.toLowerCase(),
        serial_key: null,
        barcode_key: null,
        category_id: laptops,
        attribute_values: '{}',
        status: number === TOTAL_CAP + 1 ? 'damaged' : 'in_use',
        ever_assigned: 1,
        assignee_kind: 'it',
        employee_ref: null,
        place_id: null,
        price: null,
        currency: null,
        vendor_id: null,
        invoice_number: null,
        invoice_date: null,
        po_extension: null,
        warranty_end: null,
        invoice_file_id: null,
        image_file_id: null,
        search_text: searchTextOf(number, fields),
        created_at: START,
        updated_at: START,
        version: 1,
      };
    });
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
});
