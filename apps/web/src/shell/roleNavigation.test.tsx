import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { Me, Role } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoTenants, meAs } from '../test-support/people';
import { jsonFetch, renderApp } from '../test-support/render';
import { navigationFor } from './navigation';

const tenantAnswer = {
  body: {
    ...demoTenants.berlin,
    plan: 'free',
    effectivePlan: 'enterprise',
    inTrial: true,
    trialEndsAt: '2030-02-01T00:00:00.000Z',
    trialDaysLeft: 12,
    features: { emailNotifications: true, directorySync: true },
    limits: { categories: null },
  },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function signedInAs(me: Me) {
  vi.stubGlobal('fetch', jsonFetch({ '/api/v1/me': { body: me }, '/api/v1/tenant': tenantAnswer }));
}

function labels(me: Me) {
  const { main, footer } = navigationFor(me);
  return [...main.entries, ...footer.entries].map((entry) => entry.label);
}

async function sidebarLinks() {
  const sidebar = await screen.findByRole('navigation', { name: 'Main navigation' });
  return within(sidebar)
    .getAllByRole('link')
    .map((link) => link.textContent);
}

const inventory = ['Dashboard', 'Devices', 'Employees', 'Software', 'Audit', 'Store'];

describe('navigation by role', () => {
  it.each<[Role, string[]]>([
    ['administrator', [...inventory, 'Settings', 'Users & Roles']],
    ['operator', [...inventory, 'Settings']],
    ['viewer', [...inventory, 'Settings']],
    ['employee', ['My devices']],
  ])('ROLE-1: a %s sees exactly their entries', (role, expected) => {
    expect(labels(meAs(role))).toEqual(expected);
  });

  it('ROLE-1: the platform console is listed only for platform administrators', () => {
    expect(labels(meAs('operator', { user: { isPlatformAdmin: true } }))).toContain('Platform console');
    expect(labels(meAs(null, { user: { isPlatformAdmin: true } }))).toEqual(['Platform console']);
    for (const role of ['administrator', 'operator', 'viewer', 'employee'] as const) {
      expect(labels(meAs(role))).not.toContain('Platform console');
    }
  });

  it('ROLE-1: an Operator has no Users & Roles entry and the address says not allowed', async () => {
    signedInAs(meAs('operator'));
    renderApp('/settings/users');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'You are not allowed to open this page' }),
    ).toBeTruthy();
    expect(await sidebarLinks()).not.toContain('Users & Roles');
    expect(screen.queryByRole('link', { name: 'Users & Roles' })).toBeNull();
  });

  it('ROLE-1: a Viewer reads Settings without any edit control', async () => {
    signedInAs(meAs('viewer'));
    const { router } = renderApp('/settings');
    expect(await screen.findByTestId('plan-badge')).toBeTruthy();
    expect(screen.getByTestId('trial-badge').textContent).toBe('Trial: 12 days left');
    const sections = screen.getByRole('navigation', { name: 'Settings sections' });
    expect(
      within(sections)
        .getAllByRole('link')
        .map((l) => l.textContent),
    ).toEqual(['General', 'Tenants', 'Categories', 'Places', 'Tags', 'Vendors', 'Inventory', 'Currency']);

    await router.navigate({ to: '/settings/tenants' });
    expect(await screen.findByRole('table', { name: 'Tenants' })).toBeTruthy();
    const main = screen.getByRole('main');
    expect(within(main).queryAllByRole('button')).toEqual([]);
    expect(within(main).queryAllByRole('textbox')).toEqual([]);
    expect(main.textContent).toContain('Only Administrators with a global role can add tenants.');
  });

  it('ROLE-1: an Administrator can open Add tenant', async () => {
    signedInAs(meAs('administrator'));
    renderApp('/settings/tenants');
    expect(await screen.findByRole('button', { name: 'Add tenant' })).toBeTruthy();
  });

  it('ROLE-1: an employee lands on My devices and may open nothing else', async () => {
    signedInAs(meAs('employee', { user: { name: 'Lena Fischer' } }));
    const { router } = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'My devices' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/my-devices');
    expect(screen.getByText(/No devices or software seats are assigned to you yet/)).toBeTruthy();
    expect(await sidebarLinks()).toEqual(['My devices']);

    await router.navigate({ to: '/devices' });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'You are not allowed to open this page' }),
    ).toBeTruthy();
  });

  it('ROLE-1: a platform administrator without a tenant lands on the console', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': { body: meAs(null, { user: { name: 'Paula Platform', isPlatformAdmin: true } }) },
        '/api/platform/organizations': { body: { organizations: [] } },
      }),
    );
    const { router } = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Platform console' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/platform');
    expect(await screen.findByText('No organization has signed up yet.')).toBeTruthy();
  });

  it('SEC-13: the console does not exist for a tenant Administrator', async () => {
    signedInAs(meAs('administrator'));
    renderApp('/platform');
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeTruthy();
  });
});

describe('the auth gate', () => {
  it('SEC-14: a signed-out visitor is sent to sign-in and keeps the page to return to', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': {
          status: 401,
          body: {
            type: 'about:blank',
            title: 'Unauthorized',
            status: 401,
            error: { code: 'unauthenticated', message: 'Sign in to continue' },
          },
        },
        '/auth/providers': {
          body: { providers: [{ id: 'dev', kind: 'dev', label: 'Development sign-in' }] },
        },
      }),
    );
    const { router } = renderApp('/settings/users');
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toEqual({ returnTo: '/settings/users' });
    const link = await screen.findByRole('link', { name: /Development sign-in/ });
    expect(link.getAttribute('href')).toBe('/auth/sign-in/dev?returnTo=%2Fsettings%2Fusers');
    expect(screen.queryByRole('navigation', { name: 'Main navigation' })).toBeNull();
  });

  it('ROLE-1: someone without an organization is offered sign-up', async () => {
    signedInAs(meAs(null, { needsSignUp: true, user: { name: 'Nina New' } }));
    const { router } = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Create your organization' })).toBeTruthy();
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-up'));
  });
});
