import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { samplePdf, samplePng } from '../../../../../test/support/sample-files';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';

describe.each(databaseTargets())('moving devices and tenant isolation on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
  });
  afterAll(() => h?.close());

  it('DEV-7: an employee assignment is kept, category, tags and vendor follow by name, the barcode when asked', async () => {
    h.signIn('administrator', h.tenantA2);
    const targetCategory = await h.call('POST', '/categories', {
      name: 'laptops',
      attributes: [{ name: 'Screen', type: 'number' }],
    });
    await h.call('POST', '/tags', { name: 'Loaner', color: 'blue' });
    h.signIn('administrator');
    const settings = (await h.call('GET', '/inventory-settings')).body;
    await h.call('PUT', '/inventory-settings', { ...settings, barcodeMode: 'asset_id' });
    const category = await h.call('POST', '/categories', {
      name: 'Laptops',
      attributes: [
        { name: 'Screen', type: 'number' },
        { name: 'Chip', type: 'text' },
      ],
    });
    const [screen, chip] = category.body.attributes.map((a: { id: string }) => a.id);
    const tag = await h.call('POST', '/tags', { name: 'loaner', color: 'teal' });
    const other = await h.call('POST', '/tags', { name: 'Berlin only', color: 'red' });
    const vendor = await h.call('POST', '/vendors', { name: 'Lenovo' });
    const device = await h.call('POST', '/devices', {
      name: 'ThinkPad X1',
      categoryId: category.body.id,
      attributes: { [screen]: 14, [chip]: 'i7' },
      tagIds: [tag.body.id, other.body.id],
      vendorId: vendor.body.id,
      barcode: 'BER-1',
      assignee: { kind: 'employee', reference: h.people[0]!.reference },
    });
    expect(device.status).toBe(200);
    await h.call('POST', `/devices/${device.body.id}/comments`, { body: 'Comes with a dock' });

    const moved = await h.call('POST', `/devices/${device.body.id}/move`, {
      tenantId: h.tenantA2,
      keepBarcode: true,
      version: device.body.version,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({
      id: device.body.id,
      number: 1,
      barcode: 'BER-1',
      status: 'in_use',
      category: { id: targetCategory.body.id },
      attributes: { [targetCategory.body.attributes[0].id]: 14 },
      assignee: { kind: 'employee', reference: h.people[0]!.reference, employee: { known: true } },
      tags: [expect.objectContaining({ name: 'Loaner' })],
      vendor: null,
    });
    expect((await h.call('GET', `/devices/${device.body.id}`)).status).toBe(404);

    h.signIn('administrator', h.tenantA2);
    const there = await h.call('GET', `/devices/${device.body.id}/history`);
    expect(there.body.events.map((e: { type: string }) => e.type)).toEqual(['changed_tenant']);
    expect(there.body.events[0].changes).toContainEqual({
      field: 'tenant',
      before: 'Berlin',
      after: 'Boston',
    });
    const left = await h.eventsOf(h.tenantA, device.body.id);
    expect(left.map((e) => e.action)).toEqual([
      'device.created',
      'device.comment_added',
      'device.changed_tenant',
    ]);
  });

  it('DEV-7: a place assignment falls back to IT (status Used) in the new tenant; the barcode is dropped unless kept', async () => {
    h.signIn('administrator');
    const place = await h.call('POST', '/places', { name: 'Front desk' });
    const device = await h.call('POST', '/devices', {
      name: 'Visitor iPad',
      barcode: 'BER-2',
      assignee: { kind: 'place', placeId: place.body.id },
    });
    const moved = await h.call('POST', `/devices/${device.body.id}/move`, {
      tenantId: h.tenantA2,
      keepBarcode: false,
      version: device.body.version,
    });
    // Back to IT after having been at a place: Used, as any return to IT (DEV-4).
    expect(moved.body).toMatchObject({ assignee: { kind: 'it' }, barcode: null, status: 'used' });
  });

  it('DEV-7: only Administrators move, only within their organization, never onto the same tenant', async () => {
    h.signIn('operator');
    const device = await h.call('POST', '/devices', { name: 'Operator laptop' });
    const move = (tenantId: string) =>
      h.call('POST', `/devices/${device.body.id}/move`, { tenantId, keepBarcode: false, version: 1 });
    expect((await move(h.tenantA2)).status).toBe(403);
    h.signIn('administrator');
    expect((await move(h.tenantB)).status).toBe(404);
    expect((await move(h.tenantA)).status).toBe(400);
    expect((await h.call('GET', `/devices/${device.body.id}`)).body.version).toBe(1);
  });

  it('SEC-8: as tenant B, every device route with tenant A’s ids answers 404 and A is unchanged', async () => {
    h.signIn('administrator');
    const category = await h.call('POST', '/categories', { name: 'Monitors' });
    const tag = await h.call('POST', '/tags', { name: 'Desk', color: 'gray' });
    const vendor = await h.call('POST', '/vendors', { name: 'Dell' });
    const place = await h.call('POST', '/places', { name: 'Floor 2' });
    const device = await h.call('POST', '/devices', { name: 'Dell U2723QE', categoryId: category.body.id });
    // DEV-1: with an invoice PDF and an image, which B can neither read, replace nor remove.
    const pdf = await samplePdf('Invoice of tenant A');
    const png = samplePng(8, 8);
    const withInvoice = await h.upload(
      `/devices/${device.body.id}/invoice?version=1`,
      pdf,
      'application/pdf',
    );
    expect(withInvoice.status).toBe(200);
    expect((await h.upload(`/devices/${device.body.id}/image?version=2`, png, 'image/png')).status).toBe(200);
    const before = (await h.call('GET', `/devices/${device.body.id}`)).body;
    const eventsBefore = await h.eventsOf(h.tenantA, device.body.id);

    h.signIn('administrator', h.tenantB);
    const id = device.body.id;
    const version = before.version;
    const attempts: [string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, object?][] = [
      ['read', 'GET', `/devices/${id}`],
      ['history', 'GET', `/devices/${id}/history`],
      ['comments', 'GET', `/devices/${id}/comments`],
      ['labels', 'POST', '/devices/labels', { deviceIds: [id], format: 'qr' }],
      ['update', 'PATCH', `/devices/${id}`, { name: 'Stolen', version }],
      ['assign', 'POST', `/devices/${id}/assign`, { assignee: { kind: 'it' }, version }],
      ['comment', 'POST', `/devices/${id}/comments`, { body: 'hello' }],
      ['move', 'POST', `/devices/${id}/move`, { tenantId: h.tenantA2, keepBarcode: false, version }],
      ['delete', 'DELETE', `/devices/${id}?version=${version}`],
      ['invoice download', 'GET', `/devices/${id}/invoice`],
      ['image download', 'GET', `/devices/${id}/image`],
      ['invoice removal', 'DELETE', `/devices/${id}/invoice?version=${version}`],
      ['image removal', 'DELETE', `/devices/${id}/image?version=${version}`],
      ['invoice restore', 'POST', `/devices/${id}/invoice/restore`, { version }],
      ['create into A category', 'POST', '/devices', { name: 'Into A', categoryId: category.body.id }],
      ['create with A tag', 'POST', '/devices', { name: 'Into A', tagIds: [tag.body.id] }],
      ['create with A vendor', 'POST', '/devices', { name: 'Into A', vendorId: vendor.body.id }],
      [
        'create at A place',
        'POST',
        '/devices',
        { name: 'Into A', assignee: { kind: 'place', placeId: place.body.id } },
      ],
    ];
    for (const [what, method, url, payload] of attempts) {
      const res = await h.call(method, url, payload);
      expect(res.status, what).toBe(404);
    }
    const uploads = [
      await h.upload(
        `/devices/${id}/invoice?version=${version}`,
        await samplePdf('Forged'),
        'application/pdf',
      ),
      await h.upload(`/devices/${id}/image?version=${version}`, samplePng(4, 4), 'image/png'),
    ];
    expect(uploads.map((u) => u.status)).toEqual([404, 404]);
    const listed = await h.call('GET', `/devices?categoryId=${category.body.id}`);
    expect(listed.body).toMatchObject({ devices: [], total: 0 });

    h.signIn('administrator');
    expect((await h.call('GET', `/devices/${id}`)).body).toEqual(before);
    expect((await h.download(`/devices/${id}/invoice`)).bytes.equals(pdf)).toBe(true);
    expect((await h.download(`/devices/${id}/image`)).bytes.equals(png)).toBe(true);
    expect(await h.eventsOf(h.tenantA, id)).toEqual(eventsBefore);
  });
});
