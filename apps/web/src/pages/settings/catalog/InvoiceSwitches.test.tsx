import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { InventorySettings } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../test-support/render';
import { CSRF, catalogServer, invoiceSwitchesOn } from './catalogTestServer';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const current: InventorySettings = {
  defaultPlaceId: null,
  barcodeMode: 'disabled',
  barcodePrefix: '',
  barcodeDigits: 6,
  ...invoiceSwitchesOn,
  version: 4,
};

/** A switch by its label (its accessible name goes on with its description). */
const switchNamed = (container: HTMLElement, label: string) =>
  within(container).getByRole('switch', { name: new RegExp(`^${label}`) }) as HTMLInputElement;

describe('Settings → Inventory → Invoices', () => {
  it('DEV-1: an Administrator turns invoice uploads off; the PO extension and PDF switches follow invoice management', async () => {
    const server = catalogServer({ settings: current });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/inventory');
    const form = await screen.findByRole('form', { name: 'Inventory settings' });
    const invoices = within(form).getByRole('region', { name: 'Invoices' });
    expect(switchNamed(invoices, 'Invoice management').checked).toBe(true);

    fireEvent.click(switchNamed(invoices, 'Invoice uploads'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save inventory settings' }));
    await within(form).findByText('Inventory settings saved.');
    const [put] = server.sent('PUT');
    expect(put?.headers.get('x-csrf-token')).toBe(CSRF);
    expect(put?.body).toMatchObject({
      invoiceManagement: true,
      customInvoiceData: true,
      invoiceUploads: false,
      version: 4,
    });
    expect(server.state.settings).toMatchObject({ invoiceUploads: false, version: 5 });

    fireEvent.click(switchNamed(invoices, 'Invoice management'));
    expect(switchNamed(invoices, 'Custom invoice data').disabled).toBe(true);
    expect(switchNamed(invoices, 'Invoice uploads').disabled).toBe(true);
  });

  it('DEV-1: without the plan the switches say so; Viewers read them as text', async () => {
    vi.stubGlobal(
      'fetch',
      catalogServer({ settings: { ...current, invoiceManagementInPlan: false } }).fetchImpl,
    );
    renderApp('/settings/inventory');
    const invoices = await screen.findByRole('region', { name: 'Invoices' });
    expect(invoices.textContent).toContain('Invoice management needs the Professional plan.');
    cleanup();

    vi.stubGlobal(
      'fetch',
      catalogServer({ settings: { ...current, invoiceUploads: false } }, 'viewer').fetchImpl,
    );
    renderApp('/settings/inventory');
    const table = await screen.findByRole('table', { name: 'Inventory settings' });
    const row = (label: string) => within(table).getByText(label).closest('tr')?.textContent;
    expect(row('Invoice management')).toBe('Invoice managementOn');
    expect(row('Invoice uploads')).toBe('Invoice uploadsOff');
    expect(screen.queryByRole('switch')).toBeNull();
  });
});
