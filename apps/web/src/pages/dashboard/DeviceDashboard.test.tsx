import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../test-support/people';
import { jsonFetch, problemAnswer, type RecordedRequest, renderApp } from '../../test-support/render';
import { CSRF, devicesServer, sent } from '../devices/testDevices';
import { deviceFigures, SOONEST_IDS } from './testDashboard';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DASHBOARD_PATH = '/api/v1/dashboard/devices';

/** The app's API with the dashboard figures answered by `figures`. */
function serve(
  figures: { status?: number; body?: unknown },
  role: Parameters<typeof meAs>[0] = 'administrator',
) {
  const fetchImpl = jsonFetch({
    '/api/v1/me': { body: meAs(role, { csrfToken: CSRF }) },
    [DASHBOARD_PATH]: figures,
    '/health': { status: 503, body: {} },
    '/ready': { status: 503, body: {} },
  });
  vi.stubGlobal('fetch', fetchImpl);
  return fetchImpl;
}

const region = (name: string) => screen.getByRole('region', { name });

/** Where a link leads, as path and filters. */
function target(link: HTMLElement) {
  const url = new URL(link.getAttribute('href') ?? '', 'https://app.test');
  return { path: url.pathname, search: Object.fromEntries(url.searchParams) };
}

describe('the devices dashboard', () => {
  it('DASH-1: counts by status in the status colours, each count opening the list of that status', async () => {
    serve({ body: deviceFigures() });
    renderApp('/');
    const chart = await screen.findByRole('list', { name: 'Devices by status' });
    const rows = within(chart).getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('data-status'))).toEqual([
      'new',
      'in_use',
      'in_service',
      'used',
      'missing',
      'damaged',
      'charity',
      'discarded',
      'eol',
      'store',
    ]);
    const missing = within(chart).getByRole('link', { name: 'Missing: 6 devices' });
    expect(missing.textContent).toBe('6');
    expect(target(missing)).toEqual({ path: '/devices', search: { status: 'missing' } });
    expect(target(within(chart).getByRole('link', { name: 'In-use: 150 devices' }))).toEqual({
      path: '/devices',
      search: { status: 'in_use' },
    });
    // The bars carry the status colours; the largest count fills its row.
    expect(screen.getByTestId('status-bar-missing').getAttribute('style')).toContain('red');
    expect(screen.getByTestId('status-bar-in_use').getAttribute('style')).toContain('blue');
    expect(screen.getByTestId('status-bar-in_use').getAttribute('style')).toContain('width: 100%');
    expect(screen.getByTestId('status-bar-charity').getAttribute('style')).toContain('grape');
    const all = within(region('Devices by status')).getByRole('link', { name: '280 devices' });
    expect(target(all)).toEqual({ path: '/devices', search: {} });
  });

  it('DASH-1: risky devices count Missing, Damaged and EOL, each and together, linked to the filtered list', async () => {
    serve({ body: deviceFigures() });
    renderApp('/');
    const risky = await screen.findByRole('region', { name: 'Risky devices' });
    const link = (name: string) => target(within(risky).getByRole('link', { name }));
    expect(link('Missing: 6 devices').search).toEqual({ status: 'missing' });
    expect(link('Damaged: 4 devices').search).toEqual({ status: 'damaged' });
    expect(link('EOL: 8 devices').search).toEqual({ status: 'eol' });
    expect(within(risky).getByRole('link', { name: 'All risky devices: 18 devices' }).textContent).toBe(
      '18 in all',
    );
    expect(link('All risky devices: 18 devices')).toEqual({
      path: '/devices',
      search: { status: 'missing,damaged,eol' },
    });
  });

  it('DASH-1: assignment coverage shows the assigned share as a ring in per cent, and the devices with IT', async () => {
    serve({ body: deviceFigures() });
    renderApp('/');
    const coverage = await screen.findByRole('region', { name: 'Assignment coverage' });
    // 150 of 280 is 53.6%: rounded down, so 100% only ever means every device.
    expect(within(coverage).getByRole('img', { name: '53% of devices are assigned' })).toBeTruthy();
    expect(within(coverage).getByText('53%')).toBeTruthy();
    expect(coverage.textContent).toContain('150 of 280 devices are with an employee or at a place.');
    const withIt = within(coverage).getByRole('link', { name: 'With the IT department: 130 devices' });
    expect(target(withIt)).toEqual({ path: '/devices', search: { assignee: 'it' } });
    const assigned = within(coverage).getByRole('link', {
      name: 'With an employee or at a place: 150 devices',
    });
    expect(target(assigned)).toEqual({ path: '/devices', search: { assignee: 'assigned' } });
  });

  it('DASH-1: warranties ending within 90 days: the count links to the list, the five soonest to their devices', async () => {
    serve({ body: deviceFigures() });
    renderApp('/');
    const warranties = await screen.findByRole('region', { name: 'Warranties ending within 90 days' });
    const count = within(warranties).getByRole('link', {
      name: 'Warranties ending within 90 days: 7 devices',
    });
    expect(target(count)).toEqual({ path: '/devices', search: { warranty: 'expiring' } });
    const soonest = within(warranties).getByRole('list', { name: 'Ending first' });
    const items = within(soonest).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(items[0]?.textContent).toContain('#200');
    expect(items[0]?.textContent).toContain('Dell Latitude 1');
    expect(items[0]?.textContent).toContain('Feb 1, 2030');
    expect(target(within(items[0]!).getByRole('link'))).toEqual({
      path: `/devices/${SOONEST_IDS[0]}`,
      search: {},
    });
    expect(target(within(warranties).getByRole('link', { name: 'Show all 7' })).search).toEqual({
      warranty: 'expiring',
    });
  });

  it('DASH-1: clicking a count opens the device list with that filter', async () => {
    const server = devicesServer();
    const requests: RecordedRequest[] = server.requests;
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input) === DASHBOARD_PATH
        ? new Response(JSON.stringify(deviceFigures()), { headers: { 'content-type': 'application/json' } })
        : server.fetchImpl(input, init),
    );
    const { router } = renderApp('/');
    const risky = await screen.findByRole('region', { name: 'Risky devices' });
    fireEvent.click(within(risky).getByRole('link', { name: 'All risky devices: 18 devices' }));

    await screen.findByRole('heading', { level: 1, name: 'Devices' });
    expect(router.state.location.pathname).toBe('/devices');
    await waitFor(() =>
      expect(
        sent(requests, 'GET', '/api/v1/devices?').some(
          (r) => new URL(r.path, 'https://app.test').searchParams.get('status') === 'missing,damaged,eol',
        ),
      ).toBe(true),
    );
    expect(router.state.location.search).toMatchObject({ status: 'missing,damaged,eol' });
    const statusFilter = within(screen.getByRole('region', { name: 'Filters' })).getByRole('combobox', {
      name: 'Status',
    });
    expect(statusFilter.closest('.mantine-MultiSelect-root')?.textContent).toContain('Missing');
  });

  it('DASH-1: a tenant without devices is told so, with the way to the devices', async () => {
    serve({
      body: deviceFigures({
        total: 0,
        byStatus: deviceFigures().byStatus,
        coverage: { assigned: 0, total: 0 },
        warrantiesExpiring: { count: 0, soonest: [] },
      }),
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'No devices yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the devices' }).getAttribute('href')).toBe('/devices');
    expect(screen.queryByRole('region', { name: 'Risky devices' })).toBeNull();
  });

  it('DASH-1: figures that cannot be loaded show the server message with Retry', async () => {
    serve(problemAnswer(503, 'service_unavailable', 'The database is busy.'));
    renderApp('/');
    const alert = await screen.findByText('Could not load the device figures');
    const box = alert.closest('[role="alert"]') as HTMLElement;
    expect(box.textContent).toContain('The database is busy.');
    expect(within(box).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('ROLE-1: a Viewer sees the device figures; an Employee never asks for them', async () => {
    serve({ body: deviceFigures() }, 'viewer');
    renderApp('/');
    expect(await screen.findByRole('region', { name: 'Risky devices' })).toBeTruthy();

    cleanup();
    const fetchImpl = serve({ body: deviceFigures() }, 'employee');
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/my-devices'));
    expect(sent(fetchImpl.requests, 'GET', DASHBOARD_PATH)).toHaveLength(0);
  });
});
