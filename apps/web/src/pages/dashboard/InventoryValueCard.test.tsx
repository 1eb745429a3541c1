import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../test-support/people';
import { jsonFetch, renderApp } from '../../test-support/render';
import { deviceFigures } from './testDashboard';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function serve(figures: object) {
  vi.stubGlobal(
    'fetch',
    jsonFetch({
      '/api/v1/me': { body: meAs('viewer') },
      '/api/v1/dashboard/devices': { body: figures },
      '/health': { status: 503, body: {} },
      '/ready': { status: 503, body: {} },
    }),
  );
}

describe('the inventory value on the dashboard', () => {
  it('DEV-1: the total in the default currency, each foreign currency with its converted sum and rate', async () => {
    serve(deviceFigures());
    renderApp('/');
    const card = await screen.findByRole('region', { name: 'Inventory value' });
    expect(within(card).getByTestId('inventory-value').textContent).toBe('€312,450.00');
    expect(card.textContent).toContain('purchase value of 270 devices in EUR');
    const converted = within(card).getByRole('table', { name: 'Converted into the default currency' });
    const rows = within(converted).getAllByRole('row');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toContain('$13,102.08');
    expect(rows[0]!.textContent).toContain('10 devices');
    expect(rows[0]!.textContent).toContain('≈ €12,450.00');
    expect(rows[0]!.textContent).toContain('At the ECB reference rate of Jan 14, 2030: 1 USD = 0.950299 EUR');
    expect(within(card).queryAllByTestId('value-not-counted')).toEqual([]);
    expect(within(card).getByRole('link', { name: 'Currency and rates' }).getAttribute('href')).toBe(
      '/settings/currency',
    );
  });

  it('DEV-1: currencies without a rate and prices without a currency are shown as not counted', async () => {
    const figures = deviceFigures();
    serve({
      ...figures,
      inventoryValue: {
        currency: 'CHF',
        amount: '1000.05',
        deviceCount: 1,
        byCurrency: [
          {
            currency: 'ARS',
            amount: '250000.00',
            deviceCount: 3,
            converted: null,
          },
          {
            currency: 'CHF',
            amount: '1000.05',
            deviceCount: 1,
            converted: { amount: '1000.05', currency: 'CHF', rate: '1', rateDate: null, source: 'same' },
          },
        ],
        withoutCurrency: 2,
      },
    });
    renderApp('/');
    const card = await screen.findByRole('region', { name: 'Inventory value' });
    expect(within(card).getByTestId('inventory-value').textContent).toBe('CHF\u00a01,000.05');
    expect(within(card).queryByRole('table')).toBeNull();
    expect(
      within(card)
        .getAllByTestId('value-not-counted')
        .map((line) => line.textContent),
    ).toEqual([
      'Not counted: ARS\u00a0250,000.00 (3 devices) — no exchange rate for ARS.',
      'Not counted: 2 devices with a price but no currency.',
    ]);
  });
});
