import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { withTenant } from '../../platform/db/tenant-scope';
import { type CatalogHarness, startCatalogHarness } from './catalog-test-harness';

const company = { defaultPlaceId: null, barcodeMode: 'company_id', barcodePrefix: 'ACME-', barcodeDigits: 6 };
/** DEV-1: the invoice switches start on; the test tenants are in their trial (Enterprise features). */
const invoiceOn = {
  invoiceManagement: true,
  customInvoiceData: true,
  invoiceUploads: true,
  invoiceManagementInPlan: true,
};

describe.each(databaseTargets())('Inventory settings on $name', (target) => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness(target);
  });
  afterAll(async () => {
    await h?.close();
  });

  const settings = async () => (await h.call('GET', '/inventory-settings')).json();
  const put = (body: object) => h.call('PUT', '/inventory-settings', body);
  const counters = () =>
    withTenant(h.t.handle, h.tenantA, (trx) =>
      trx
        .selectFrom('inventory_settings')
        .select(['next_device_number', 'next_barcode_number'])
        .where('tenant_id', '=', h.tenantA)
        .executeTakeFirstOrThrow(),
    ).then((row) => ({ device: Number(row.next_device_number), barcode: Number(row.next_barcode_number) }));

  it('DEV-4, DEV-10: settings start with no default place and barcodes disabled; reading does not count as an edit', async () => {
    h.signIn('viewer');
    const first = await h.call('GET', '/inventory-settings');
    expect(first.statusCode).toBe(200);
    // Exactly these fields: the device and barcode counters of the same row are never shown.
    expect(first.json()).toEqual({
      defaultPlaceId: null,
      barcodeMode: 'disabled',
      barcodePrefix: '',
      barcodeDigits: 6,
      ...invoiceOn,
      version: 1,
    });
    expect((await settings()).version).toBe(1);
  });

  it('DEV-10: an Administrator chooses Company Device ID with a prefix and zero-padded digits', async () => {
    h.signIn('administrator');
    const res = await put({ ...company, version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...company, ...invoiceOn, version: 2 });
    const refused = async (body: object, path: string) => {
      const bad = await put({ ...company, ...body, version: 2 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('validation_failed');
      expect(bad.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await refused({ barcodeMode: 'qr' }, 'barcodeMode');
    await refused({ barcodePrefix: 'AC ME' }, 'barcodePrefix');
    await refused({ barcodePrefix: 'A'.repeat(11) }, 'barcodePrefix');
    await refused({ barcodeDigits: 2 }, 'barcodeDigits');
    await refused({ barcodeDigits: 11 }, 'barcodeDigits');
    await refused({ defaultPlaceId: 'storeroom' }, 'defaultPlaceId');
    expect(await settings()).toEqual({ ...company, ...invoiceOn, version: 2 });
  });

  it('DEV-4: the default place must be a place of the tenant; the places list marks it', async () => {
    h.signIn('administrator');
    const dock = (await h.call('POST', '/places', { name: 'Loading dock' })).json();
    const unknown = await put({
      ...company,
      defaultPlaceId: '0190a1b2-9999-7000-8000-000000000001',
      version: 2,
    });
    expect(unknown.statusCode).toBe(404);
    const set = await put({ ...company, defaultPlaceId: dock.id, version: 2 });
    expect(set.json()).toMatchObject({ defaultPlaceId: dock.id, version: 3 });
    const places = (await h.call('GET', '/places')).json().places;
    expect(places.find((p: { id: string }) => p.id === dock.id).isDefault).toBe(true);
  });

  it('DEV-4: deleting the default place leaves the tenant without one (new devices go to IT)', async () => {
    h.signIn('administrator');
    const annex = (await h.call('POST', '/places', { name: 'Annex' })).json();
    const current = await settings();
    await put({ ...company, defaultPlaceId: annex.id, version: current.version });
    expect((await h.call('DELETE', `/places/${annex.id}?version=1`)).statusCode).toBe(204);
    expect((await settings()).defaultPlaceId).toBeNull();
  });

  it('DEV-10: settings edits leave the device and barcode counters to the devices module', async () => {
    h.signIn('administrator');
    await withTenant(h.t.handle, h.tenantA, (trx) =>
      trx
        .updateTable('inventory_settings')
        .set({ next_device_number: 108, next_barcode_number: 42 })
        .where('tenant_id', '=', h.tenantA)
        .execute(),
    );
    const before = await settings();
    const res = await put({ ...company, barcodePrefix: 'HQ-', barcodeDigits: 8, version: before.version });
    expect(res.json()).toMatchObject({ barcodePrefix: 'HQ-', barcodeDigits: 8, version: before.version + 1 });
    expect(await counters()).toEqual({ device: 108, barcode: 42 });
  });

  it('DEV-6: a settings change based on a stale version is refused and changes nothing', async () => {
    h.signIn('administrator');
    const current = await settings();
    const stale = await put({ ...company, barcodeMode: 'asset_id', version: current.version - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'modified_by_someone_else',
      message: 'Modified by someone else',
      details: { version: current.version },
    });
    expect(await settings()).toEqual(current);
  });

  it('DEV-10: Operators and Viewers read the settings but only Administrators change them', async () => {
    for (const role of ['operator', 'viewer'] as const) {
      h.signIn(role);
      const current = await settings();
      expect(current.barcodeMode).toBe('company_id');
      const refused = await put({ ...company, barcodeMode: 'disabled', version: current.version });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
      expect(await settings()).toEqual(current);
    }
    h.signIn('employee');
    expect((await h.call('GET', '/inventory-settings')).statusCode).toBe(403);
  });

  it('SEC-7: a settings change records inventory_settings.updated with the changed fields only', async () => {
    h.signIn('administrator');
    const current = await settings();
    await put({
      defaultPlaceId: current.defaultPlaceId,
      barcodeMode: 'asset_id',
      barcodePrefix: current.barcodePrefix,
      barcodeDigits: current.barcodeDigits,
      version: current.version,
    });
    const events = (await h.auditEvents(h.tenantA)).filter((e) => e.action === 'inventory_settings.updated');
    expect(events.length).toBe(current.version);
    expect(events.at(-1)).toMatchObject({
      targetType: 'inventory_settings',
      targetId: h.tenantA,
      changes: [{ field: 'barcodeMode', before: 'company_id', after: 'asset_id' }],
    });
    expect(events[0]!.changes).toEqual([
      { field: 'barcodeMode', before: 'disabled', after: 'company_id' },
      { field: 'barcodePrefix', before: '', after: 'ACME-' },
    ]);
  });

  it('DEV-1: an Administrator turns invoice switches off and on; a switch left out stays; each change is audited', async () => {
    h.signIn('administrator');
    const current = await settings();
    const { invoiceManagementInPlan: _read, ...sent } = current;
    const off = await put({ ...sent, customInvoiceData: false, invoiceUploads: false });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({
      invoiceManagement: true,
      customInvoiceData: false,
      invoiceUploads: false,
      version: current.version + 1,
    });
    // An older client that knows nothing of the switches leaves them as they are.
    const legacy = await put({
      defaultPlaceId: current.defaultPlaceId,
      barcodeMode: current.barcodeMode,
      barcodePrefix: current.barcodePrefix,
      barcodeDigits: current.barcodeDigits,
      version: current.version + 1,
    });
    expect(legacy.json()).toMatchObject({ customInvoiceData: false, invoiceUploads: false });
    const on = await put({ ...legacy.json(), customInvoiceData: true, invoiceUploads: true });
    expect(on.json()).toMatchObject({ ...invoiceOn, version: current.version + 3 });
    const events = (await h.auditEvents(h.tenantA)).filter((e) => e.action === 'inventory_settings.updated');
    expect(events.at(-1)!.changes).toEqual([
      { field: 'customInvoiceData', before: false, after: true },
      { field: 'invoiceUploads', before: false, after: true },
    ]);
    h.signIn('operator');
    const refused = await put({ ...on.json(), invoiceManagement: false });
    expect(refused.statusCode).toBe(403);
    expect((await settings()).invoiceManagement).toBe(true);
  });
});
