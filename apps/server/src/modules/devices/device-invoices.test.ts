import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { samplePdf, samplePng } from '../../../../../test/support/sample-files';
import { DAY_MS } from '../../platform/clock';
import { withSystem } from '../../platform/db/tenant-scope';
import { purgeDeletedFiles } from '../../platform/files/purge-job';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';

describe.each(databaseTargets())('device invoice settings, restore and purge on $name', (target) => {
  let h: DevicesHarness;
  let pdf: Buffer;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
    pdf = await samplePdf('Invoice of the settings tests');
    // Past the 30-day trial (the 14-day windows below move the clock), invoice management needs Professional+.
    await withSystem(h.t.handle, (trx) =>
      trx
        .updateTable('tenants')
        .set({ plan: 'professional' })
        .where('id', 'in', [h.tenantA, h.tenantA2])
        .execute(),
    );
  });
  afterAll(() => h?.close());

  const device = async (id: string) => (await h.call('GET', `/devices/${id}`)).body;
  const settings = async () => (await h.call('GET', '/inventory-settings')).body;
  const setSwitches = async (switches: Record<string, boolean>) => {
    h.signIn('administrator');
    const { invoiceManagementInPlan: _read, ...current } = await settings();
    const res = await h.call('PUT', '/inventory-settings', { ...current, ...switches });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const storedRow = (id: string) =>
    withSystem(h.t.handle, (trx) =>
      trx
        .selectFrom('devices')
        .select([
          'invoice_number',
          'invoice_date',
          'vendor_id',
          'po_extension',
          'invoice_file_id',
          'image_file_id',
        ])
        .where('id', '=', id)
        .executeTakeFirst(),
    );
  const fileRow = (id: string) =>
    withSystem(h.t.handle, (trx) =>
      trx
        .selectFrom('files')
        .select(['tenant_id', 'deleted_at', 'purge_after'])
        .where('id', '=', id)
        .executeTakeFirst(),
    );
  const purge = () =>
    purgeDeletedFiles(
      { handle: h.t.handle, clock: h.clock },
      { reportProgress: async () => undefined, signal: new AbortController().signal },
    );
  /** A device with all invoice data and a PDF. */
  const invoicedDevice = async (name: string) => {
    h.signIn('operator');
    const vendor = await h.call('POST', '/vendors', { name: `Vendor of ${name}` });
    const created = await h.call('POST', '/devices', {
      name,
      vendorId: vendor.body.id,
      invoiceNumber: 'INV-2026-042',
      invoiceDate: '2026-02-20',
      poExtension: 'PO-7/3',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const uploaded = await h.upload(`/devices/${created.body.id}/invoice?version=1`, pdf, 'application/pdf');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    return uploaded.body as { id: string; version: number; vendor: { id: string } };
  };

  it('DEV-1: turning invoice management off hides the invoice fields and PDF but keeps them; on again shows them', async () => {
    const laptop = await invoicedDevice('Hidden invoice laptop');
    await setSwitches({ invoiceManagement: false });

    h.signIn('operator');
    const hidden = await device(laptop.id);
    expect(hidden).toMatchObject({
      invoiceSettings: { management: false, customData: false, uploads: false },
      invoiceNumber: null,
      invoiceDate: null,
      vendor: null,
      poExtension: null,
      invoiceFile: null,
    });
    // A form that sends every field sends the hidden ones empty: ignored, the data stays.
    const edited = await h.call('PATCH', `/devices/${laptop.id}`, {
      name: 'Hidden invoice laptop 2',
      invoiceNumber: null,
      invoiceDate: null,
      vendorId: null,
      poExtension: null,
      version: hidden.version,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const refusals = [
      await h.call('PATCH', `/devices/${laptop.id}`, {
        invoiceNumber: 'INV-NEW',
        version: edited.body.version,
      }),
      await h.call('POST', '/devices', { name: 'New with invoice', invoiceDate: '2026-01-01' }),
      await h.upload(`/devices/${laptop.id}/invoice?version=${edited.body.version}`, pdf, 'application/pdf'),
      await h.call('DELETE', `/devices/${laptop.id}/invoice?version=${edited.body.version}`),
    ];
    for (const refused of refusals) {
      expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
        403,
        'feature_turned_off',
        { feature: 'invoice_management' },
      ]);
    }
    expect(refusals[0]!.body.error.message).toBe(
      'Invoice management is turned off for this tenant (Settings → Inventory)',
    );
    expect((await h.download(`/devices/${laptop.id}/invoice`)).status).toBe(403);
    expect(await storedRow(laptop.id)).toMatchObject({
      invoice_number: 'INV-2026-042',
      invoice_date: '2026-02-20',
      vendor_id: laptop.vendor.id,
      po_extension: 'PO-7/3',
    });

    await setSwitches({ invoiceManagement: true });
    expect(await device(laptop.id)).toMatchObject({
      name: 'Hidden invoice laptop 2',
      invoiceNumber: 'INV-2026-042',
      invoiceDate: '2026-02-20',
      vendor: { id: laptop.vendor.id },
      poExtension: 'PO-7/3',
      invoiceFile: { size: pdf.length, deletedAt: null },
    });
    expect((await h.download(`/devices/${laptop.id}/invoice`)).bytes.equals(pdf)).toBe(true);
  });

  it('DEV-1: the PO extension needs custom invoice data; the PDF needs invoice uploads (each off hides only its part)', async () => {
    const dock = await invoicedDevice('Partly hidden dock');
    await setSwitches({ customInvoiceData: false });
    h.signIn('operator');
    const noPo = await device(dock.id);
    expect(noPo).toMatchObject({
      invoiceNumber: 'INV-2026-042',
      poExtension: null,
      invoiceFile: { size: pdf.length },
    });
    const po = await h.call('PATCH', `/devices/${dock.id}`, { poExtension: 'PO-8', version: noPo.version });
    expect([po.status, po.body.error.code, po.body.error.details]).toEqual([
      403,
      'feature_turned_off',
      { feature: 'custom_invoice_data' },
    ]);

    await setSwitches({ customInvoiceData: true, invoiceUploads: false });
    h.signIn('operator');
    const noPdf = await device(dock.id);
    expect(noPdf).toMatchObject({
      invoiceSettings: { management: true, customData: true, uploads: false },
      poExtension: 'PO-7/3',
      invoiceFile: null,
    });
    const upload = await h.upload(
      `/devices/${dock.id}/invoice?version=${noPdf.version}`,
      pdf,
      'application/pdf',
    );
    expect([upload.status, upload.body.error.code, upload.body.error.details]).toEqual([
      403,
      'feature_turned_off',
      { feature: 'invoice_uploads' },
    ]);
    expect((await h.download(`/devices/${dock.id}/invoice`)).status).toBe(403);
    // Images do not depend on invoice settings.
    expect(
      (await h.upload(`/devices/${dock.id}/image?version=${noPdf.version}`, samplePng(), 'image/png')).status,
    ).toBe(200);
    await setSwitches({ invoiceUploads: true });
    expect((await device(dock.id)).invoiceFile).toMatchObject({ size: pdf.length });
  });

  it('DEV-1: a removed invoice is restorable by an Administrator for 14 days; after them it is gone and purged', async () => {
    const phone = await invoicedDevice('Restorable phone');
    const fileId = (await storedRow(phone.id))!.invoice_file_id!;
    h.signIn('operator');
    const removed = await h.call('DELETE', `/devices/${phone.id}/invoice?version=${phone.version}`);
    expect(removed.status).toBe(200);
    const until = new Date(h.clock.now().getTime() + 14 * DAY_MS).toISOString();
    expect(removed.body.invoiceFile).toEqual({
      size: pdf.length,
      uploadedAt: expect.any(String),
      deletedAt: h.clock.now().toISOString(),
      restorableUntil: until,
    });
    expect((await h.download(`/devices/${phone.id}/invoice`)).status).toBe(404);
    const byOperator = await h.call('POST', `/devices/${phone.id}/invoice/restore`, {
      version: removed.body.version,
    });
    expect(byOperator.status).toBe(403);

    h.clock.advance(14 * DAY_MS - 60_000);
    h.signIn('administrator');
    const restored = await h.call('POST', `/devices/${phone.id}/invoice/restore`, {
      version: removed.body.version,
    });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.invoiceFile).toMatchObject({ deletedAt: null, restorableUntil: null });
    expect((await h.download(`/devices/${phone.id}/invoice`)).bytes.equals(pdf)).toBe(true);

    const again = await h.call('DELETE', `/devices/${phone.id}/invoice?version=${restored.body.version}`);
    h.clock.advance(14 * DAY_MS);
    expect((await device(phone.id)).invoiceFile).toBeNull();
    const late = await h.call('POST', `/devices/${phone.id}/invoice/restore`, {
      version: again.body.version,
    });
    expect([late.status, late.body.error.message]).toEqual([404, 'Removed invoice not found']);

    expect((await purge()).purged).toBeGreaterThanOrEqual(1);
    expect(await fileRow(fileId)).toBeUndefined();
    expect((await storedRow(phone.id))!.invoice_file_id).toBeNull();
    const events = await h.eventsOf(h.tenantA, phone.id);
    expect(events.slice(-3).map((e) => e.changes)).toEqual([
      [{ field: 'invoiceFile', before: 'attached', after: 'removed' }],
      [{ field: 'invoiceFile', before: 'removed', after: 'restored' }],
      [{ field: 'invoiceFile', before: 'attached', after: 'removed' }],
    ]);
  });

  it('DEV-8: deleting a device sends its invoice and image to the bin; they are purged after 14 days', async () => {
    const monitor = await invoicedDevice('Deleted monitor');
    const withImage = await h.upload(
      `/devices/${monitor.id}/image?version=${monitor.version}`,
      samplePng(),
      'image/png',
    );
    const { invoice_file_id, image_file_id } = (await storedRow(monitor.id))!;
    h.signIn('administrator');
    expect((await h.call('DELETE', `/devices/${monitor.id}?version=${withImage.body.version}`)).status).toBe(
      204,
    );
    for (const id of [invoice_file_id!, image_file_id!]) {
      expect(await fileRow(id)).toMatchObject({
        deleted_at: h.clock.now().toISOString(),
        purge_after: new Date(h.clock.now().getTime() + 14 * DAY_MS).toISOString(),
      });
    }
    h.clock.advance(14 * DAY_MS);
    await purge();
    expect(await fileRow(invoice_file_id!)).toBeUndefined();
    expect(await fileRow(image_file_id!)).toBeUndefined();
  });

  it('DEV-7: a moved device takes its invoice and image along, sealed for and readable in the new tenant', async () => {
    const tablet = await invoicedDevice('Moving tablet');
    const image = samplePng(16, 16, [10, 200, 90]);
    const withImage = await h.upload(
      `/devices/${tablet.id}/image?version=${tablet.version}`,
      image,
      'image/png',
    );
    const { invoice_file_id } = (await storedRow(tablet.id))!;
    h.signIn('administrator');
    const moved = await h.call('POST', `/devices/${tablet.id}/move`, {
      tenantId: h.tenantA2,
      keepBarcode: false,
      version: withImage.body.version,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({
      invoiceFile: { size: pdf.length },
      image: { etag: expect.any(String) },
    });
    expect((await fileRow(invoice_file_id!))!.tenant_id).toBe(h.tenantA2);

    expect((await h.download(`/devices/${tablet.id}/invoice`)).status).toBe(404);
    h.signIn('viewer', h.tenantA2);
    expect((await h.download(`/devices/${tablet.id}/invoice`)).bytes.equals(pdf)).toBe(true);
    expect((await h.download(`/devices/${tablet.id}/image`)).bytes.equals(image)).toBe(true);
  });

  it('DEV-1: invoice management is a Professional+ feature: a Free tenant after its trial sees none of it', async () => {
    h.signIn('administrator', h.tenantA2);
    const created = await h.call('POST', '/devices', { name: 'Free plan laptop', invoiceNumber: 'INV-FREE' });
    expect(created.status).toBe(200);
    await withSystem(h.t.handle, (trx) =>
      trx
        .updateTable('tenants')
        .set({ plan: 'free', trial_ends_at: new Date(h.clock.now().getTime() - DAY_MS).toISOString() })
        .where('id', '=', h.tenantA2)
        .execute(),
    );
    expect(await settings()).toMatchObject({ invoiceManagement: true, invoiceManagementInPlan: false });
    const shown = await device(created.body.id);
    expect(shown).toMatchObject({
      invoiceSettings: { management: false, customData: false, uploads: false },
      invoiceNumber: null,
    });
    const upload = await h.upload(
      `/devices/${created.body.id}/invoice?version=${shown.version}`,
      pdf,
      'application/pdf',
    );
    expect([upload.status, upload.body.error.code, upload.body.error.message]).toEqual([
      403,
      'feature_not_in_plan',
      'Invoice management needs the Professional plan',
    ]);
    expect((await storedRow(created.body.id))!.invoice_number).toBe('INV-FREE');
  });
});
