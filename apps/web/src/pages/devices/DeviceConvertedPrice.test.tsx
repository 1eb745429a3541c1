import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render';
import { DEVICE_ID, device, devicesServer, usdPrice } from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const inUsd = device(usdPrice);

describe('converted prices on the device pages', () => {
  it('DEV-1: the device page shows the price converted into the default currency under the original, with its rate', async () => {
    vi.stubGlobal('fetch', devicesServer({ devices: [inUsd] }).fetchImpl);
    renderApp(`/devices/${DEVICE_ID}`);
    const details = await screen.findByRole('region', { name: 'Details' });
    const converted = await within(details).findByTestId('converted-price');
    expect(converted.textContent).toBe(
      '≈ €1,235.38 · At the ECB reference rate of Jan 14, 2030: 1 USD = 0.950299 EUR',
    );
    expect(converted.getAttribute('data-source')).toBe('ecb');
  });

  it('DEV-1: the device list shows each price with its conversion, or that there is no rate for its currency', async () => {
    const chf = device({
      id: '0193b000-0000-7000-8000-000000000201',
      number: 201,
      name: 'Monitor',
      displayName: 'Monitor',
      price: '500',
      currency: 'CHF',
      convertedPrice: null,
    });
    const eur = device({
      id: '0193b000-0000-7000-8000-000000000202',
      number: 202,
      name: 'Dock',
      displayName: 'Dock',
      price: '269',
      currency: 'EUR',
      convertedPrice: { amount: '269.00', currency: 'EUR', rate: '1', rateDate: null, source: 'same' },
    });
    vi.stubGlobal('fetch', devicesServer({ devices: [inUsd, chf, eur] }).fetchImpl);
    renderApp('/devices?view=list');
    const table = await screen.findByRole('table', { name: 'Devices' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers).toContain('Price');
    const rowOf = async (name: string) =>
      (await within(table).findByRole('link', { name })).closest('tr') as HTMLElement;
    const usdRow = await rowOf('ThinkPad X1');
    expect(usdRow.textContent).toContain('$1,299.99');
    expect(within(usdRow).getByTestId('converted-price').textContent).toBe('≈ €1,235.38');
    const chfRow = await rowOf('Monitor');
    expect(within(chfRow).getByTestId('converted-price').textContent).toBe('No exchange rate for CHF');
    const eurRow = await rowOf('Dock');
    expect(eurRow.textContent).toContain('€269.00');
    expect(within(eurRow).queryByTestId('converted-price')).toBeNull();
  });
});
