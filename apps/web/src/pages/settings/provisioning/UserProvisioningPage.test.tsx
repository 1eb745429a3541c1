import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Role, ScimTokenStatus } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../../test-support/people';
import { jsonFetch, problemAnswer, renderApp } from '../../../test-support/render';

const CSRF = 'csrf-of-ada';
const BASE_URL = 'https://inventory.example.com/api/demo-berlin/scim/v2';
const NO_TOKEN: ScimTokenStatus = { exists: false, createdAt: null, lastUsedAt: null };

/** A small SCIM token API: every generation makes a new token, as the server does. */
function scimServer(initial: ScimTokenStatus, role: Role = 'administrator') {
  let status = initial;
  let generated = 0;
  const fetchImpl = jsonFetch({
    '/api/v1/me': { body: meAs(role, { csrfToken: CSRF }) },
    'GET /api/v1/scim/token': () => ({ body: status }),
    'POST /api/v1/scim/token': () => {
      generated += 1;
      const createdAt = `2030-01-15T10:0${generated}:00.000Z`;
      status = { exists: true, createdAt, lastUsedAt: null };
      return { body: { token: `tsc_${generated}_Secret-Of-Provisioning`, scimBaseUrl: BASE_URL, createdAt } };
    },
    'DELETE /api/v1/scim/token': () => {
      if (!status.exists) return problemAnswer(404, 'not_found', 'SCIM token not found');
      status = NO_TOKEN;
      return { body: status };
    },
    'GET /api/v1/directory/connection': problemAnswer(404, 'not_found', 'Directory connection not found'),
  });
  const sent = (method: string) => fetchImpl.requests.filter((r) => r.method === method);
  return { fetchImpl, sent };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function inputValues(): string[] {
  return [...document.querySelectorAll('input')].map((element) => element.value);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clicks as a browser does, focus first: "Regenerate token", then the same in the dialog. */
async function regenerateFrom(opener: HTMLElement) {
  opener.focus();
  fireEvent.click(opener);
  const dialog = await screen.findByRole('dialog', { name: 'Regenerate the SCIM token' });
  const confirm = within(dialog).getByRole('button', { name: 'Regenerate token' });
  confirm.focus();
  fireEvent.click(confirm);
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
}

async function tokenCard() {
  return screen.findByRole('region', { name: /^SCIM token/ });
}

describe('Settings → User provisioning', () => {
  it('DIR-4: without a token the page explains SCIM and offers only "Generate token"', async () => {
    vi.stubGlobal('fetch', scimServer(NO_TOKEN).fetchImpl);
    renderApp('/settings/provisioning');
    const card = await tokenCard();
    expect(within(card).getByTestId('scim-token-status').textContent).toBe('No token');
    expect(card.textContent).toContain('no identity provider can push people');
    expect(within(card).getByRole('button', { name: 'Generate token' })).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Revoke token' })).toBeNull();
    expect(document.body.textContent).toContain('Microsoft Entra ID, Okta');
    expect(document.body.textContent).toContain('14 days after its last SCIM request');
  });

  it('DIR-4: an existing token shows when it was created and when it was last used, or "Never"', async () => {
    vi.stubGlobal(
      'fetch',
      scimServer({ exists: true, createdAt: '2030-01-15T10:00:00.000Z', lastUsedAt: null }).fetchImpl,
    );
    renderApp('/settings/provisioning');
    const card = await tokenCard();
    expect(within(card).getByTestId('scim-token-status').textContent).toBe('Active');
    expect(card.textContent).toMatch(/Created\s*Jan 15, 2030/);
    expect(card.textContent).toMatch(/Last used\s*Never/);
    cleanup();

    vi.stubGlobal(
      'fetch',
      scimServer({
        exists: true,
        createdAt: '2030-01-15T10:00:00.000Z',
        lastUsedAt: '2030-02-03T09:30:00.000Z',
      }).fetchImpl,
    );
    renderApp('/settings/provisioning');
    expect((await tokenCard()).textContent).toMatch(/Last used\s*Feb 3, 2030/);
  });

  it('DIR-4: "Generate token" shows the base URL and the token once; leaving or reloading the page forgets it', async () => {
    const server = scimServer(NO_TOKEN);
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/provisioning');
    fireEvent.click(within(await tokenCard()).getByRole('button', { name: 'Generate token' }));

    const panel = await screen.findByRole('region', { name: 'Your new SCIM token' });
    expect(panel.textContent).toContain('This is the only time the token is shown');
    expect((within(panel).getByLabelText('SCIM base URL') as HTMLInputElement).value).toBe(BASE_URL);
    const token = within(panel).getByLabelText('Token') as HTMLInputElement;
    expect(token.value).toBe('tsc_1_Secret-Of-Provisioning');
    expect(token.readOnly).toBe(true);
    expect(within(panel).getByRole('button', { name: 'Copy token' })).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Copy SCIM base URL' })).toBeTruthy();
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Your new SCIM token' }));
    const [post] = server.sent('POST');
    expect(post?.path).toBe('/api/v1/scim/token');
    expect(post?.headers.get('x-csrf-token')).toBe(CSRF);
    // The status is read again: the token now exists.
    await waitFor(() => expect(screen.getByTestId('scim-token-status').textContent).toBe('Active'));

    // Away to another settings section and back: the token is gone, the status stays.
    const sections = screen.getByRole('navigation', { name: 'Settings sections' });
    fireEvent.click(within(sections).getByRole('link', { name: 'Directory' }));
    await screen.findByRole('form', { name: 'Connect a directory' });
    fireEvent.click(within(sections).getByRole('link', { name: 'User provisioning' }));
    expect(within(await tokenCard()).getByTestId('scim-token-status').textContent).toBe('Active');
    expect(screen.queryByRole('region', { name: 'Your new SCIM token' })).toBeNull();
    expect(inputValues()).not.toContain('tsc_1_Secret-Of-Provisioning');
    expect(document.body.innerHTML).not.toContain('tsc_1_Secret-Of-Provisioning');

    // A reload starts from the server, which never sends the token again.
    cleanup();
    renderApp('/settings/provisioning');
    expect(within(await tokenCard()).getByTestId('scim-token-status').textContent).toBe('Active');
    expect(document.body.innerHTML).not.toContain('tsc_1_Secret-Of-Provisioning');
    expect(server.sent('POST')).toHaveLength(1);
  });

  it('DIR-4: "Done" hides the token for good', async () => {
    vi.stubGlobal('fetch', scimServer(NO_TOKEN).fetchImpl);
    renderApp('/settings/provisioning');
    fireEvent.click(within(await tokenCard()).getByRole('button', { name: 'Generate token' }));
    const panel = await screen.findByRole('region', { name: 'Your new SCIM token' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: 'Your new SCIM token' })).toBeNull();
    expect(document.body.innerHTML).not.toContain('tsc_1_Secret-Of-Provisioning');
  });

  it('DIR-4: "Regenerate token" warns that the old token stops working immediately, then shows the new one', async () => {
    const server = scimServer({
      exists: true,
      createdAt: '2030-01-10T10:00:00.000Z',
      lastUsedAt: '2030-01-14T10:00:00.000Z',
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/provisioning');
    const card = await tokenCard();
    expect(card.textContent).toMatch(/Created\s*Jan 10, 2030/);
    expect(within(card).queryByRole('button', { name: 'Generate token' })).toBeNull();

    fireEvent.click(within(card).getByRole('button', { name: 'Regenerate token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Regenerate the SCIM token' });
    expect(dialog.textContent).toContain('The current token stops working immediately');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.sent('POST')).toHaveLength(0);

    await regenerateFrom(within(card).getByRole('button', { name: 'Regenerate token' }));
    const panel = await screen.findByRole('region', { name: 'Your new SCIM token' });
    expect((within(panel).getByLabelText('Token') as HTMLInputElement).value).toBe(
      'tsc_1_Secret-Of-Provisioning',
    );
    expect(server.sent('POST')).toHaveLength(1);
    await waitFor(() => expect(card.textContent).toMatch(/Created\s*Jan 15, 2030/));
    expect(card.textContent).toMatch(/Last used\s*Never/);
    // The closed dialog does not take the focus back from the token to copy.
    await pause(50);
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Your new SCIM token' }));

    // Regenerating again while a token is shown: the newer one replaces it and takes the focus.
    await regenerateFrom(within(card).getByRole('button', { name: 'Regenerate token' }));
    await waitFor(() => expect(inputValues()).toContain('tsc_2_Secret-Of-Provisioning'));
    expect(inputValues()).not.toContain('tsc_1_Secret-Of-Provisioning');
    await pause(50);
    expect(document.activeElement?.textContent).toBe('Your new SCIM token');
  });

  it('SEC-5: "Revoke token" asks first, says pushed people expire after 14 days, then revokes', async () => {
    const server = scimServer(NO_TOKEN);
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/provisioning');
    fireEvent.click(within(await tokenCard()).getByRole('button', { name: 'Generate token' }));
    await screen.findByRole('region', { name: 'Your new SCIM token' });

    fireEvent.click(await screen.findByRole('button', { name: 'Revoke token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke the SCIM token' });
    expect(dialog.textContent).toContain(
      'stay in the employee cache for 14 days after its last SCIM request',
    );
    expect(server.sent('DELETE')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [removal] = server.sent('DELETE');
    expect(removal?.path).toBe('/api/v1/scim/token');
    expect(removal?.headers.get('x-csrf-token')).toBe(CSRF);
    await waitFor(() => expect(screen.getByTestId('scim-token-status').textContent).toBe('No token'));
    // The revoked token is no use any more: its panel goes too.
    expect(screen.queryByRole('region', { name: 'Your new SCIM token' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Generate token' })).toBeTruthy();
  });

  it('DIR-4: with a directory connection the refusal shows the server message and the way to Settings → Directory', async () => {
    const message = 'Disconnect the directory sync before turning on SCIM provisioning';
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': { body: meAs('administrator', { csrfToken: CSRF }) },
        'GET /api/v1/scim/token': { body: NO_TOKEN },
        'POST /api/v1/scim/token': problemAnswer(409, 'conflict', message),
      }),
    );
    renderApp('/settings/provisioning');
    fireEvent.click(within(await tokenCard()).getByRole('button', { name: 'Generate token' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('A directory sync is connected');
    expect(alert.textContent).toContain(message);
    expect(within(alert).getByRole('link', { name: 'Open Settings → Directory' }).getAttribute('href')).toBe(
      '/settings/directory',
    );
    expect(screen.queryByRole('region', { name: 'Your new SCIM token' })).toBeNull();
    expect(screen.getByTestId('scim-token-status').textContent).toBe('No token');
  });

  it('DIR-4: without the Enterprise plan the refusal says so with the server message', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': { body: meAs('administrator', { csrfToken: CSRF }) },
        'GET /api/v1/scim/token': { body: NO_TOKEN },
        'POST /api/v1/scim/token': problemAnswer(
          403,
          'feature_not_in_plan',
          'SCIM provisioning needs the Enterprise plan',
        ),
      }),
    );
    renderApp('/settings/provisioning');
    fireEvent.click(within(await tokenCard()).getByRole('button', { name: 'Generate token' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('User provisioning needs the Enterprise plan');
    expect(alert.textContent).toContain('SCIM provisioning needs the Enterprise plan');
  });

  it('ROLE-1: only Administrators see the User provisioning tab and may open it', async () => {
    vi.stubGlobal('fetch', scimServer(NO_TOKEN, 'operator').fetchImpl);
    renderApp('/settings/provisioning');
    expect(
      await screen.findByRole('heading', { name: 'You are not allowed to open this page' }),
    ).toBeTruthy();
    cleanup();

    renderApp('/settings/tenants');
    const tabs = await screen.findByRole('navigation', { name: 'Settings sections' });
    expect(within(tabs).queryByRole('link', { name: 'User provisioning' })).toBeNull();
    cleanup();

    vi.stubGlobal('fetch', scimServer(NO_TOKEN, 'administrator').fetchImpl);
    renderApp('/settings/tenants');
    const adminTabs = await screen.findByRole('navigation', { name: 'Settings sections' });
    const links = within(adminTabs).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual([
      'General',
      'Tenants',
      'Categories',
      'Places',
      'Tags',
      'Vendors',
      'Inventory',
      'Currency',
      'Users & Roles',
      'Directory',
      'User provisioning',
    ]);
    expect(within(adminTabs).getByRole('link', { name: 'User provisioning' }).getAttribute('href')).toBe(
      '/settings/provisioning',
    );
  });
});
