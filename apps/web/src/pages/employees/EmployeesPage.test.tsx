import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Employee, EmployeesSummary, Role } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../test-support/people';
import { jsonFetch, renderApp } from '../../test-support/render';
import { SEARCH_DEBOUNCE_MS } from './EmployeesPage';

const people: Employee[] = [
  {
    reference: 'ref-ada',
    displayName: 'Ada Lovelace',
    userName: 'ada@example.com',
    jobTitle: 'Engineer',
    active: true,
    deviceCount: 3,
  },
  {
    reference: 'ref-adam',
    displayName: null,
    userName: 'adam@example.com',
    jobTitle: null,
    active: false,
    deviceCount: 0,
  },
];

const synced: EmployeesSummary = {
  count: 1234,
  lastRefreshedAt: '2030-01-15T12:00:00.000Z',
  connectionStatus: 'healthy',
};

function employeesServer(summary: EmployeesSummary, role: Role = 'administrator') {
  return jsonFetch({
    '/api/v1/me': { body: meAs(role) },
    'GET /api/v1/employees/summary': { body: summary },
    'GET /api/v1/employees': (request) => {
      const search = new URL(request.path, 'https://app.test').searchParams.get('search') ?? '';
      return {
        body: { employees: people.filter((p) => p.userName.startsWith(search.toLowerCase())) },
      };
    },
  });
}

const searches = (fetchImpl: ReturnType<typeof employeesServer>) =>
  fetchImpl.requests.filter((r) => r.path.startsWith('/api/v1/employees?')).map((r) => r.path);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the Employees page', () => {
  it('DIR-3: shows how many employees the directory brought and when it was last synced', async () => {
    vi.stubGlobal('fetch', employeesServer(synced));
    renderApp('/employees');
    const summary = await screen.findByTestId('employees-summary');
    expect(summary.textContent).toContain('1,234 employees');
    expect(summary.textContent).toContain('Last sync: Jan 15, 2030');
    expect(within(summary).getByText('Healthy')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Coming soon' })).toBeNull();
  });

  it('SEC-5: the search waits for 3 characters, then lists name, job title, e-mail, device count and inactive people', async () => {
    const fetchImpl = employeesServer(synced);
    vi.stubGlobal('fetch', fetchImpl);
    renderApp('/employees');
    const box = await screen.findByLabelText('Search employees');
    fireEvent.change(box, { target: { value: 'ad' } });
    await pause(SEARCH_DEBOUNCE_MS + 200);
    expect(searches(fetchImpl)).toEqual([]);
    expect(screen.getByText(/Type at least 3 characters/)).toBeTruthy();

    fireEvent.change(box, { target: { value: 'ada' } });
    const table = await screen.findByRole('table', { name: 'Employees' });
    expect(searches(fetchImpl)).toEqual(['/api/v1/employees?search=ada']);
    const ada = within(table).getByText('Ada Lovelace').closest('tr') as HTMLElement;
    expect(within(ada).getByText('Engineer')).toBeTruthy();
    expect(within(ada).getByText('ada@example.com')).toBeTruthy();
    expect(within(ada).queryByText('Inactive')).toBeNull();
    expect(within(ada).getByLabelText('3 devices')).toBeTruthy();
    const adam = within(table).getAllByText('adam@example.com')[0]!.closest('tr') as HTMLElement;
    expect(within(adam).getByText('Inactive')).toBeTruthy();
  });

  it('SEC-5: typing quickly sends one search for the settled text', async () => {
    const fetchImpl = employeesServer(synced);
    vi.stubGlobal('fetch', fetchImpl);
    renderApp('/employees');
    const box = await screen.findByLabelText('Search employees');
    for (const value of ['ada', 'adam', 'adam@']) fireEvent.change(box, { target: { value } });
    await screen.findByRole('table', { name: 'Employees' });
    await pause(SEARCH_DEBOUNCE_MS + 100);
    expect(searches(fetchImpl)).toEqual(['/api/v1/employees?search=adam%40']);
  });

  it('DIR-3: with no directory an Administrator is shown how to connect one', async () => {
    const empty = { count: 0, lastRefreshedAt: null, connectionStatus: null };
    vi.stubGlobal('fetch', employeesServer(empty));
    renderApp('/employees');
    expect(await screen.findByRole('heading', { name: 'No employees yet' })).toBeTruthy();
    const link = screen.getByRole('link', { name: /Settings → Directory/ });
    expect(link.getAttribute('href')).toBe('/settings/directory');
    expect(screen.queryByLabelText('Search employees')).toBeNull();
  });

  it('DIR-3: with no directory a Viewer is told to ask an Administrator', async () => {
    const empty = { count: 0, lastRefreshedAt: null, connectionStatus: null };
    vi.stubGlobal('fetch', employeesServer(empty, 'viewer'));
    renderApp('/employees');
    expect(await screen.findByText(/Ask an Administrator to connect the directory/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Settings → Directory/ })).toBeNull();
  });

  it('ROLE-1: an employee may not open the Employees page', async () => {
    const fetchImpl = employeesServer(synced, 'employee');
    vi.stubGlobal('fetch', fetchImpl);
    renderApp('/employees');
    expect(
      await screen.findByRole('heading', { name: 'You are not allowed to open this page' }),
    ).toBeTruthy();
    await waitFor(() => expect(fetchImpl.requests.some((r) => r.path === '/api/v1/me')).toBe(true));
    expect(fetchImpl.requests.some((r) => r.path.startsWith('/api/v1/employees'))).toBe(false);
  });
});
