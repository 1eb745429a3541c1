import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Me } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoTenants, meAs } from '../test-support/people';
import { jsonFetch, renderApp } from '../test-support/render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the tenant switcher', () => {
  it('ROLE-1: switches the active tenant and takes the role there into account', async () => {
    const berlin = { ...demoTenants.berlin, role: 'administrator' as const, isGlobal: true };
    const boston = { ...demoTenants.boston, role: 'employee' as const, isGlobal: false };
    const before: Me = meAs('administrator', { tenants: [berlin, boston] });
    const after: Me = { ...before, activeTenant: boston, csrfToken: 'csrf-after-switch' };
    let current = before;
    const fetchImpl = jsonFetch({
      'GET /api/v1/me': () => ({ body: current }),
      'POST /api/v1/me/active-tenant': () => {
        current = after;
        return { body: after };
      },
    });
    vi.stubGlobal('fetch', fetchImpl);
    const { router } = renderApp('/software');
    await screen.findByRole('heading', { level: 1, name: 'Software' });

    fireEvent.click(screen.getByRole('button', { name: 'Tenant: Demo Berlin. Switch tenant' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: /Demo Boston/ }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/my-devices'));
    const post = fetchImpl.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ tenantId: demoTenants.boston.id });
    expect(post.headers.get('x-csrf-token')).toBe(before.csrfToken);
    const sidebar = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(
      within(sidebar)
        .getAllByRole('link')
        .map((l) => l.textContent),
    ).toEqual(['My devices']);
  });

  it('ROLE-1: with a single tenant there is nothing to switch', async () => {
    vi.stubGlobal('fetch', jsonFetch({ '/api/v1/me': { body: meAs('operator') } }));
    renderApp('/software');
    await screen.findByRole('heading', { level: 1, name: 'Software' });
    expect(screen.queryByRole('button', { name: /Switch tenant/ })).toBeNull();
  });
});
