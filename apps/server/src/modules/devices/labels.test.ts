import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';
import { labelsPdf, labelValue } from './labels';

describe('label sheets', () => {
  it('DEV-10: 24 labels per A4 page, QR or Code 128, and names outside Latin-1 do not break the sheet', async () => {
    const devices = Array.from({ length: 30 }, (_, i) => ({
      number: i + 1,
      name:
        i === 0
          ? 'Ноутбук 東京 Überlänge mit einem sehr langen Namen, der abgeschnitten wird'
          : `Device ${i + 1}`,
      barcode: i % 2 ? `ACME-${String(i).padStart(6, '0')}` : null,
    }));
    for (const format of ['qr', 'code128'] as const) {
      const bytes = await labelsPdf(devices, format);
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      const pdf = await PDFDocument.load(bytes);
      expect(pdf.getPageCount()).toBe(2);
      const [width, height] = [pdf.getPage(0).getWidth(), pdf.getPage(0).getHeight()];
      expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    }
    expect(labelValue({ number: 108, name: 'x', barcode: null })).toBe('#108');
    expect(labelValue({ number: 108, name: 'x', barcode: 'ACME-000108' })).toBe('ACME-000108');
  });
});

describe.each(databaseTargets())('labels over the API on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
  });
  afterAll(() => h?.close());

  it('DEV-10: a selection prints as a PDF download; another tenant’s device is not found', async () => {
    h.signIn('operator');
    const ids: string[] = [];
    for (const name of ['Laptop A', 'Laptop B', 'Laptop C']) {
      ids.push((await h.call('POST', '/devices', { name })).body.id);
    }
    h.signIn('viewer');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/devices/labels',
      payload: { deviceIds: ids, format: 'code128' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect((await PDFDocument.load(res.rawPayload)).getPageCount()).toBe(1);

    h.signIn('administrator', h.tenantB);
    const other = await h.call('POST', '/devices/labels', { deviceIds: ids, format: 'qr' });
    expect(other.status).toBe(404);
    expect((await h.call('POST', '/devices/labels', { deviceIds: [] })).status).toBe(400);
  });
});
