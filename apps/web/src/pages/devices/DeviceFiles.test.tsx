import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Device } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDownloads } from '../../test-support/downloads';
import { meAs } from '../../test-support/people';
import { renderApp } from '../../test-support/render';
import { CSRF, DEVICE_ID, device, devicesServer, PDF_MAGIC, settings } from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const NOW = '2030-02-01T10:00:00.000Z';
const RESTORABLE_UNTIL = '2030-02-15T10:00:00.000Z';

interface FileRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/**
 * The devices API of testDevices, with a device's invoice and image routes in front: uploads keep the
 * file's size, removals keep an invoice restorable for 14 days, as the server does.
 */
function filesServer(first: Device, role: 'administrator' | 'operator' | 'viewer' = 'administrator') {
  const server = devicesServer({ devices: [first], me: meAs(role, { csrfToken: CSRF }) });
  const fileRequests: FileRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'https://app.test');
    const match = /^\/api\/v1\/devices\/([^/]+)\/(invoice|image)(\/restore)?$/.exec(url.pathname);
    if (!match) return server.fetchImpl(input, init);
    const method = (init?.method ?? 'GET').toUpperCase();
    fileRequests.push({
      method,
      path: url.pathname + url.search,
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    const current = server.devices.get(decodeURIComponent(match[1]!))!;
    const kind = match[2] as 'invoice' | 'image';
    const json = (value: unknown) =>
      new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });
    const save = (patch: Partial<Device>) => {
      const saved = { ...current, ...patch, version: current.version + 1 };
      server.devices.set(current.id, saved);
      return json(saved);
    };
    if (method === 'GET' && kind === 'invoice') {
      return new Response(`${PDF_MAGIC}\n% invoice\n%%EOF\n`, {
        status: 200,
        headers: { 'content-type': 'application/pdf' },
      });
    }
    if (method === 'PUT') {
      const file = init?.body as File;
      if (kind === 'image')
        return save({ image: { url: `/api/v1/devices/${current.id}/image?v=img-2`, etag: 'img-2' } });
      return save({
        invoiceFile: { size: file.size, uploadedAt: NOW, deletedAt: null, restorableUntil: null },
      });
    }
    if (method === 'DELETE' && kind === 'image') return save({ image: null });
    if (method === 'DELETE') {
      return save({
        invoiceFile: { ...current.invoiceFile!, deletedAt: NOW, restorableUntil: RESTORABLE_UNTIL },
      });
    }
    return save({ invoiceFile: { ...current.invoiceFile!, deletedAt: null, restorableUntil: null } });
  };
  return { ...server, fetchImpl, fileRequests };
}

async function openDevice(server: ReturnType<typeof filesServer>) {
  vi.stubGlobal('fetch', server.fetchImpl);
  renderApp(`/devices/${DEVICE_ID}`);
  await screen.findByRole('heading', { level: 1, name: 'ThinkPad X1' });
}

const invoiceCard = () => screen.findByRole('region', { name: 'Invoice' });
/** The hidden file input behind a card's upload button. */
const fileInput = (card: HTMLElement) => card.querySelector('input[type="file"]') as HTMLInputElement;
const choose = (card: HTMLElement, file: File) =>
  fireEvent.change(fileInput(card), { target: { files: [file] } });
const pdfFile = (size = 1_000) =>
  new File([PDF_MAGIC, ' '.repeat(size - PDF_MAGIC.length)], 'invoice.pdf', { type: 'application/pdf' });

describe('device invoices and images', () => {
  it('DEV-1: the invoice section uploads a PDF as the raw body with the version and CSRF token, then offers Download', async () => {
    const { downloads } = captureDownloads();
    const server = filesServer(device({ invoiceNumber: 'INV-7' }));
    await openDevice(server);
    const card = await invoiceCard();
    expect((within(card).getByLabelText('Invoice number') as HTMLInputElement).value).toBe('INV-7');
    expect(within(card).getByTestId('invoice-file').textContent).toBe('No invoice PDF yet.');

    const chosen = pdfFile(250_000);
    choose(card, chosen);
    await within(card).findByText(/^PDF, 244 KB, uploaded /);
    const [put] = server.fileRequests;
    expect(put).toMatchObject({ method: 'PUT', path: `/api/v1/devices/${DEVICE_ID}/invoice?version=1` });
    expect(put!.body).toBe(chosen);
    expect(put!.headers.get('content-type')).toBe('application/pdf');
    expect(put!.headers.get('x-csrf-token')).toBe(CSRF);

    fireEvent.click(within(card).getByRole('button', { name: 'Download PDF' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]?.fileName).toBe('invoice-108.pdf');
    expect((await downloads[0]!.file.text()).startsWith(PDF_MAGIC)).toBe(true);
  });

  it('DEV-1: a file that is no PDF, or over 2 MB, is refused before anything is sent', async () => {
    const server = filesServer(device());
    await openDevice(server);
    const card = await invoiceCard();
    choose(card, new File(['MZ'], 'invoice.pdf', { type: 'application/x-msdownload' }));
    expect((await within(card).findByRole('alert')).textContent).toBe('Choose a PDF of at most 2 MB.');
    choose(card, pdfFile(2 * 1024 * 1024 + 1));
    expect(within(card).getByRole('alert').textContent).toBe('Choose a PDF of at most 2 MB.');
    expect(server.fileRequests).toHaveLength(0);
  });

  it('DEV-1: removing the PDF asks first; an Administrator then sees until when it can be restored, and restores it', async () => {
    const server = filesServer(
      device({ invoiceFile: { size: 2048, uploadedAt: NOW, deletedAt: null, restorableUntil: null } }),
    );
    await openDevice(server);
    const card = await invoiceCard();
    fireEvent.click(within(card).getByRole('button', { name: 'Remove PDF' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove the invoice PDF?' });
    expect(dialog.textContent).toContain('An Administrator can restore it for 14 days');
    expect(server.fileRequests).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove PDF' }));

    await within(card).findByText(/^Removed .*; it can be restored until /);
    expect(server.fileRequests[0]).toMatchObject({
      method: 'DELETE',
      path: `/api/v1/devices/${DEVICE_ID}/invoice?version=1`,
    });
    fireEvent.click(within(card).getByRole('button', { name: 'Restore PDF' }));
    await within(card).findByRole('button', { name: 'Download PDF' });
    expect(server.fileRequests[1]).toMatchObject({
      method: 'POST',
      path: `/api/v1/devices/${DEVICE_ID}/invoice/restore`,
      body: JSON.stringify({ version: 2 }),
    });
  });

  it('DEV-1: an Operator may remove but not restore; a Viewer only downloads', async () => {
    const removed = { size: 2048, uploadedAt: NOW, deletedAt: NOW, restorableUntil: RESTORABLE_UNTIL };
    await openDevice(filesServer(device({ invoiceFile: removed }), 'operator'));
    const card = await invoiceCard();
    await within(card).findByText(/it can be restored until/);
    expect(within(card).queryByRole('button', { name: 'Restore PDF' })).toBeNull();
    expect(within(card).getByRole('button', { name: 'Upload PDF' })).toBeTruthy();
    cleanup();

    const active = { ...removed, deletedAt: null, restorableUntil: null };
    await openDevice(filesServer(device({ invoiceFile: active }), 'viewer'));
    const viewerCard = await invoiceCard();
    expect(within(viewerCard).getByRole('button', { name: 'Download PDF' })).toBeTruthy();
    expect(within(viewerCard).queryByRole('button', { name: /Upload|Replace|Remove/ })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Image' })).toBeNull();
  });

  it('DEV-1: with invoice management off there is no invoice section; without custom data or uploads their parts are gone', async () => {
    await openDevice(
      filesServer(device({ invoiceSettings: { management: false, customData: false, uploads: false } })),
    );
    await screen.findByRole('region', { name: 'Details' });
    expect(screen.queryByRole('region', { name: 'Invoice' })).toBeNull();
    expect(screen.queryByLabelText('Invoice number')).toBeNull();
    cleanup();

    await openDevice(
      filesServer(device({ invoiceSettings: { management: true, customData: false, uploads: false } })),
    );
    const card = await invoiceCard();
    expect(within(card).getByLabelText('Vendor')).toBeTruthy();
    expect(within(card).queryByLabelText('PO extension')).toBeNull();
    expect(within(card).queryByTestId('invoice-file')).toBeNull();
  });

  it('DEV-1: the edit-all form leaves hidden invoice fields out, so their kept values are not cleared', async () => {
    const server = filesServer(
      device({ invoiceSettings: { management: true, customData: false, uploads: true } }),
    );
    vi.stubGlobal('fetch', server.fetchImpl);
    const inventory = { ...settings, customInvoiceData: false };
    const withSettings = async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/api/v1/inventory-settings')
        ? new Response(JSON.stringify(inventory), { headers: { 'content-type': 'application/json' } })
        : server.fetchImpl(input, init);
    vi.stubGlobal('fetch', withSettings);
    renderApp(`/devices/${DEVICE_ID}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit all' }));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByLabelText(/^Invoice number/);
    expect(within(dialog).queryByLabelText(/^PO extension/)).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: /^Save/ }));
    await waitFor(() => expect(server.requests.some((r) => r.method === 'PATCH')).toBe(true));
    const patch = server.requests.find((r) => r.method === 'PATCH')!.body as Record<string, unknown>;
    expect(patch).toHaveProperty('invoiceNumber');
    expect(patch).not.toHaveProperty('poExtension');
  });

  it('DEV-1: an image is uploaded, shown on the device page and on its tile, and removed after asking', async () => {
    const server = filesServer(device());
    await openDevice(server);
    const card = await screen.findByRole('region', { name: 'Image' });
    expect(within(card).getByText('No image yet.')).toBeTruthy();
    choose(card, new File(['GIF89a'], 'photo.gif', { type: 'image/gif' }));
    expect((await within(card).findByRole('alert')).textContent).toMatch(/^Choose a PNG, JPEG or WebP image/);

    const photo = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'photo.png', { type: 'image/png' });
    choose(card, photo);
    const shown = (await within(card).findByRole('img', {
      name: 'Image of ThinkPad X1',
    })) as HTMLImageElement;
    expect(shown.getAttribute('src')).toBe(`/api/v1/devices/${DEVICE_ID}/image?v=img-2`);
    expect(server.fileRequests[0]).toMatchObject({
      method: 'PUT',
      path: `/api/v1/devices/${DEVICE_ID}/image?version=1`,
    });

    fireEvent.click(within(card).getByRole('button', { name: 'Remove image' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove the image?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove image' }));
    await within(card).findByText('No image yet.');
    expect(server.fileRequests[1]).toMatchObject({
      method: 'DELETE',
      path: `/api/v1/devices/${DEVICE_ID}/image?version=2`,
    });
  });

  it('DEV-9, DEV-1: a device tile shows the device image when there is one', async () => {
    const server = filesServer(
      device({ image: { url: `/api/v1/devices/${DEVICE_ID}/image?v=abc`, etag: 'abc' } }),
    );
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices?view=cards');
    const tiles = await screen.findByRole('list', { name: 'Devices' });
    const image = (await within(tiles).findByTestId('device-tile-image')) as HTMLImageElement;
    expect(image.getAttribute('src')).toBe(`/api/v1/devices/${DEVICE_ID}/image?v=abc`);
  });
});
