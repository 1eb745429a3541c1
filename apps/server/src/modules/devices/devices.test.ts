import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { DAY_MS } from '../../platform/clock';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';

describe.each(databaseTargets())('devices on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
  });
  afterAll(() => h?.close());

  const create = async (payload: object) => {
    const res = await h.call('POST', '/devices', payload);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('DEV-1, DEV-4: a new device gets the next number, status New and IT, or the default place once set', async () => {
    h.signIn('operator');
    const first = await create({ name: 'ThinkPad X1', serial: 'PF-1' });
    expect(first).toMatchObject({
      name: 'ThinkPad X1',
      status: 'new',
      assignee: { kind: 'it' },
      warrantyState: 'unknown',
    });
    const second = await create({ name: 'ThinkPad X2' });
    expect(second.number).toBe(first.number + 1);

    h.signIn('administrator');
    const place = await h.call('POST', '/places', { name: 'Berlin HQ' });
    const settings = await h.call('GET', '/inventory-settings');
    const put = await h.call('PUT', '/inventory-settings', {
      ...settings.body,
      defaultPlaceId: place.body.id,
    });
    expect(put.status).toBe(200);
    const third = await create({ name: 'Dell U2723QE' });
    // Starting at the default place is not an assignment: the device is still New.
    expect(third).toMatchObject({ status: 'new', assignee: { kind: 'place', placeName: 'Berlin HQ' } });
    await h.call('PUT', '/inventory-settings', { ...put.body, defaultPlaceId: null });
  });

  it('DEV-1: bad input gets a clear error with its field, and nothing is stored', async () => {
    h.signIn('operator');
    const before = (await h.call('GET', '/devices')).body.total;
    const cases: [object, number, string][] = [
      [{ name: 'x' }, 400, 'validation_failed'],
      [{ name: 'y'.repeat(101) }, 400, 'validation_failed'],
      [{ name: 'Phone', serial: 's'.repeat(31) }, 400, 'validation_failed'],
      [{ name: 'Phone', price: '12.345' }, 400, 'validation_failed'],
      [{ name: 'Phone', currency: 'EURO' }, 400, 'validation_failed'],
      [{ name: 'Phone', warrantyEnd: '2026-02-30' }, 400, 'validation_failed'],
      [{ name: 'Phone', categoryId: '0190a1b2-0000-7000-8000-00000000dead' }, 404, 'not_found'],
      [{ name: 'Phone', barcode: 'B-1' }, 400, 'validation_failed'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await h.call('POST', '/devices', payload);
      expect([res.status, res.body.error.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect((await h.call('GET', '/devices')).body.total).toBe(before);
  });

  it('DEV-2: attribute values follow the category: types, required ones, and the name with values appended', async () => {
    h.signIn('operator');
    const category = await h.call('POST', '/categories', {
      name: 'Laptops',
      appendToName: true,
      attributes: [
        { name: 'Screen', type: 'number', suffix: '"', required: true },
        { name: 'Chip', type: 'text' },
        { name: 'Bought', type: 'date' },
      ],
    });
    expect(category.status).toBe(200);
    const [screen, chip, bought] = category.body.attributes.map((a: { id: string }) => a.id);
    const missing = await h.call('POST', '/devices', { name: 'MacBook Pro', categoryId: category.body.id });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      { path: `attributes.${screen}`, message: 'Screen is required' },
    ]);
    const wrongType = await h.call('POST', '/devices', {
      name: 'MacBook Pro',
      categoryId: category.body.id,
      attributes: { [screen]: 'sixteen', [bought]: '2026-13-01', unknown: 'x' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      [`attributes.${screen}`, `attributes.${bought}`, 'attributes.unknown'].sort(),
    );
    const device = await create({
      name: 'MacBook Pro',
      categoryId: category.body.id,
      attributes: { [screen]: 16, [chip]: 'M3', [bought]: '' },
    });
    expect(device.displayName).toBe('MacBook Pro (16", M3)');
    expect(device.attributes).toEqual({ [screen]: 16, [chip]: 'M3' });
  });

  it('DEV-4: employee → In-use, back to IT → Used; a never-assigned device stays New; a place → In-use', async () => {
    h.signIn('operator');
    const [lena] = h.people;
    const device = await create({ name: 'iPhone 15' });
    const assign = (assignee: object, version: number) =>
      h.call('POST', `/devices/${device.id}/assign`, { assignee, version });

    const toIt = await assign({ kind: 'it' }, device.version);
    expect(toIt.body).toMatchObject({ status: 'new', assignee: { kind: 'it' } });
    const toEmployee = await assign({ kind: 'employee', reference: lena!.reference }, toIt.body.version);
    expect(toEmployee.body).toMatchObject({
      status: 'in_use',
      assignee: { kind: 'employee', employee: { known: true, displayName: lena!.person.displayName } },
    });
    // The Employees page shows how many devices each person holds in this tenant.
    const found = await h.call('GET', `/employees?search=${encodeURIComponent(lena!.person.userName)}`);
    expect(
      found.body.employees.find((e: { reference: string }) => e.reference === lena!.reference),
    ).toMatchObject({
      deviceCount: 1,
    });
    const back = await assign({ kind: 'it' }, toEmployee.body.version);
    expect(back.body).toMatchObject({ status: 'used', assignee: { kind: 'it' } });

    h.signIn('administrator');
    const place = await h.call('POST', '/places', { name: 'Store room' });
    h.signIn('operator');
    const toPlace = await assign({ kind: 'place', placeId: place.body.id }, back.body.version);
    expect(toPlace.body).toMatchObject({
      status: 'in_use',
      assignee: { kind: 'place', placeName: 'Store room' },
    });
    // A status may be set by hand at any time.
    const manual = await h.call('PATCH', `/devices/${device.id}`, {
      status: 'damaged',
      version: toPlace.body.version,
    });
    expect(manual.body.status).toBe('damaged');
  });

  it('DEV-6: an edit based on an old version is refused and nothing is overwritten', async () => {
    h.signIn('operator');
    const device = await create({ name: 'Pixel 8' });
    const first = await h.call('PATCH', `/devices/${device.id}`, {
      name: 'Pixel 8 Pro',
      version: device.version,
    });
    expect(first.status).toBe(200);
    const stale = await h.call('PATCH', `/devices/${device.id}`, {
      name: 'Pixel 7',
      version: device.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('modified_by_someone_else');
    const staleAssign = await h.call('POST', `/devices/${device.id}/assign`, {
      assignee: { kind: 'employee', reference: h.people[1]!.reference },
      version: device.version,
    });
    expect(staleAssign.status).toBe(409);
    expect((await h.call('GET', `/devices/${device.id}`)).body).toMatchObject({
      name: 'Pixel 8 Pro',
      assignee: { kind: 'it' },
      version: device.version + 1,
    });
  });

  it('DEV-5, SEC-7: every change is a history event, newest first, field by field, names resolved when shown', async () => {
    h.signIn('operator');
    const [, second] = h.people;
    const device = await create({ name: 'Surface Laptop', serial: 'SL-77' });
    const assigned = await h.call('POST', `/devices/${device.id}/assign`, {
      assignee: { kind: 'employee', reference: second!.reference },
      version: device.version,
    });
    const edited = await h.call('PATCH', `/devices/${device.id}`, {
      name: 'Surface Laptop 6',
      // Only assignee values are read as assignees: a serial that happens to say "it" stays "it".
      serial: 'it',
      version: assigned.body.version,
    });
    const missing = await h.call('PATCH', `/devices/${device.id}`, {
      status: 'missing',
      version: edited.body.version,
    });
    await h.call('POST', `/devices/${device.id}/comments`, { body: 'Last seen in room 4.12' });
    const back = await h.call('POST', `/devices/${device.id}/assign`, {
      assignee: { kind: 'it' },
      version: missing.body.version,
    });
    expect(back.body.status).toBe('used');

    const history = await h.call('GET', `/devices/${device.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'assigned_to_it',
      'comment_added',
      'marked_as_missing',
      'modified',
      'assigned_to_employee',
      'created',
    ]);
    const [toIt, , marked, modified, toEmployee] = history.body.events;
    expect(toEmployee).toMatchObject({
      actor: { name: 'Ada Admin', email: 'ada@example.com' },
      employee: { known: true, displayName: second!.person.displayName },
    });
    expect(toEmployee.changes).toContainEqual({
      field: 'assignee',
      before: 'IT',
      after: second!.person.displayName,
    });
    expect(toEmployee.changes).toContainEqual({ field: 'status', before: 'new', after: 'in_use' });
    expect(modified.changes).toEqual([
      { field: 'name', before: 'Surface Laptop', after: 'Surface Laptop 6' },
      { field: 'serial', before: 'SL-77', after: 'it' },
    ]);
    expect(marked.changes).toEqual([{ field: 'status', before: 'in_use', after: 'missing' }]);
    expect(toIt.changes).toContainEqual({
      field: 'assignee',
      before: second!.person.displayName,
      after: 'IT',
    });

    // The audit history holds the reference, never the name (SEC-6).
    const events = await h.eventsOf(h.tenantA, device.id);
    expect(JSON.stringify(events)).not.toContain(second!.person.displayName!);
    expect(JSON.stringify(events)).toContain(second!.reference);

    // 14 days after the last sync the cache forgets the person: the history says "Unknown employee".
    h.clock.advance(14 * DAY_MS + 1);
    const later = await h.call('GET', `/devices/${device.id}/history`);
    expect(later.body.events[4].employee).toMatchObject({ known: false, displayName: 'Unknown employee' });
    expect(later.body.events[4].changes).toContainEqual({
      field: 'assignee',
      before: 'IT',
      after: 'Unknown employee',
    });
    await h.directoryCache.replaceAll(h.organizationOf(h.tenantA), h.people);
  });

  it('DEV-10: the barcode scheme: Company Device IDs are generated, Asset IDs typed and unique', async () => {
    h.signIn('administrator');
    const settings = (await h.call('GET', '/inventory-settings')).body;
    const company = await h.call('PUT', '/inventory-settings', {
      ...settings,
      barcodeMode: 'company_id',
      barcodePrefix: 'ACME-',
      barcodeDigits: 6,
    });
    expect(company.status).toBe(200);
    const a = await create({ name: 'Label printer' });
    const b = await create({ name: 'Label printer 2' });
    expect([a.barcode, b.barcode]).toEqual(['ACME-000001', 'ACME-000002']);
    expect((await h.call('POST', '/devices', { name: 'Typed', barcode: 'X-1' })).status).toBe(400);

    const asset = await h.call('PUT', '/inventory-settings', { ...company.body, barcodeMode: 'asset_id' });
    expect(asset.status).toBe(200);
    const typed = await create({ name: 'Dock', barcode: 'IT-0042' });
    expect(typed.barcode).toBe('IT-0042');
    const duplicate = await h.call('POST', '/devices', { name: 'Dock 2', barcode: 'it-0042' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'conflict', details: { field: 'barcode' } });
    const serialTaken = await h.call('POST', '/devices', { name: 'Dock 3', serial: 'PF-1' });
    expect(serialTaken.body.error).toMatchObject({ code: 'conflict', details: { field: 'serial' } });
    await h.call('PUT', '/inventory-settings', { ...asset.body, barcodeMode: 'disabled' });
  });

  it('DEV-8: only an Administrator deletes, with the version read; the audit log keeps "Deleted"', async () => {
    h.signIn('operator');
    const device = await create({ name: 'Old monitor' });
    await h.call('POST', `/devices/${device.id}/comments`, { body: 'Flickers' });
    expect((await h.call('GET', `/devices/${device.id}/comments`)).body.comments).toEqual([
      expect.objectContaining({ body: 'Flickers', authorEmail: 'ada@example.com' }),
    ]);
    expect((await h.call('DELETE', `/devices/${device.id}?version=${device.version}`)).status).toBe(403);
    h.signIn('administrator');
    expect((await h.call('DELETE', `/devices/${device.id}?version=${device.version + 1}`)).status).toBe(409);
    expect((await h.call('DELETE', `/devices/${device.id}?version=${device.version}`)).status).toBe(204);
    expect((await h.call('GET', `/devices/${device.id}`)).status).toBe(404);
    expect((await h.call('GET', `/devices/${device.id}/history`)).status).toBe(404);
    const comments = await h.call('GET', `/devices/${device.id}/comments`);
    expect(comments.status).toBe(404);
    const events = await h.eventsOf(h.tenantA, device.id);
    expect(events.map((e) => e.action)).toEqual(['device.created', 'device.comment_added', 'device.deleted']);
    expect(events[2]!.changes).toContainEqual({ field: 'name', before: 'Old monitor', after: null });
  });

  it('DEV-1: a Viewer reads devices but cannot add, edit, assign or comment', async () => {
    h.signIn('operator');
    const device = await create({ name: 'Viewer test' });
    h.signIn('viewer');
    expect((await h.call('GET', `/devices/${device.id}`)).status).toBe(200);
    expect((await h.call('POST', '/devices', { name: 'Nope' })).status).toBe(403);
    expect((await h.call('PATCH', `/devices/${device.id}`, { name: 'Nope', version: 1 })).status).toBe(403);
    expect(
      (await h.call('POST', `/devices/${device.id}/assign`, { assignee: { kind: 'it' }, version: 1 })).status,
    ).toBe(403);
    expect((await h.call('POST', `/devices/${device.id}/comments`, { body: 'x' })).status).toBe(403);
  });
});
