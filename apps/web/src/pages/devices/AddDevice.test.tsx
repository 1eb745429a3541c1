import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test-support/render';
import {
  CSRF,
  devicesServer,
  FINANCE_TAG_ID,
  LAPTOP_ID,
  LENA_REF,
  LENOVO_ID,
  SCREEN_ID,
  sent,
} from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openForm(server: ReturnType<typeof devicesServer>) {
  vi.stubGlobal('fetch', server.fetchImpl);
  const view = renderApp('/devices');
  fireEvent.click(await screen.findByRole('button', { name: 'Add device' }));
  const dialog = await screen.findByRole('dialog', { name: 'Add device' });
  await within(dialog).findByLabelText(/^Name/);
  return { ...view, dialog };
}

/** A box of the form by its label; a required one's label ends with an asterisk. */
const box = (dialog: HTMLElement, label: string) =>
  within(dialog).getByLabelText(new RegExp(`^${label}\\s*\\*?$`)) as HTMLInputElement;

const type = (dialog: HTMLElement, label: string, value: string) =>
  fireEvent.change(box(dialog, label), { target: { value } });

describe('adding a device', () => {
  it('DEV-1: checks the name and the required attributes of the category before sending anything', async () => {
    const server = devicesServer();
    const { dialog } = await openForm(server);
    expect(box(dialog, 'Name').required).toBe(true);
    fireEvent.change(box(dialog, 'Category'), { target: { value: LAPTOP_ID } });
    const screenSize = box(dialog, 'Screen');
    expect(screenSize.required).toBe(true);
    expect(within(dialog).getByText('in')).toBeTruthy();
    expect(box(dialog, 'Bought').type).toBe('date');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add device' }));
    expect(await within(dialog).findByText('A device name needs at least 2 characters')).toBeTruthy();
    expect(within(dialog).getByText('Screen is required')).toBeTruthy();
    type(dialog, 'Screen', 'big');
    type(dialog, 'Name', 'ThinkPad X1');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add device' }));
    expect(await within(dialog).findByText('Screen is a number')).toBeTruthy();
    expect(sent(server.requests, 'POST', '/api/v1/devices')).toHaveLength(0);
  });

  it('DEV-4: sends every field with typed attributes, tags, vendor and an employee found by the picker, then opens the device', async () => {
    const server = devicesServer();
    const { dialog, router } = await openForm(server);
    type(dialog, 'Name', 'ThinkPad X1');
    type(dialog, 'Serial number', 'PF-123');
    fireEvent.change(box(dialog, 'Category'), { target: { value: LAPTOP_ID } });
    type(dialog, 'Screen', '14.5');
    fireEvent.change(box(dialog, 'Status'), { target: { value: 'in_service' } });
    type(dialog, 'Barcode', 'ASSET-9');
    fireEvent.change(box(dialog, 'Vendor'), { target: { value: LENOVO_ID } });
    type(dialog, 'Price', '1299.90');
    type(dialog, 'Currency', 'eur');
    type(dialog, 'Warranty end', '2031-06-30');
    fireEvent.click(within(dialog).getByRole('combobox', { name: 'Tags' }));
    // The tag picker's option, not the list filter's <option> behind the dialog.
    const options = await screen.findAllByRole('option', { name: 'Finance' });
    fireEvent.click(options.find((option) => option.tagName !== 'OPTION') as HTMLElement);

    const picker = within(dialog).getByRole('combobox', { name: 'Assign to' });
    fireEvent.focus(picker);
    fireEvent.change(picker, { target: { value: 'lena' } });
    fireEvent.click(await screen.findByRole('option', { name: /Lena Fischer/ }));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add device' }));
    await waitFor(() =>
      expect(router.state.location.pathname).toBe('/devices/0193b000-0000-7000-8000-000000000109'),
    );
    const [post] = sent(server.requests, 'POST', '/api/v1/devices');
    expect(post?.headers.get('x-csrf-token')).toBe(CSRF);
    expect(post?.body).toEqual({
      name: 'ThinkPad X1',
      serial: 'PF-123',
      categoryId: LAPTOP_ID,
      attributes: { [SCREEN_ID]: 14.5 },
      status: 'in_service',
      barcode: 'ASSET-9',
      price: '1299.90',
      currency: 'EUR',
      vendorId: LENOVO_ID,
      warrantyEnd: '2031-06-30',
      tagIds: [FINANCE_TAG_ID],
      assignee: { kind: 'employee', reference: LENA_REF },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'ThinkPad X1' })).toBeTruthy();
  });

  it('DEV-1: a serial number another device has is shown on its field and the form stays open', async () => {
    const server = devicesServer();
    const { dialog } = await openForm(server);
    type(dialog, 'Name', 'ThinkPad X1');
    type(dialog, 'Serial number', 'TAKEN');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add device' }));
    expect(
      await within(dialog).findByText('Another device of this tenant already has this serial number'),
    ).toBeTruthy();
    expect(box(dialog, 'Serial number').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('dialog', { name: 'Add device' })).toBeTruthy();
  });
});
