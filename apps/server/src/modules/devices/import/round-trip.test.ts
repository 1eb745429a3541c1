import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../../test/support/databases';
import { type DevicesHarness, startDevicesHarness } from '../devices-test-harness';
import { importClient } from './import-test-support';

/** Columns the system sets (numbers, times): they differ after any import, by design. */
const SYSTEM_COLUMNS = new Set(['Number', 'Created', 'Modified']);

describe.each(databaseTargets())('export → import round trip on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
  });
  afterAll(() => h?.close());

  const ok = async (method: 'POST' | 'PUT' | 'PATCH', url: string, body: object) => {
    const res = await h.call(method, url, body);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };

  /** Asset IDs, invoice data and a Laptop category with three typed attributes, in the signed-in tenant. */
  const prepareTenant = async (attributeOrder: string[]) => {
    const settings = (await h.call('GET', '/inventory-settings')).body;
    await ok('PUT', '/inventory-settings', {
      ...settings,
      barcodeMode: 'asset_id',
      invoiceManagement: true,
      customInvoiceData: true,
    });
    const types: Record<string, string> = { RAM: 'number', Model: 'text', Bought: 'date' };
    const category = await ok('POST', '/categories', {
      name: 'Laptop',
      attributes: attributeOrder.map((name) => ({ name, type: types[name] })),
      appendToName: true,
    });
    const place = await ok('POST', '/places', { name: 'Lab' });
    return { category, place };
  };

  const exported = async () => {
    const res = await h.download('/devices/export?format=csv&sort=number&order=asc');
    expect(res.status).toBe(200);
    const rows = parse(res.bytes, { bom: true }) as string[][];
    const header = rows[0]!;
    const keep = header
      .map((title, i) => [title, i] as const)
      .filter(([title]) => !SYSTEM_COLUMNS.has(title));
    return {
      bytes: res.bytes,
      header,
      records: rows
        .slice(1)
        .map((row) => Object.fromEntries(keep.map(([title, i]) => [title, row[i] ?? ''])))
        .sort((a, b) => String(a['Serial number']).localeCompare(String(b['Serial number']))),
    };
  };

  it('DEV-12, DEV-13: a tenant’s export imported into another tenant exports again identically, field by field', async () => {
    h.signIn('administrator', h.tenantA);
    const { category, place } = await prepareTenant(['RAM', 'Model', 'Bought']);
    const attr = Object.fromEntries(
      (category.attributes as { id: string; name: string }[]).map((a) => [a.name, a.id]),
    );
    const vendor = await ok('POST', '/vendors', { name: 'Bechtle', website: 'https://www.bechtle.com' });
    const loaner = await ok('POST', '/tags', { name: 'Loaner', color: 'orange' });
    const remote = await ok('POST', '/tags', { name: 'Remote', color: 'teal' });
    const full = await ok('POST', '/devices', {
      name: 'MacBook Pro',
      serial: 'RT-1',
      categoryId: category.id,
      attributes: { [attr.RAM!]: 32, [attr.Model!]: 'M3 Max', [attr.Bought!]: '2025-02-03' },
      barcode: 'AT-0001',
      price: '3299.90',
      currency: 'EUR',
      vendorId: vendor.id,
      invoiceNumber: 'INV-77',
      invoiceDate: '2025-02-01',
      poExtension: 'PO-9',
      warrantyEnd: '2028-02-01',
      tagIds: [loaner.id, remote.id],
    });
    await ok('POST', `/devices/${full.id}/assign`, {
      assignee: { kind: 'employee', reference: h.people[1]!.reference },
      version: full.version,
    });
    const atPlace = await ok('POST', '/devices', {
      name: 'Dell U2723QE',
      serial: 'RT-2',
      price: '540',
      currency: 'USD',
      status: 'damaged',
    });
    await ok('POST', `/devices/${atPlace.id}/assign`, {
      assignee: { kind: 'place', placeId: place.id },
      version: atPlace.version,
    });
    await ok('POST', '/devices', { name: 'Pixel 8 "spare", =1+2', serial: 'RT-3', status: 'missing' });
    // Written as text with a leading apostrophe (formula injection), read back as typed.
    await ok('POST', '/devices', { name: '=HYPERLINK("x")', serial: '-RT-4', tagIds: [loaner.id] });
    const before = await exported();
    expect(before.records).toHaveLength(4);
    expect(before.records.map((r) => r.Name)).toContain(`'=HYPERLINK("x")`);
    expect(before.header).toEqual(expect.arrayContaining(['RAM', 'Model', 'Bought', 'Employee e-mail']));

    // The other tenant knows the same category (its attributes in another order) and place by name.
    h.signIn('administrator', h.tenantA2);
    await prepareTenant(['Bought', 'Model', 'RAM']);
    const client = importClient(h);
    const uploaded = await client.uploaded(before.bytes, 'export.csv');
    const mapped = Object.fromEntries(uploaded.columns.map((c) => [c.header, c.field]));
    expect(mapped).toMatchObject({
      Number: 'ignore',
      Name: 'name',
      'Serial number': 'serial',
      'Assigned to': 'assigned',
      'Employee e-mail': 'employee',
      RAM: 'attribute',
      Created: 'ignore',
    });
    const done = await client.run(await client.check(uploaded));
    expect(done.status).toBe('completed');
    expect(done.summary).toMatchObject({ rows: 4, create: 4 });

    const after = await exported();
    expect(after.records).toEqual(before.records);
  });
});
