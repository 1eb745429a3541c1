import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Role } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render';
import { AT, CSRF, failedFetch, moneyServer } from './moneyTestServer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const region = (name: string) => screen.findByRole('region', { name });

describe('Settings → Currency', () => {
  it('DEV-1: an Administrator chooses the default currency; the change is sent with the version read', async () => {
    const server = moneyServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/currency');
    const form = await screen.findByRole('form', { name: 'Default currency' });
    const select = within(form).getByLabelText('Default currency') as HTMLSelectElement;
    expect(select.value).toBe('EUR');
    const labels = [...select.options].map((o) => o.text);
    expect(labels).toContain('CHF — Swiss Franc');
    expect(labels).toContain('USD — US Dollar');
    const save = within(form).getByRole('button', { name: 'Save default currency' });
    expect(save.hasAttribute('disabled')).toBe(true);

    fireEvent.change(select, { target: { value: 'CHF' } });
    fireEvent.click(save);
    expect((await within(form).findByRole('status')).textContent).toContain(
      'Default currency saved: prices are now also shown in CHF.',
    );
    const [put] = server.sent('PUT');
    expect(put?.path).toBe('/api/v1/money-settings');
    expect(put?.headers.get('x-csrf-token')).toBe(CSRF);
    expect(put?.body).toEqual({ defaultCurrency: 'CHF', version: 1 });
    expect(server.state.settings).toEqual({ defaultCurrency: 'CHF', version: 2 });
  });

  it('DEV-6: a default currency changed meanwhile by someone else is not overwritten; Reload shows theirs', async () => {
    const server = moneyServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/currency');
    const form = await screen.findByRole('form', { name: 'Default currency' });
    server.state.settings = { defaultCurrency: 'GBP', version: 2 };
    fireEvent.change(within(form).getByLabelText('Default currency'), { target: { value: 'CHF' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save default currency' }));
    const stale = await within(form).findByRole('alert');
    expect(stale.textContent).toContain('Modified by someone else');
    fireEvent.click(within(stale).getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect((within(form).getByLabelText('Default currency') as HTMLSelectElement).value).toBe('GBP'),
    );
    expect(server.state.settings).toEqual({ defaultCurrency: 'GBP', version: 2 });
  });

  it('DEV-1: the ECB state shows the rates’ day and last success; a failed last fetch is an alert saying the old rates are kept', async () => {
    vi.stubGlobal('fetch', moneyServer().fetchImpl);
    renderApp('/settings/currency');
    const ecb = await region('Reference rates (European Central Bank)');
    const alert = within(ecb).getByRole('alert');
    expect(alert.textContent).toContain('The last fetch of the exchange rates failed');
    expect(alert.textContent).toContain('The rate source answered HTTP 503');
    expect(alert.textContent).toContain('The old rates of Jan 14, 2030 are kept until a fetch succeeds.');
    expect(within(ecb).getByTestId('ecb-rate-date').textContent).toBe('Jan 14, 2030');
    const table = within(ecb).getByRole('table', { name: 'Reference rates' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-currency'))).toEqual(['GBP', 'USD']);
    expect(rows[1]!.textContent).toContain('1.0523');
    expect(rows[1]!.textContent).toContain('US Dollar');

    cleanup();
    const fine = { ...failedFetch, source: { ...failedFetch.source!, lastError: null } };
    vi.stubGlobal('fetch', moneyServer({ ecb: fine }).fetchImpl);
    renderApp('/settings/currency');
    const ok = await region('Reference rates (European Central Bank)');
    expect(within(ok).queryByRole('alert')).toBeNull();
    expect(within(ok).getByRole('table', { name: 'Reference rate fetch' }).textContent).toContain(
      'Last successful fetch',
    );
  });

  it('DEV-1: manual rates are added (checked before sending), changed with their version and removed', async () => {
    const server = moneyServer({
      manual: [{ currency: 'USD', perEur: '1.10', updatedAt: AT, version: 1 }],
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/currency');
    const card = await region('Manual rates');
    // The ECB publishes USD: its rate is used, the manual one waits.
    const usd = within(card)
      .getByRole('table', { name: 'Manual rates' })
      .querySelector('[data-currency="USD"]')!;
    expect(usd.textContent).toContain('ECB rate used instead');

    const add = within(card).getByRole('form', { name: 'Add a manual rate' });
    const currency = within(add).getByLabelText('Currency') as HTMLSelectElement;
    const options = [...currency.options].map((o) => o.value);
    expect(options).not.toContain('EUR');
    expect(options).not.toContain('USD');
    fireEvent.change(currency, { target: { value: 'ARS' } });
    fireEvent.change(within(add).getByLabelText('Units per 1 EUR'), { target: { value: '1,5' } });
    fireEvent.click(within(add).getByRole('button', { name: 'Add rate' }));
    expect(
      await within(add).findByText('A rate like 1.0845 (units of the currency per 1 euro)'),
    ).toBeTruthy();
    expect(server.sent('PUT')).toEqual([]);

    fireEvent.change(within(add).getByLabelText('Units per 1 EUR'), { target: { value: '1050.50' } });
    fireEvent.click(within(add).getByRole('button', { name: 'Add rate' }));
    const ars = await waitFor(() => {
      const row = card.querySelector('[data-currency="ARS"]');
      expect(row).not.toBeNull();
      return row as HTMLElement;
    });
    expect(ars.textContent).toContain('Argentine Peso');
    expect(ars.textContent).toContain('In use');
    expect(server.sent('PUT').map((r) => [r.path, r.body])).toEqual([
      ['/api/v1/manual-exchange-rates/ARS', { perEur: '1050.50' }],
    ]);

    fireEvent.click(within(ars).getByRole('button', { name: 'Change the rate for ARS' }));
    const box = within(ars).getByLabelText('Units of ARS per 1 EUR');
    fireEvent.change(box, { target: { value: '1075.25' } });
    fireEvent.click(within(ars).getByRole('button', { name: 'Save the rate for ARS' }));
    await waitFor(() =>
      expect(card.querySelector('[data-currency="ARS"]')?.textContent).toContain('1075.25'),
    );
    expect(server.sent('PUT').at(-1)?.body).toEqual({ perEur: '1075.25', version: 1 });

    const current = card.querySelector('[data-currency="ARS"]') as HTMLElement;
    fireEvent.click(within(current).getByRole('button', { name: 'Remove the rate for ARS' }));
    await waitFor(() => expect(card.querySelector('[data-currency="ARS"]')).toBeNull());
    expect(server.sent('DELETE').map((r) => r.path)).toEqual(['/api/v1/manual-exchange-rates/ARS?version=2']);
  });

  it('DEV-1: a default currency without any rate is pointed out, with the way to add one', async () => {
    vi.stubGlobal('fetch', moneyServer({ settings: { defaultCurrency: 'ARS', version: 3 } }).fetchImpl);
    renderApp('/settings/currency');
    const warning = await screen.findByText(/There is no exchange rate for ARS, the default currency/);
    expect(warning.textContent).toContain('Add a manual rate for ARS below.');
  });

  it('ROLE-1: Operators and Viewers read the currency settings and rates without any edit control', async () => {
    for (const role of ['operator', 'viewer'] satisfies Role[]) {
      const server = moneyServer(
        {
          settings: { defaultCurrency: 'CHF', version: 2 },
          manual: [{ currency: 'ARS', perEur: '1050.50', updatedAt: AT, version: 1 }],
        },
        role,
      );
      vi.stubGlobal('fetch', server.fetchImpl);
      renderApp('/settings/currency');
      expect((await screen.findByTestId('default-currency')).textContent).toBe('CHF');
      const card = await region('Manual rates');
      expect(card.querySelector('[data-currency="ARS"]')?.textContent).toContain('1050.50');
      expect(screen.queryByRole('form')).toBeNull();
      expect(within(card).queryAllByRole('button')).toEqual([]);
      expect(within(card).getByText('Only Administrators change the rates.')).toBeTruthy();
      cleanup();
    }
  });
});
