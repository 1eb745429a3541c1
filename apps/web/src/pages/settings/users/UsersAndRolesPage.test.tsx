import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Member } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../../test-support/people';
import { jsonFetch, problemAnswer, renderApp } from '../../../test-support/render';

const CSRF = 'csrf-of-ada';

function member(id: string, email: string, overrides: Partial<Member> = {}): Member {
  return {
    id,
    email,
    role: 'operator',
    isGlobal: false,
    status: 'registered',
    createdAt: '2030-01-15T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A small in-memory members API: what the page changes is what it reads back. */
function membersServer(initial: Member[]) {
  let members = [...initial];
  const fetchImpl = jsonFetch({
    '/api/v1/me': { body: meAs('administrator', { csrfToken: CSRF }) },
    'GET /api/v1/members': () => ({ body: { members } }),
    'PATCH /api/v1/members/m-otto': (request) => {
      const body = request.body as { role: Member['role']; isGlobal: boolean; version: number };
      const current = members.find((m) => m.id === 'm-otto')!;
      if (body.version !== current.version)
        return problemAnswer(409, 'modified_by_someone_else', 'Modified by someone else');
      const next = { ...current, role: body.role, isGlobal: body.isGlobal, version: current.version + 1 };
      members = members.map((m) => (m.id === next.id ? next : m));
      return { body: next };
    },
    'DELETE /api/v1/members/m-vera': () => {
      members = members.filter((m) => m.id !== 'm-vera');
      return { status: 204 };
    },
    'POST /api/v1/members': (request) => {
      const body = request.body as { email: string; role: Member['role']; isGlobal: boolean };
      const invited = member('m-new', body.email, {
        role: body.role,
        isGlobal: body.isGlobal,
        status: 'pending',
      });
      members = [...members, invited];
      return {
        status: 201,
        body: { member: invited, invitationUrl: 'https://app.test/invitations/abc123', emailSent: false },
      };
    },
  });
  return {
    fetchImpl,
    /** Someone else edits Otto behind the page's back. */
    bumpOtto() {
      members = members.map((m) =>
        m.id === 'm-otto' ? { ...m, role: 'viewer', version: m.version + 1 } : m,
      );
    },
  };
}

const cast = () => [
  member('m-ada', 'ada.admin@demo.thestorage.dev', { role: 'administrator', isGlobal: true }),
  member('m-otto', 'otto.operator@demo.thestorage.dev'),
  member('m-vera', 'vera.viewer@demo.thestorage.dev', { role: 'viewer', status: 'pending' }),
];

async function row(email: string) {
  const table = await screen.findByRole('table', { name: 'Members' });
  const cell = await within(table).findByText(email);
  return cell.closest('tr') as HTMLElement;
}

describe('Users & Roles', () => {
  it('ROLE-1: lists members with role, global flag and Pending / Registered status', async () => {
    vi.stubGlobal('fetch', membersServer(cast()).fetchImpl);
    renderApp('/settings/users');
    const ada = await row('ada.admin@demo.thestorage.dev');
    expect(within(ada).getByText('Administrator')).toBeTruthy();
    expect(within(ada).getByText('Global')).toBeTruthy();
    expect(within(ada).getByText('Registered')).toBeTruthy();
    const vera = await row('vera.viewer@demo.thestorage.dev');
    expect(within(vera).getByText('Viewer')).toBeTruthy();
    expect(within(vera).getByText('This tenant')).toBeTruthy();
    expect(within(vera).getByText('Pending')).toBeTruthy();
  });

  it('SEC-14: changing a role sends the version and the CSRF token, and the list shows the new role', async () => {
    const server = membersServer(cast());
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/users');
    fireEvent.click(
      within(await row('otto.operator@demo.thestorage.dev')).getByRole('button', { name: /Edit role of/ }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit role' });
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'administrator' } });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Global role/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const patch = server.fetchImpl.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe('/api/v1/members/m-otto');
    expect(patch.body).toEqual({ role: 'administrator', isGlobal: true, version: 1 });
    expect(patch.headers.get('x-csrf-token')).toBe(CSRF);
    const otto = await row('otto.operator@demo.thestorage.dev');
    await waitFor(() => expect(within(otto).getByText('Administrator')).toBeTruthy());
    expect(within(otto).getByText('Global')).toBeTruthy();
  });

  it('ROLE-1: an edit based on an old version says "Modified by someone else" and reloads', async () => {
    const server = membersServer(cast());
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/users');
    fireEvent.click(
      within(await row('otto.operator@demo.thestorage.dev')).getByRole('button', { name: /Edit role of/ }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit role' });
    server.bumpOtto();
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'administrator' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Modified by someone else');
    expect(screen.queryByRole('dialog')).toBeNull();
    // The reloaded list shows what the other person saved.
    const otto = await row('otto.operator@demo.thestorage.dev');
    await waitFor(() => expect(within(otto).getByText('Viewer')).toBeTruthy());
  });

  it('ROLE-1: remove access asks first, says nothing else is touched, then removes the member', async () => {
    const server = membersServer(cast());
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/users');
    fireEvent.click(
      within(await row('vera.viewer@demo.thestorage.dev')).getByRole('button', { name: /Remove access for/ }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Remove access' });
    expect(dialog.textContent).toContain('Nothing else is touched');
    expect(server.fetchImpl.requests.some((r) => r.method === 'DELETE')).toBe(false);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove access' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const removal = server.fetchImpl.requests.find((r) => r.method === 'DELETE')!;
    expect(removal.path).toBe('/api/v1/members/m-vera');
    expect(removal.headers.get('x-csrf-token')).toBe(CSRF);
    await waitFor(() => expect(screen.queryByText('vera.viewer@demo.thestorage.dev')).toBeNull());
  });

  it('ROLE-1: cancelling the removal removes nothing', async () => {
    const server = membersServer(cast());
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/users');
    fireEvent.click(
      within(await row('vera.viewer@demo.thestorage.dev')).getByRole('button', { name: /Remove access for/ }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Remove access' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(server.fetchImpl.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(screen.getByText('vera.viewer@demo.thestorage.dev')).toBeTruthy();
  });

  it('ROLE-1: an invitation without a mail server shows the link to copy and a Pending member', async () => {
    const server = membersServer(cast());
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/users');
    fireEvent.click(await screen.findByRole('button', { name: 'Invite member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite member' });
    fireEvent.change(within(dialog).getByLabelText(/E-mail/), { target: { value: 'nora@example.com' } });
    fireEvent.change(within(dialog).getByLabelText('Role'), { target: { value: 'viewer' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send invitation' }));

    const result = await screen.findByRole('dialog', { name: 'Invitation created' });
    const link = within(result).getByLabelText('Invitation link') as HTMLInputElement;
    expect(link.value).toBe('https://app.test/invitations/abc123');
    expect(within(result).getByRole('button', { name: 'Copy invitation link' })).toBeTruthy();
    const invite = server.fetchImpl.requests.find((r) => r.method === 'POST')!;
    expect(invite.body).toEqual({ email: 'nora@example.com', role: 'viewer', isGlobal: false });
    expect(invite.headers.get('x-csrf-token')).toBe(CSRF);

    fireEvent.click(within(result).getByRole('button', { name: 'Done' }));
    const nora = await row('nora@example.com');
    expect(within(nora).getByText('Pending')).toBeTruthy();
  });
});
