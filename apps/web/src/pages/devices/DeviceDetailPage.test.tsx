import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoTenants, meAs } from '../../test-support/people';
import { renderApp } from '../../test-support/render';
import { PICKER_DEBOUNCE_MS } from './AssigneePicker';
import {
  CSRF,
  DEVICE_ID,
  device,
  devicesServer,
  historyEvent,
  LENA_REF,
  laptopCategory,
  SCREEN_ID,
  sent,
} from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DEVICE_PATH = `/api/v1/devices/${DEVICE_ID}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openDevice(server: ReturnType<typeof devicesServer>) {
  vi.stubGlobal('fetch', server.fetchImpl);
  const view = renderApp(`/devices/${DEVICE_ID}`);
  await screen.findByRole('heading', { level: 1, name: 'ThinkPad X1' });
  await screen.findByRole('region', { name: 'Details' });
  return view;
}

const details = () => screen.getByRole('region', { name: 'Details' });
/** A field by its label; a required one's label ends with an asterisk. */
const field = (label: string) =>
  within(details()).getByLabelText(new RegExp(`^${label}\\s*\\*?$`)) as HTMLInputElement;

/** Types into a field and leaves it, as a person tabbing on would. */
function edit(label: string, value: string) {
  const box = field(label);
  fireEvent.focus(box);
  fireEvent.change(box, { target: { value } });
  fireEvent.blur(box);
}

describe('the device page', () => {
  it('DEV-1: shows name, #number, status badge and every field', async () => {
    await openDevice(
      devicesServer({ devices: [device({ status: 'in_use', price: '1299.90', currency: 'EUR' })] }),
    );
    expect(screen.getByTestId('device-number').textContent).toBe('#108');
    const summary = screen.getByTestId('device-summary');
    expect(within(summary).getByText('In-use').closest('[data-status]')?.getAttribute('data-status')).toBe(
      'in_use',
    );
    expect(field('Serial number').value).toBe('SN-108');
    expect(field('Price').value).toBe('1299.90');
    expect(field('Currency').value).toBe('EUR');
    expect(document.title).toBe('ThinkPad X1 · TheStorage');
  });

  it('DEV-6: a field saves on leaving it with the version read, and says Saved', async () => {
    const server = devicesServer();
    await openDevice(server);
    edit('Name', 'ThinkPad X1 Carbon');

    await within(details()).findByText('Saved');
    const [patch] = sent(server.requests, 'PATCH', DEVICE_PATH);
    expect(patch?.body).toEqual({ name: 'ThinkPad X1 Carbon', version: 1 });
    expect(patch?.headers.get('x-csrf-token')).toBe(CSRF);
    await screen.findByRole('heading', { level: 1, name: 'ThinkPad X1 Carbon' });

    // The next save is based on the version the first one returned.
    edit('Serial number', 'SN-200');
    await waitFor(() => expect(sent(server.requests, 'PATCH', DEVICE_PATH)).toHaveLength(2));
    expect(sent(server.requests, 'PATCH', DEVICE_PATH)[1]?.body).toEqual({ serial: 'SN-200', version: 2 });
  });

  it('DEV-6: a stale edit shows "Modified by someone else"; Reload shows their version and drops the edit', async () => {
    const server = devicesServer();
    await openDevice(server);
    server.editElsewhere(DEVICE_ID, { name: 'Renamed elsewhere', displayName: 'Renamed elsewhere' });
    edit('Name', 'My stale name');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Modified by someone else');
    expect(within(details()).getByText('Not saved: modified by someone else.')).toBeTruthy();
    // Nothing else can be changed until the device is reloaded.
    expect(field('Serial number').disabled).toBe(true);

    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await screen.findByRole('heading', { level: 1, name: 'Renamed elsewhere' });
    await waitFor(() => expect(field('Name').value).toBe('Renamed elsewhere'));
    expect(screen.queryByText('Modified by someone else')).toBeNull();
    expect(field('Serial number').disabled).toBe(false);
    expect(sent(server.requests, 'PATCH', DEVICE_PATH)).toHaveLength(1);
  });

  it('DEV-6: Edit all saves every field with the version; a stale save offers Reload, which refills the form', async () => {
    const server = devicesServer();
    await openDevice(server);
    fireEvent.click(screen.getByRole('button', { name: 'Edit all' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit device' });
    const box = (label: string) =>
      within(dialog).getByLabelText(new RegExp(`^${label}\\s*\\*?$`)) as HTMLInputElement;
    await waitFor(() => expect(box('Name').value).toBe('ThinkPad X1'));
    server.editElsewhere(DEVICE_ID, { name: 'Renamed elsewhere', displayName: 'Renamed elsewhere' });
    fireEvent.change(box('Serial number'), { target: { value: 'SN-999' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('Modified by someone else');
    fireEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(box('Name').value).toBe('Renamed elsewhere'));
    expect(box('Serial number').value).toBe('SN-108');

    fireEvent.change(box('Serial number'), { target: { value: 'SN-999' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const patches = sent(server.requests, 'PATCH', DEVICE_PATH);
    expect(patches.map((p) => (p.body as { version: number }).version)).toEqual([1, 2]);
    expect(patches[1]?.body).toMatchObject({
      name: 'Renamed elsewhere',
      serial: 'SN-999',
      status: 'new',
      tagIds: [],
    });
    await waitFor(() => expect(field('Serial number').value).toBe('SN-999'));
  });

  it('DEV-1: a taken serial number and a refused price show the server message on their field', async () => {
    const server = devicesServer();
    await openDevice(server);
    edit('Serial number', 'TAKEN');
    await within(details()).findByText('Another device of this tenant already has this serial number');
    edit('Price', '12,50');
    await within(details()).findByText('A price like 1299 or 1299.90');
    expect(screen.queryByText('Modified by someone else')).toBeNull();
  });

  it('DEV-2: category attributes are typed, with their suffix, and required ones are marked', async () => {
    const server = devicesServer({
      devices: [
        device({ category: { id: laptopCategory.id, name: 'Laptop' }, attributes: { [SCREEN_ID]: 14 } }),
      ],
    });
    await openDevice(server);
    const screenSize = await within(details()).findByLabelText(/Screen/);
    expect((screenSize as HTMLInputElement).value).toBe('14');
    expect((screenSize as HTMLInputElement).required).toBe(true);
    expect(within(details()).getByText('in')).toBeTruthy();
    expect((field('Bought') as HTMLInputElement).type).toBe('date');

    fireEvent.focus(screenSize);
    fireEvent.change(screenSize, { target: { value: '16' } });
    fireEvent.blur(screenSize);
    await waitFor(() => expect(sent(server.requests, 'PATCH', DEVICE_PATH)).toHaveLength(1));
    expect(sent(server.requests, 'PATCH', DEVICE_PATH)[0]?.body).toEqual({
      attributes: { [SCREEN_ID]: 16 },
      version: 1,
    });
  });

  it('DEV-4: the picker finds employees after 3 characters; assigning sets In-use and Back to IT sets Used', async () => {
    const server = devicesServer();
    await openDevice(server);
    const panel = screen.getByRole('region', { name: 'Assignment' });
    const picker = within(panel).getByRole('combobox', { name: 'Assign to' });
    fireEvent.focus(picker);
    fireEvent.change(picker, { target: { value: 'Le' } });
    await pause(PICKER_DEBOUNCE_MS + 100);
    expect(sent(server.requests, 'GET', '/api/v1/employees')).toHaveLength(0);

    fireEvent.change(picker, { target: { value: 'Lena' } });
    const option = await screen.findByRole('option', { name: /Lena Fischer/ });
    expect(option.textContent).toContain('Account Manager');
    expect(option.textContent).toContain('2 devices');
    fireEvent.click(option);
    fireEvent.click(within(panel).getByRole('button', { name: 'Assign' }));

    await within(screen.getByTestId('current-assignee')).findByText('Lena Fischer');
    const [assign] = sent(server.requests, 'POST', `${DEVICE_PATH}/assign`);
    expect(assign?.body).toEqual({ assignee: { kind: 'employee', reference: LENA_REF }, version: 1 });
    await waitFor(() => expect(field('Status').value).toBe('in_use'));

    fireEvent.click(within(panel).getByRole('button', { name: 'Back to IT' }));
    await within(screen.getByTestId('current-assignee')).findByText('IT department');
    expect(sent(server.requests, 'POST', `${DEVICE_PATH}/assign`)[1]?.body).toEqual({
      assignee: { kind: 'it' },
      version: 2,
    });
    await waitFor(() => expect(field('Status').value).toBe('used'));
  });

  it('DEV-5: History lists events newest first with icon labels, field changes and the employee by name', async () => {
    const server = devicesServer({
      history: [
        historyEvent({
          type: 'assigned_to_it',
          occurredAt: '2030-01-17T10:00:00.000Z',
          changes: [
            { field: 'assignee', before: 'Lena Fischer', after: 'IT' },
            { field: 'status', before: 'in_use', after: 'used' },
          ],
        }),
        historyEvent({
          type: 'assigned_to_employee',
          occurredAt: '2030-01-16T10:00:00.000Z',
          changes: [{ field: 'assignee', before: 'IT', after: 'Lena Fischer' }],
          employee: {
            reference: LENA_REF,
            known: true,
            displayName: 'Lena Fischer',
            userName: null,
            jobTitle: null,
            active: true,
          },
        }),
        historyEvent({
          type: 'modified',
          occurredAt: '2030-01-15T12:00:00.000Z',
          changes: [{ field: 'name', before: 'ThinkPad', after: 'ThinkPad X1' }],
        }),
        historyEvent({ type: 'created', changes: [{ field: 'name', before: null, after: 'ThinkPad' }] }),
      ],
    });
    await openDevice(server);
    fireEvent.click(screen.getByRole('button', { name: 'Show history' }));
    const dialog = await screen.findByRole('dialog', { name: 'History of ThinkPad X1 (#108)' });
    await within(dialog).findByText('Assigned to IT');
    const order = [...dialog.querySelectorAll('[data-event]')].map((e) => e.getAttribute('data-event'));
    expect(order).toEqual(['assigned_to_it', 'assigned_to_employee', 'modified', 'created']);
    const [toIt, toLena, modified] = [...dialog.querySelectorAll('[data-event]')] as HTMLElement[];
    expect(toIt?.textContent).toContain('Status: In-use → Used');
    expect(within(toLena as HTMLElement).getAllByText('Lena Fischer').length).toBeGreaterThan(0);
    expect(modified?.textContent).toContain('Name: ThinkPad → ThinkPad X1');
    expect(within(dialog).getByText('Modified')).toBeTruthy();
  });

  it('DEV-8: Delete names the device, offers a status instead, and one click sets it without deleting', async () => {
    const server = devicesServer();
    await openDevice(server);
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete device' });
    expect(within(dialog).getByRole('heading', { name: 'Delete ThinkPad X1 (#108)?' })).toBeTruthy();
    const instead = within(dialog).getByRole('group', { name: 'Set a status instead' });
    expect(
      within(instead)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Set to In-Service', 'Set to Damaged', 'Set to Charity', 'Set to Discarded', 'Set to EOL']);

    fireEvent.click(within(instead).getByRole('button', { name: 'Set to Damaged' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent(server.requests, 'PATCH', DEVICE_PATH)[0]?.body).toEqual({ status: 'damaged', version: 1 });
    expect(sent(server.requests, 'DELETE', DEVICE_PATH)).toHaveLength(0);
    await waitFor(() => expect(field('Status').value).toBe('damaged'));
  });

  it('DEV-8: Delete for good sends the version read and returns to the list', async () => {
    const server = devicesServer();
    const { router } = await openDevice(server);
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete device' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/devices'));
    const [removal] = sent(server.requests, 'DELETE', DEVICE_PATH);
    expect(removal?.path).toBe(`${DEVICE_PATH}?version=1`);
    expect(removal?.headers.get('x-csrf-token')).toBe(CSRF);
  });

  it('DEV-7: Move asks for the tenant and barcode, confirms by name, then sends the version', async () => {
    const boston = { ...demoTenants.boston, role: 'administrator' as const, isGlobal: true };
    const me = meAs('administrator', { csrfToken: CSRF });
    const server = devicesServer({ me: { ...me, tenants: [...me.tenants, boston] } });
    await openDevice(server);
    fireEvent.click(screen.getByRole('button', { name: 'Move…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move to another tenant' });
    expect((within(dialog).getByLabelText('Move to') as HTMLSelectElement).value).toBe(boston.id);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Keep the barcode/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByText('Move ThinkPad X1 (#108) to Demo Boston?')).toBeTruthy();
    expect(sent(server.requests, 'POST', `${DEVICE_PATH}/move`)).toHaveLength(0);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Move device' }));
    await within(dialog).findByText(/was moved to Demo Boston/);
    expect(sent(server.requests, 'POST', `${DEVICE_PATH}/move`)[0]?.body).toEqual({
      tenantId: boston.id,
      keepBarcode: true,
      version: 1,
    });
  });

  it('ROLE-1: a Viewer reads the device with no edit, assign, move or delete controls', async () => {
    await openDevice(devicesServer({ me: meAs('viewer', { csrfToken: CSRF }) }));
    expect(within(details()).queryAllByRole('textbox')).toHaveLength(0);
    expect(within(details()).getByText('SN-108')).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Assign to' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit all' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Move…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete…' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Show history' })).toBeTruthy();
    // Labels only read the device: a Viewer may print them.
    expect(screen.getByRole('button', { name: 'Print label' })).toBeTruthy();
    expect(screen.queryByLabelText('Add a comment')).toBeNull();
  });

  it('ROLE-1: an Operator edits and assigns but may not move or delete', async () => {
    await openDevice(devicesServer({ me: meAs('operator', { csrfToken: CSRF }) }));
    expect(field('Name').readOnly).toBe(false);
    expect(screen.getByRole('combobox', { name: 'Assign to' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Edit all' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Move…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete…' })).toBeNull();
  });

  it('DEV-1: an unknown device says so with a way back', async () => {
    vi.stubGlobal('fetch', devicesServer({ devices: [] }).fetchImpl);
    renderApp(`/devices/${DEVICE_ID}`);
    expect(await screen.findByRole('heading', { name: 'Device not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the devices' }).getAttribute('href')).toBe('/devices');
  });
});
