import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../test-support/people';
import { renderApp } from '../../test-support/render';
import { PICKER_DEBOUNCE_MS } from './AssigneePicker';
import { SEARCH_DEBOUNCE_MS } from './DeviceFilters';
import {
  BERLIN_HQ_ID,
  CSRF,
  device,
  devicesServer,
  FINANCE_TAG_ID,
  LAPTOP_ID,
  LENA_REF,
  manyDevices,
  sent,
} from './testDevices';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const lists = (requests: ReturnType<typeof devicesServer>['requests']) =>
  sent(requests, 'GET', '/api/v1/devices?').map((r) => new URL(r.path, 'https://app.test').searchParams);

const lastList = (requests: ReturnType<typeof devicesServer>['requests']) => lists(requests).at(-1)!;

describe('the Devices list', () => {
  it('DEV-9: shows cards with #number, status badge and warranty shield, and a list view kept in the address', async () => {
    const server = devicesServer({
      devices: [
        device({ status: 'in_use', warrantyState: 'valid', warrantyEnd: '2031-01-01' }),
        device({
          id: '0193b000-0000-7000-8000-000000000107',
          number: 107,
          name: 'Old Dell',
          displayName: 'Old Dell',
          status: 'discarded',
          warrantyState: 'expired',
          warrantyEnd: '2020-01-01',
        }),
      ],
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    const { router } = renderApp('/devices');

    const cards = await screen.findByRole('list', { name: 'Devices' });
    expect(within(cards).getByText('#108')).toBeTruthy();
    expect(within(cards).getByRole('link', { name: 'ThinkPad X1' }).getAttribute('href')).toBe(
      '/devices/0193b000-0000-7000-8000-000000000108',
    );
    expect(within(cards).getByRole('img', { name: /Warranty valid until Jan 1, 2031/ })).toBeTruthy();
    expect(within(cards).getByRole('img', { name: /Warranty expired on Jan 1, 2020/ })).toBeTruthy();
    expect(screen.getByTestId('device-range').textContent).toBe('1–2 of 2');

    fireEvent.click(screen.getByRole('radio', { name: 'List' }));
    const table = await screen.findByRole('table', { name: 'Devices' });
    await waitFor(() => expect(router.state.location.search).toMatchObject({ view: 'list' }));
    const row = within(table).getByText('Old Dell').closest('tr') as HTMLElement;
    expect(within(row).getByText('#107')).toBeTruthy();
    expect(within(row).getByText('Discarded')).toBeTruthy();
  });

  it('DEV-3: each status shows in its colour, Discarded struck through, and a device without warranty has no shield', async () => {
    const server = devicesServer({
      devices: [
        device({ status: 'in_use' }),
        device({ id: '0193b000-0000-7000-8000-000000000107', number: 107, status: 'discarded' }),
        device({ id: '0193b000-0000-7000-8000-000000000106', number: 106, status: 'missing' }),
      ],
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices?view=list');
    const table = await screen.findByRole('table', { name: 'Devices' });
    const badge = (label: string) => within(table).getByText(label).closest('[data-status]') as HTMLElement;
    expect(badge('In-use').getAttribute('style')).toContain('blue');
    expect(badge('Missing').getAttribute('style')).toContain('red');
    expect(badge('Discarded').getAttribute('style')).toContain('line-through');
    expect(within(table).queryAllByRole('img', { name: /Warranty/ })).toHaveLength(0);
  });

  it('DEV-9: filters by text (debounced), category, statuses, place, tag and warranty; sorting and page size go to the server', async () => {
    const server = devicesServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    const { router } = renderApp('/devices');
    await screen.findByRole('list', { name: 'Devices' });
    const filters = screen.getByRole('region', { name: 'Filters' });

    for (const value of ['thi', 'think', 'thinkpad']) {
      fireEvent.change(within(filters).getByLabelText('Search'), { target: { value } });
    }
    await waitFor(() => expect(lastList(server.requests).get('search')).toBe('thinkpad'));
    await pause(SEARCH_DEBOUNCE_MS + 50);
    expect(
      lists(server.requests)
        .filter((q) => q.has('search'))
        .map((q) => q.get('search')),
    ).toEqual(['thinkpad']);

    fireEvent.change(within(filters).getByLabelText('Category'), { target: { value: LAPTOP_ID } });
    fireEvent.change(within(filters).getByLabelText('Tag'), { target: { value: FINANCE_TAG_ID } });
    fireEvent.change(within(filters).getByLabelText('Warranty'), { target: { value: 'expiring' } });
    await waitFor(() => expect(lastList(server.requests).get('warranty')).toBe('expiring'));

    fireEvent.click(within(filters).getByRole('combobox', { name: 'Status' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Missing' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Damaged' }));
    await waitFor(() => expect(lastList(server.requests).get('status')).toBe('missing,damaged'));

    const assignee = within(filters).getByRole('combobox', { name: 'Assigned to' });
    fireEvent.focus(assignee);
    fireEvent.change(assignee, { target: { value: 'Berl' } });
    fireEvent.click(await screen.findByRole('option', { name: /Berlin HQ/ }));
    await waitFor(() => expect(lastList(server.requests).get('assignee')).toBe(`place:${BERLIN_HQ_ID}`));

    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'name' } });
    fireEvent.change(screen.getByLabelText('Order'), { target: { value: 'asc' } });
    fireEvent.change(screen.getByLabelText('Devices per page'), { target: { value: '50' } });
    await waitFor(() => expect(lastList(server.requests).get('limit')).toBe('50'));
    expect(Object.fromEntries(lastList(server.requests))).toEqual({
      search: 'thinkpad',
      categoryId: LAPTOP_ID,
      status: 'missing,damaged',
      tagId: FINANCE_TAG_ID,
      assignee: `place:${BERLIN_HQ_ID}`,
      warranty: 'expiring',
      sort: 'name',
      order: 'asc',
      limit: '50',
    });
    // Everything is in the address: a reload or a shared link shows the same list.
    expect(router.state.location.search).toMatchObject({
      q: 'thinkpad',
      sort: 'name',
      order: 'asc',
      size: 50,
    });

    fireEvent.click(within(filters).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(lastList(server.requests).has('status')).toBe(false));
    expect(Object.fromEntries(lastList(server.requests))).toEqual({
      sort: 'name',
      order: 'asc',
      limit: '50',
    });
  });

  it('DEV-9: the assignee filter finds employees after 3 characters and reads an address with one back by name', async () => {
    const server = devicesServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices');
    await screen.findByRole('list', { name: 'Devices' });
    const picker = within(screen.getByRole('region', { name: 'Filters' })).getByRole('combobox', {
      name: 'Assigned to',
    });
    fireEvent.focus(picker);
    fireEvent.change(picker, { target: { value: 'Le' } });
    await pause(PICKER_DEBOUNCE_MS + 100);
    expect(sent(server.requests, 'GET', '/api/v1/employees')).toHaveLength(0);
    expect(screen.getByText(/Type at least 3 characters to find employees/)).toBeTruthy();

    fireEvent.change(picker, { target: { value: 'Lena' } });
    fireEvent.click(await screen.findByRole('option', { name: /Lena Fischer/ }));
    await waitFor(() => expect(lastList(server.requests).get('assignee')).toBe(`employee:${LENA_REF}`));
    expect(sent(server.requests, 'GET', '/api/v1/employees').map((r) => r.path)).toEqual([
      '/api/v1/employees?search=Lena',
    ]);

    cleanup();
    renderApp(`/devices?assignee=employee:${LENA_REF}`);
    const reread = within(await screen.findByRole('region', { name: 'Filters' })).getByRole('combobox', {
      name: 'Assigned to',
    }) as HTMLInputElement;
    await waitFor(() => expect(reread.value).toBe('Lena Fischer'));
  });

  it('DEV-9: Next and Previous walk the cursor pages with the range of the total', async () => {
    const server = devicesServer({
      pages: {
        '': { devices: manyDevices(20, 1), nextCursor: 'cursor-2', total: 45, totalCapped: false },
        'cursor-2': { devices: manyDevices(20, 21), nextCursor: 'cursor-3', total: 45, totalCapped: false },
        'cursor-3': { devices: manyDevices(5, 41), nextCursor: null, total: 45, totalCapped: false },
      },
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    const range = () => screen.getByTestId('device-range').textContent;
    expect(range()).toBe('1–20 of 45');
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Laptop 21');
    expect(range()).toBe('21–40 of 45');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Laptop 41');
    expect(range()).toBe('41–45 of 45');
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    expect(lists(server.requests).map((q) => q.get('cursor'))).toEqual([null, 'cursor-2', 'cursor-3']);

    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('Laptop 21');
    expect(range()).toBe('21–40 of 45');
  });

  it('DEV-9: a failed list shows the server message with Retry', async () => {
    const server = devicesServer();
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).startsWith('/api/v1/devices?')
        ? new Response(
            JSON.stringify({
              type: 'about:blank',
              title: 'x',
              status: 503,
              requestId: 'req-42',
              error: { code: 'service_unavailable', message: 'The database is busy.' },
            }),
            { status: 503, headers: { 'content-type': 'application/problem+json' } },
          )
        : server.fetchImpl(input, init),
    );
    renderApp('/devices');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the devices');
    expect(alert.textContent).toContain('The database is busy.');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('ROLE-1: a Viewer sees the devices but no Add device; an Operator may add', async () => {
    vi.stubGlobal('fetch', devicesServer({ me: meAs('viewer', { csrfToken: CSRF }) }).fetchImpl);
    renderApp('/devices');
    await screen.findByRole('list', { name: 'Devices' });
    expect(screen.queryByRole('button', { name: 'Add device' })).toBeNull();

    cleanup();
    vi.stubGlobal('fetch', devicesServer({ me: meAs('operator', { csrfToken: CSRF }) }).fetchImpl);
    renderApp('/devices');
    await screen.findByRole('list', { name: 'Devices' });
    expect(screen.getByRole('button', { name: 'Add device' })).toBeTruthy();
  });

  it('DEV-9: a total the server stopped counting reads "10,000+"', async () => {
    const server = devicesServer({
      pages: {
        '': { devices: manyDevices(20, 1), nextCursor: 'cursor-2', total: 10_000, totalCapped: true },
      },
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/devices');
    await screen.findByText('Laptop 1');
    expect(screen.getByTestId('device-range').textContent).toBe('1–20 of 10,000+');
  });
});
