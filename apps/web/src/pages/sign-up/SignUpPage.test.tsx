import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TAKEN_SLUG_MESSAGE } from '../../auth/tenantSlug';
import { meAs } from '../../test-support/people';
import { jsonFetch, problemAnswer, renderApp } from '../../test-support/render';

const newcomer = meAs(null, { needsSignUp: true, user: { name: 'Nina New' }, csrfToken: 'csrf-nina' });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByRole('textbox', { name: label }), { target: { value } });
}

describe('sign-up', () => {
  it('ROLE-1: creates the organization and opens the app as its Administrator', async () => {
    const fetchImpl = jsonFetch({
      '/api/v1/me': { body: newcomer },
      'POST /api/v1/organizations': {
        status: 201,
        body: meAs('administrator', { user: { name: 'Nina New' } }),
      },
    });
    vi.stubGlobal('fetch', fetchImpl);
    const { router } = renderApp('/sign-up');
    await screen.findByRole('heading', { level: 1, name: 'Create your organization' });
    expect(screen.getByText(/2–40 characters: letters, digits and “-”/)).toBeTruthy();

    fill(/Organization name/, 'Nina Works');
    // Suggested from the name, then lower-cased as typed.
    expect((screen.getByRole('textbox', { name: /Tenant address/ }) as HTMLInputElement).value).toBe(
      'nina-works',
    );
    fill(/Tenant address/, 'Nina-BERLIN');
    expect((screen.getByRole('textbox', { name: /Tenant address/ }) as HTMLInputElement).value).toBe(
      'nina-berlin',
    );
    fill(/Tenant name/, 'Berlin');
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    const post = fetchImpl.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({
      organizationName: 'Nina Works',
      tenantSlug: 'nina-berlin',
      tenantName: 'Berlin',
    });
    expect(post.headers.get('x-csrf-token')).toBe('csrf-nina');
  });

  it('ROLE-1: a taken address and a broken rule are explained at the field', async () => {
    const fetchImpl = jsonFetch({
      '/api/v1/me': { body: newcomer },
      'POST /api/v1/organizations': problemAnswer(409, 'conflict', 'Tenant slug already exists'),
    });
    vi.stubGlobal('fetch', fetchImpl);
    renderApp('/sign-up');
    await screen.findByRole('heading', { level: 1, name: 'Create your organization' });

    fill(/Organization name/, 'Acme');
    fill(/Tenant address/, 'a_b');
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('Use only letters, digits and “-”.')).toBeTruthy();
    expect(fetchImpl.requests.some((r) => r.method === 'POST')).toBe(false);

    fill(/Tenant address/, 'acme');
    fireEvent.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText(TAKEN_SLUG_MESSAGE)).toBeTruthy();
  });

  it('ROLE-1: someone who already belongs to an organization is sent to their start page', async () => {
    vi.stubGlobal('fetch', jsonFetch({ '/api/v1/me': { body: meAs('employee') } }));
    const { router } = renderApp('/sign-up');
    await waitFor(() => expect(router.state.location.pathname).toBe('/my-devices'));
  });
});
