import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { InventorySettings, Role } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render';
import { CSRF, catalogServer, invoiceSwitchesOn, place } from './catalogTestServer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// Place ids are UUIDs, as the server makes them and the settings' schema requires.
const BERLIN = '0193a000-0000-7000-8000-0000000000b1';
const STORE = '0193a000-0000-7000-8000-0000000000b2';
const places = [place(BERLIN, 'Berlin office', 3), place(STORE, 'Storeroom')];
const disabled: InventorySettings = {
  defaultPlaceId: null,
  barcodeMode: 'disabled',
  barcodePrefix: '',
  barcodeDigits: 6,
  ...invoiceSwitchesOn,
  version: 1,
};

async function form() {
  return screen.findByRole('form', { name: 'Inventory settings' });
}

function save(container: HTMLElement) {
  fireEvent.click(within(container).getByRole('button', { name: 'Save inventory settings' }));
}

describe('Settings → Inventory', () => {
  it('DEV-4: an Administrator sets the default place for new devices; the Places list then marks it', async () => {
    const server = catalogServer({ places, settings: disabled });
    vi.stubGlobal('fetch', server.fetchImpl);
    const { router } = renderApp('/settings/inventory');
    const settings = await form();
    const select = within(settings).getByLabelText('Default place for new devices') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect([...select.options].map((o) => o.text)).toEqual([
      'None: new devices go to IT',
      'Berlin office',
      'Storeroom',
    ]);
    expect(
      within(settings).getByRole('button', { name: 'Save inventory settings' }).hasAttribute('disabled'),
    ).toBe(true);

    fireEvent.change(select, { target: { value: STORE } });
    save(settings);
    expect((await within(settings).findByRole('status')).textContent).toContain('Inventory settings saved.');
    const [put] = server.sent('PUT');
    expect(put?.path).toBe('/api/v1/inventory-settings');
    expect(put?.headers.get('x-csrf-token')).toBe(CSRF);
    expect(put?.body).toEqual({
      defaultPlaceId: STORE,
      barcodeMode: 'disabled',
      barcodePrefix: '',
      barcodeDigits: 6,
      invoiceManagement: true,
      customInvoiceData: true,
      invoiceUploads: true,
      version: 1,
    });

    await router.navigate({ to: '/settings/places' });
    const table = await screen.findByRole('table', { name: 'Places' });
    const storeroom = (await within(table).findByText('Storeroom')).closest('tr') as HTMLElement;
    await waitFor(() => expect(within(storeroom).getByText('Default place')).toBeTruthy());
  });

  it('DEV-10: each barcode scheme is explained in one line; Company Device ID previews prefix and padded number', async () => {
    const server = catalogServer({ places, settings: disabled });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/inventory');
    const settings = await form();
    const schemes = within(settings).getByRole('radiogroup', { name: 'Barcode scheme' });
    expect(schemes.textContent).toContain('Devices have no barcode.');
    expect(schemes.textContent).toContain(
      'Typed per device, e.g. from an existing label; unique in the tenant.',
    );
    expect(schemes.textContent).toContain('the prefix and a zero-padded number, e.g. ACME-000042');
    expect(within(settings).queryByLabelText(/Prefix/)).toBeNull();

    fireEvent.click(within(schemes).getByRole('radio', { name: /Company Device ID/ }));
    fireEvent.change(within(settings).getByLabelText(/Prefix/), { target: { value: 'ACME-' } });
    const example = within(settings).getByTestId('company-id-example');
    expect(example.textContent).toBe('ACME-000042');
    fireEvent.change(within(settings).getByLabelText(/Digits/), { target: { value: '4' } });
    expect(example.textContent).toBe('ACME-0042');

    save(settings);
    await within(settings).findByText('Inventory settings saved.');
    expect(server.sent('PUT')[0]?.body).toEqual({
      defaultPlaceId: null,
      barcodeMode: 'company_id',
      barcodePrefix: 'ACME-',
      barcodeDigits: 4,
      invoiceManagement: true,
      customInvoiceData: true,
      invoiceUploads: true,
      version: 1,
    });
    expect(server.state.settings).toMatchObject({ barcodeMode: 'company_id', version: 2 });
  });

  it('DEV-10: a prefix with other characters is refused with the rule, before anything is sent', async () => {
    const server = catalogServer({ places, settings: { ...disabled, barcodeMode: 'company_id' } });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/inventory');
    const settings = await form();
    const prefix = within(settings).getByLabelText(/Prefix/);
    fireEvent.change(prefix, { target: { value: 'AC ME' } });
    save(settings);
    expect(
      await within(settings).findByText('A barcode prefix uses letters, digits and - only'),
    ).toBeTruthy();
    expect(prefix.getAttribute('aria-invalid')).toBe('true');
    expect(server.sent('PUT')).toEqual([]);
  });

  it('DEV-6: a stale save says "Modified by someone else"; Reload shows the other person’s settings, nothing is overwritten', async () => {
    const server = catalogServer({ places, settings: disabled });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/inventory');
    const settings = await form();
    server.changeSettingsBehindTheScenes({ barcodeMode: 'asset_id', defaultPlaceId: BERLIN });
    fireEvent.change(within(settings).getByLabelText('Default place for new devices'), {
      target: { value: STORE },
    });
    save(settings);

    const alert = await within(settings).findByRole('alert');
    expect(alert.textContent).toContain('Modified by someone else');
    expect(server.state.settings).toMatchObject({ defaultPlaceId: BERLIN, version: 2 });
    const reads = server.reads('/api/v1/inventory-settings');
    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));

    await waitFor(() =>
      expect(
        (within(settings).getByLabelText('Default place for new devices') as HTMLSelectElement).value,
      ).toBe(BERLIN),
    );
    expect(server.reads('/api/v1/inventory-settings')).toBe(reads + 1);
    expect((within(settings).getByRole('radio', { name: /Asset ID/ }) as HTMLInputElement).checked).toBe(
      true,
    );
    expect(within(settings).getByRole('status').textContent).toContain('the form shows the current settings');
    expect(within(settings).queryByRole('alert')).toBeNull();

    fireEvent.change(within(settings).getByLabelText('Default place for new devices'), {
      target: { value: STORE },
    });
    save(settings);
    await within(settings).findByText('Inventory settings saved.');
    expect(server.sent('PUT').map((p) => (p.body as { version: number }).version)).toEqual([1, 2]);
    expect(server.state.settings).toMatchObject({ defaultPlaceId: STORE, barcodeMode: 'asset_id' });
  });

  it('DEV-4: Operators and Viewers read the inventory settings; only Administrators change them', async () => {
    for (const role of ['operator', 'viewer'] satisfies Role[]) {
      vi.stubGlobal(
        'fetch',
        catalogServer(
          {
            places,
            settings: {
              defaultPlaceId: BERLIN,
              barcodeMode: 'company_id',
              barcodePrefix: 'BER-',
              barcodeDigits: 5,
              ...invoiceSwitchesOn,
              version: 3,
            },
          },
          role,
        ).fetchImpl,
      );
      renderApp('/settings/inventory');
      const summary = await screen.findByRole('table', { name: 'Inventory settings' });
      expect(summary.textContent).toContain('Default place for new devicesBerlin office');
      expect(summary.textContent).toContain('Company Device ID');
      expect(summary.textContent).toContain('BER-00042');
      const main = screen.getByRole('main');
      expect(within(main).queryAllByRole('button')).toEqual([]);
      expect(within(main).queryAllByRole('textbox')).toEqual([]);
      expect(within(main).queryAllByRole('combobox')).toEqual([]);
      expect(main.textContent).toContain('Only Administrators change the inventory settings.');
      cleanup();
    }
  });
});
