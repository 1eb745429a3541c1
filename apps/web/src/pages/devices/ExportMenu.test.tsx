import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render';
import { device, devicesServer } from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('exporting the device list', () => {
  it('DEV-13: Export offers CSV and XLSX of the list as filtered and sorted now, every page', async () => {
    const server = devicesServer({ devices: [device({ status: 'used' })] });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices?status=used,damaged&sort=name&order=asc&size=50&q=think');
    await screen.findByRole('list', { name: 'Devices' });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    const csv = await screen.findByRole('menuitem', { name: 'CSV' });
    const xlsx = screen.getByRole('menuitem', { name: 'Excel (XLSX)' });
    const csvUrl = new URL(csv.getAttribute('href')!, 'https://app.test');
    expect(csvUrl.pathname).toBe('/api/v1/devices/export');
    expect(Object.fromEntries(csvUrl.searchParams)).toEqual({
      search: 'think',
      status: 'used,damaged',
      sort: 'name',
      order: 'asc',
      format: 'csv',
    });
    expect(csv.hasAttribute('download')).toBe(true);
    expect(new URL(xlsx.getAttribute('href')!, 'https://app.test').searchParams.get('format')).toBe('xlsx');
  });
});
