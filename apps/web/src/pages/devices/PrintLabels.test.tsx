import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDownloads } from '../../test-support/downloads';
import { meAs } from '../../test-support/people';
import { renderApp } from '../../test-support/render';
import { CSRF, DEVICE_ID, devicesServer, manyDevices, PDF_MAGIC, sent } from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

async function openDevice(server: ReturnType<typeof devicesServer>) {
  vi.stubGlobal('fetch', server.fetchImpl);
  renderApp(`/devices/${DEVICE_ID}`);
  await screen.findByRole('heading', { level: 1, name: 'ThinkPad X1' });
}

describe('a label from the device page', () => {
  it('DEV-10: Print label offers QR code and Code 128 and downloads the chosen label as device-labels.pdf', async () => {
    const { downloads } = captureDownloads();
    const server = devicesServer();
    await openDevice(server);
    fireEvent.click(screen.getByRole('button', { name: 'Print label' }));
    const formats = await screen.findAllByRole('menuitem');
    expect(formats.map((item) => item.textContent)).toEqual(['QR code', 'Code 128']);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Code 128' }));

    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]?.fileName).toBe('device-labels.pdf');
    expect((await downloads[0]!.file.text()).startsWith(PDF_MAGIC)).toBe(true);
    const [request] = sent(server.requests, 'POST', '/api/v1/devices/labels');
    expect(request?.body).toEqual({ deviceIds: [DEVICE_ID], format: 'code128' });
    expect(request?.headers.get('x-csrf-token')).toBe(CSRF);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('DEV-10: a refused label shows the server message and downloads nothing', async () => {
    const { downloads } = captureDownloads();
    await openDevice(
      devicesServer({
        labelsProblem: {
          status: 429,
          code: 'rate_limited',
          message: 'Too many requests: try again in a minute.',
        },
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Print label' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'QR code' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not print the labels');
    expect(alert.textContent).toContain('Too many requests: try again in a minute.');
    expect(downloads).toHaveLength(0);
  });
});

describe('labels for a selection of devices', () => {
  const twoPages = () =>
    devicesServer({
      devices: [...manyDevices(20, 1), ...manyDevices(5, 21)],
      pages: {
        '': { devices: manyDevices(20, 1), nextCursor: 'cursor-2', total: 25, totalCapped: false },
        'cursor-2': { devices: manyDevices(5, 21), nextCursor: null, total: 25, totalCapped: false },
      },
    });
  const bar = () => screen.getByRole('region', { name: 'Selection' });
  const count = () => within(bar()).getByRole('status').textContent;
  const box = (name: string) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

  it('DEV-10: Select shows a checkbox per card, a count and Select all on this page; the selection survives Next and Previous', async () => {
    const { downloads } = captureDownloads();
    const server = twoPages();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    expect(screen.queryByRole('checkbox', { name: /^Select Laptop/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Select' }));
    const cards = screen.getByRole('list', { name: 'Devices' });
    expect(within(cards).getAllByRole('checkbox')).toHaveLength(20);
    expect(count()).toBe('0 selected');
    const print = () => within(bar()).getByRole('button', { name: 'Print labels' }) as HTMLButtonElement;
    expect(print().disabled).toBe(true);

    fireEvent.click(box('Select Laptop 3 (#3)'));
    expect(count()).toBe('1 selected');
    const allHere = () => within(bar()).getByRole('checkbox', { name: 'Select all on this page' });
    expect((allHere() as HTMLInputElement).checked).toBe(false);
    expect(allHere().getAttribute('data-indeterminate')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Laptop 21');
    expect(count()).toBe('1 selected');
    fireEvent.click(allHere());
    expect(count()).toBe('6 selected');
    expect(box('Select Laptop 25 (#25)').checked).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('Laptop 1');
    expect(box('Select Laptop 3 (#3)').checked).toBe(true);
    expect(box('Select Laptop 4 (#4)').checked).toBe(false);

    fireEvent.click(print());
    fireEvent.click(await screen.findByRole('menuitem', { name: 'QR code' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]?.fileName).toBe('device-labels.pdf');
    expect((await downloads[0]!.file.text()).startsWith(PDF_MAGIC)).toBe(true);
    const ids = (from: number, to: number) => manyDevices(to - from + 1, from).map((d) => d.id);
    // In the order they were picked.
    expect(sent(server.requests, 'POST', '/api/v1/devices/labels')[0]?.body).toEqual({
      deviceIds: [...ids(3, 3), ...ids(21, 25)],
      format: 'qr',
    });
    expect(sent(server.requests, 'POST', '/api/v1/devices/labels')[0]?.headers.get('x-csrf-token')).toBe(
      CSRF,
    );
  });

  it('DEV-10: the list view has a checkbox per row; the selection outlives leaving the list, Done selecting forgets it', async () => {
    const server = twoPages();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices?view=list');
    await screen.findByRole('table', { name: 'Devices' });
    fireEvent.click(screen.getByRole('button', { name: 'Select' }));
    const table = screen.getByRole('table', { name: 'Devices' });
    expect(within(table).getAllByRole('checkbox')).toHaveLength(20);
    fireEvent.click(within(bar()).getByRole('checkbox', { name: 'Select all on this page' }));
    fireEvent.click(box('Select Laptop 2 (#2)'));
    expect(count()).toBe('19 selected');

    // A visit to a device page (or a reload) in this tab keeps the selection.
    cleanup();
    renderApp('/devices?view=list');
    await screen.findByRole('table', { name: 'Devices' });
    expect(count()).toBe('19 selected');
    expect(box('Select Laptop 1 (#1)').checked).toBe(true);
    expect(box('Select Laptop 2 (#2)').checked).toBe(false);

    fireEvent.click(within(bar()).getByRole('button', { name: 'Clear selection' }));
    expect(count()).toBe('0 selected');
    fireEvent.click(box('Select Laptop 2 (#2)'));
    fireEvent.click(within(bar()).getByRole('button', { name: 'Done selecting' }));
    expect(screen.queryByRole('region', { name: 'Selection' })).toBeNull();
    expect(within(screen.getByRole('table', { name: 'Devices' })).queryAllByRole('checkbox')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Select' }));
    expect(count()).toBe('0 selected');
  });

  it('DEV-10: labels refused by the server say why (a selected device was deleted meanwhile)', async () => {
    const { downloads } = captureDownloads();
    const server = twoPages();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    fireEvent.click(screen.getByRole('button', { name: 'Select' }));
    fireEvent.click(box('Select Laptop 1 (#1)'));
    server.devices.delete(manyDevices(1, 1)[0]!.id);
    fireEvent.click(within(bar()).getByRole('button', { name: 'Print labels' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Code 128' }));
    const alert = await within(bar()).findByRole('alert');
    expect(alert.textContent).toContain('Could not print the labels');
    expect(alert.textContent).toContain('Device not found');
    expect(downloads).toHaveLength(0);
  });

  it('DEV-10: a selection of one tenant is not offered in another', async () => {
    const server = twoPages();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    fireEvent.click(screen.getByRole('button', { name: 'Select' }));
    fireEvent.click(box('Select Laptop 1 (#1)'));
    expect(count()).toBe('1 selected');

    cleanup();
    const other = meAs('administrator', { csrfToken: CSRF });
    const boston = {
      ...other.activeTenant!,
      id: '0193a000-0000-7000-8000-000000000002',
      name: 'Demo Boston',
    };
    vi.stubGlobal(
      'fetch',
      devicesServer({ me: { ...other, activeTenant: boston, tenants: [boston] } }).fetchImpl,
    );
    renderApp('/devices');
    await screen.findByRole('list', { name: 'Devices' });
    expect(screen.queryByRole('region', { name: 'Selection' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Select' })).toBeTruthy();
  });

  it('DEV-10: a damaged stored selection reads as no selection', async () => {
    sessionStorage.setItem(
      `thestorage.device-selection.${meAs('administrator').activeTenant!.id}`,
      '{"ids":7',
    );
    vi.stubGlobal('fetch', twoPages().fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    expect(screen.queryByRole('region', { name: 'Selection' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Select' }));
    expect(count()).toBe('0 selected');
  });

  it('DEV-10: more than 500 selected cannot be printed at once, and the bar says so', async () => {
    const ids = Array.from(
      { length: 501 },
      (_, i) => `0193b000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    );
    sessionStorage.setItem(
      `thestorage.device-selection.${meAs('administrator').activeTenant!.id}`,
      JSON.stringify({ active: true, ids }),
    );
    vi.stubGlobal('fetch', twoPages().fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    expect(count()).toBe('501 selected');
    expect((within(bar()).getByRole('button', { name: 'Print labels' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(bar().textContent).toContain('At most 500 labels at once');
  });
});
