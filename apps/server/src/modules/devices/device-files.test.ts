import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { padToSize, pngHeader, samplePdf, samplePng } from '../../../../../test/support/sample-files';
import { withSystem } from '../../platform/db/tenant-scope';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';

const MB = 1024 * 1024;

describe.each(databaseTargets())('device invoices and images on $name', (target) => {
  let h: DevicesHarness;
  let pdf: Buffer;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
    pdf = await samplePdf();
  });
  afterAll(() => h?.close());

  const create = async (name: string) => {
    const res = await h.call('POST', '/devices', { name });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string; number: number; version: number };
  };
  const device = async (id: string) => (await h.call('GET', `/devices/${id}`)).body;
  const fileCount = () =>
    withSystem(h.t.handle, async (trx) => (await trx.selectFrom('files').select('id').execute()).length);

  it('DEV-1: an Operator uploads an invoice PDF; the device shows it; a Viewer downloads it as an attachment', async () => {
    h.signIn('operator');
    const laptop = await create('Invoice laptop');
    const uploaded = await h.upload(
      `/devices/${laptop.id}/invoice?version=${laptop.version}`,
      pdf,
      'application/pdf',
    );
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    expect(uploaded.body).toMatchObject({
      version: laptop.version + 1,
      invoiceSettings: { management: true, customData: true, uploads: true },
      invoiceFile: {
        size: pdf.length,
        uploadedAt: h.clock.now().toISOString(),
        deletedAt: null,
        restorableUntil: null,
      },
      image: null,
    });

    h.signIn('viewer');
    const file = await h.download(`/devices/${laptop.id}/invoice`);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(pdf)).toBe(true);
    expect(file.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="invoice-${laptop.number}.pdf"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    const refused = await h.upload(`/devices/${laptop.id}/invoice?version=2`, pdf, 'application/pdf');
    expect(refused.status).toBe(403);

    const events = await h.eventsOf(h.tenantA, laptop.id);
    expect(events.at(-1)).toEqual({
      action: 'device.modified',
      changes: [{ field: 'invoiceFile', before: null, after: 'attached' }],
    });
  });

  it('DEV-1: an invoice of exactly 2 MB is accepted; 2 MB + 1 byte is refused (413) and nothing changes', async () => {
    h.signIn('operator');
    const printer = await create('Invoice printer');
    const exactly = await h.upload(
      `/devices/${printer.id}/invoice?version=${printer.version}`,
      padToSize(pdf, 2 * MB),
      'application/pdf',
    );
    expect(exactly.status, JSON.stringify(exactly.body)).toBe(200);
    expect(exactly.body.invoiceFile.size).toBe(2 * MB);

    const files = await fileCount();
    const tooLarge = await h.upload(
      `/devices/${printer.id}/invoice?version=${exactly.body.version}`,
      padToSize(pdf, 2 * MB + 1),
      'application/pdf',
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({
      code: 'payload_too_large',
      message: 'The file is larger than 2 MB',
    });
    expect(await fileCount()).toBe(files);
    expect(await device(printer.id)).toMatchObject({
      version: exactly.body.version,
      invoiceFile: { size: 2 * MB },
    });
  });

  it('DEV-1: a file renamed to .pdf is refused — by its first bytes, and by its structure when it only starts like one', async () => {
    h.signIn('operator');
    const dock = await create('Invoice dock');
    const files = await fileCount();
    const cases: [string, Buffer, string, number, string][] = [
      [
        'a program',
        Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(2_000)]),
        'application/pdf',
        400,
        "The file's content is not application/pdf",
      ],
      [
        'a fake PDF',
        Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('MZ'.repeat(500))]),
        'application/pdf',
        400,
        'The file is not a readable PDF',
      ],
      ['a PNG', samplePng(), 'application/pdf', 400, "The file's content is not application/pdf"],
      ['an empty file', Buffer.alloc(0), 'application/pdf', 400, 'The file is empty'],
      ['a PDF as text', pdf, 'text/plain', 400, 'This file must be application/pdf'],
      ['a PDF as an image', pdf, 'image/png', 400, 'This file must be application/pdf'],
    ];
    for (const [what, bytes, type, status, message] of cases) {
      const res = await h.upload(`/devices/${dock.id}/invoice?version=${dock.version}`, bytes, type);
      expect([res.status, res.body.error.code, res.body.error.message], what).toEqual([
        status,
        'validation_failed',
        message,
      ]);
    }
    expect(await fileCount()).toBe(files);
    expect(await device(dock.id)).toMatchObject({ version: dock.version, invoiceFile: null });
  });

  it('DEV-1: a file that is not an image is refused, and so is an image over 10,000 px a side', async () => {
    h.signIn('operator');
    const phone = await create('Image phone');
    const cases: [string, Buffer, string, string][] = [
      [
        'text',
        Buffer.from('just some text, not a picture'),
        'image/png',
        "The file's content is not image/png",
      ],
      ['a PDF', pdf, 'image/png', "The file's content is not image/png"],
      [
        'a PNG header without a valid chunk',
        Buffer.concat([pngHeader(10, 10).subarray(0, 8), Buffer.alloc(40)]),
        'image/png',
        'The file is not a PNG, JPEG or WebP image',
      ],
      [
        'a GIF',
        Buffer.from('GIF89a\x01\x00\x01\x00'),
        'image/gif',
        'This file must be image/png, image/jpeg, image/webp',
      ],
      [
        'a huge canvas',
        pngHeader(20_000, 10),
        'image/png',
        'The image is 20000 × 10 pixels; at most 10,000 a side',
      ],
      [
        'an SVG',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        'image/svg+xml',
        'This file must be image/png, image/jpeg, image/webp',
      ],
    ];
    for (const [what, bytes, type, message] of cases) {
      const res = await h.upload(`/devices/${phone.id}/image?version=${phone.version}`, bytes, type);
      expect([res.status, res.body.error.message], what).toEqual([400, message]);
    }
    expect(await device(phone.id)).toMatchObject({ version: phone.version, image: null });
  });

  it('DEV-1: an image is shown inline at an address that changes with it, cached privately; replaced and removed with history', async () => {
    h.signIn('operator');
    const tablet = await create('Image tablet');
    const blue = samplePng(32, 24, [30, 100, 220]);
    const first = await h.upload(`/devices/${tablet.id}/image?version=${tablet.version}`, blue, 'image/png');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const url = first.body.image.url as string;
    expect(url).toBe(`/api/v1/devices/${tablet.id}/image?v=${first.body.image.etag}`);

    const shown = await h.download(url.replace('/api/v1', ''));
    expect(shown.status).toBe(200);
    expect(shown.bytes.equals(blue)).toBe(true);
    expect(shown.headers).toMatchObject({
      'content-type': 'image/png',
      etag: `"${first.body.image.etag}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=86400',
    });
    expect(String(shown.headers['content-disposition'])).toMatch(/^inline;/);
    const again = await h.download(url.replace('/api/v1', ''), {
      'if-none-match': `"${first.body.image.etag}"`,
    });
    expect([again.status, again.bytes.length]).toEqual([304, 0]);

    const red = samplePng(24, 24, [220, 30, 30]);
    const second = await h.upload(
      `/devices/${tablet.id}/image?version=${first.body.version}`,
      red,
      'image/png',
    );
    expect(second.body.image.url).not.toBe(url);
    expect((await h.download(`/devices/${tablet.id}/image`)).bytes.equals(red)).toBe(true);

    const removed = await h.call('DELETE', `/devices/${tablet.id}/image?version=${second.body.version}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ image: null, version: second.body.version + 1 });
    expect((await h.download(`/devices/${tablet.id}/image`)).status).toBe(404);
    expect(
      (await h.call('DELETE', `/devices/${tablet.id}/image?version=${removed.body.version}`)).status,
    ).toBe(404);

    const history = (await h.call('GET', `/devices/${tablet.id}/history`)).body.events;
    expect(history.slice(0, 3).map((e: { type: string; changes: unknown }) => [e.type, e.changes])).toEqual([
      ['modified', [{ field: 'image', before: 'attached', after: 'removed' }]],
      ['modified', [{ field: 'image', before: 'attached', after: 'replaced' }]],
      ['modified', [{ field: 'image', before: null, after: 'attached' }]],
    ]);
  });

  it('DEV-6: an upload or removal based on a stale version is refused before the file is read, and changes nothing', async () => {
    h.signIn('operator');
    const monitor = await create('Stale monitor');
    const renamed = await h.call('PATCH', `/devices/${monitor.id}`, {
      name: 'Stale monitor 2',
      version: monitor.version,
    });
    const files = await fileCount();
    const stale = await h.upload(
      `/devices/${monitor.id}/invoice?version=${monitor.version}`,
      pdf,
      'application/pdf',
    );
    expect([stale.status, stale.body.error.code]).toEqual([409, 'modified_by_someone_else']);
    const staleImage = await h.upload(
      `/devices/${monitor.id}/image?version=${monitor.version}`,
      samplePng(),
      'image/png',
    );
    expect(staleImage.status).toBe(409);
    expect(await fileCount()).toBe(files);
    const current = await h.upload(
      `/devices/${monitor.id}/invoice?version=${renamed.body.version}`,
      pdf,
      'application/pdf',
    );
    expect(current.status).toBe(200);
    const staleRemove = await h.call(
      'DELETE',
      `/devices/${monitor.id}/invoice?version=${renamed.body.version}`,
    );
    expect(staleRemove.status).toBe(409);
    expect((await device(monitor.id)).invoiceFile).toMatchObject({ deletedAt: null });
  });

  /** The app on a real port, for what inject() cannot show (a refusal while the client still sends). */
  let address: string | undefined;
  it.each([
    ['declares its length', true],
    ['sends no length', false],
  ])(
    'DEV-1: over HTTP, an invoice upload past 2 MB that %s is answered 413 while it is still sending',
    async (_what, declared) => {
      h.signIn('operator');
      const scanner = await create(`HTTP scanner ${declared}`);
      address ??= await h.app.listen({ port: 0, host: '127.0.0.1' });
      const total = 3 * MB;
      const answer = await new Promise<{ status: number; code: string }>((resolve, reject) => {
        const request = http.request(
          new URL(`${address}/api/v1/devices/${scanner.id}/invoice?version=${scanner.version}`),
          {
            agent: false,
            method: 'PUT',
            headers: {
              'content-type': 'application/pdf',
              ...(declared ? { 'content-length': String(total) } : {}),
            },
          },
          (response) => {
            let body = '';
            response.on('data', (part) => {
              body += part;
            });
            response.on('end', () =>
              resolve({ status: response.statusCode!, code: JSON.parse(body).error.code }),
            );
          },
        );
        request.on('error', reject);
        request.write(pdf);
        let sent = pdf.length;
        const pump = () => {
          while (sent < total) {
            sent += 64 * 1024;
            if (!request.write(Buffer.alloc(64 * 1024, 0x20))) {
              request.once('drain', pump);
              return;
            }
          }
          request.end();
        };
        pump();
      });
      expect(answer).toEqual({ status: 413, code: 'payload_too_large' });
      expect(await device(scanner.id)).toMatchObject({ version: scanner.version, invoiceFile: null });
    },
  );

  it('API-2: the file routes are in the OpenAPI document with their permissions’ answers and the raw body types', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    const invoice = doc.paths['/api/v1/devices/{id}/invoice'];
    expect(Object.keys(invoice).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(invoice.put.requestBody.content)).toEqual(['application/pdf']);
    expect(invoice.put.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['id', 'version']);
    expect(Object.keys(doc.paths['/api/v1/devices/{id}/image']).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(doc.paths['/api/v1/devices/{id}/image'].put.requestBody.content).sort()).toEqual([
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
    expect(Object.keys(doc.paths['/api/v1/devices/{id}/invoice/restore'])).toEqual(['post']);
  });
});
