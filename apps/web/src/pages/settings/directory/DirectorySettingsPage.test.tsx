import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DirectoryConnection, Job, Role } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { meAs } from '../../../test-support/people';
import { jsonFetch, problemAnswer, renderApp } from '../../../test-support/render';

const CSRF = 'csrf-of-ada';
const SECRET = 'entra-client-secret-Xy9~never-again';
const JOB_ID = '0193a000-0000-7000-8000-00000000j0b1';

function connectionFrom(body: {
  kind: DirectoryConnection['kind'];
  settings: DirectoryConnection['settings'];
}): DirectoryConnection {
  return {
    id: '7',
    kind: body.kind,
    settings: body.settings,
    status: 'never_synced',
    lastSyncAt: null,
    lastSuccessAt: null,
    lastCount: null,
    lastError: null,
    syncTime: '08:00',
    syncTimeZone: 'Europe/Paris',
    updatedAt: '2030-01-15T10:00:00.000Z',
    version: 1,
  };
}

function job(status: Job['status'], done: number, total: number | null): Job {
  return {
    id: JOB_ID,
    kind: 'directory.sync',
    status,
    progress: { done, total, message: status === 'running' ? 'Reading the directory' : null },
    attempts: 1,
    maxAttempts: 3,
    lastError: null,
    createdAt: '2030-01-15T10:00:00.000Z',
    updatedAt: '2030-01-15T10:00:01.000Z',
    finishedAt: status === 'succeeded' ? '2030-01-15T10:00:02.000Z' : null,
  };
}

/** A small directory API: what the page saves is what it reads back. */
function directoryServer(initial: DirectoryConnection | null, role: Role = 'administrator') {
  let connection = initial;
  let jobPolls = 0;
  const fetchImpl = jsonFetch({
    '/api/v1/me': { body: meAs(role, { csrfToken: CSRF }) },
    'GET /api/v1/directory/connection': () =>
      connection ? { body: connection } : problemAnswer(404, 'not_found', 'Directory connection not found'),
    'PUT /api/v1/directory/connection': (request) => {
      connection = connectionFrom(request.body as DirectoryConnection);
      return { body: connection };
    },
    'DELETE /api/v1/directory/connection': () => {
      connection = connection && { ...connection, status: 'disconnected' };
      return { body: connection };
    },
    'POST /api/v1/directory/sync': () => ({ body: { jobId: JOB_ID } }),
    [`GET /api/v1/jobs/${JOB_ID}`]: () => {
      jobPolls += 1;
      if (jobPolls === 1) return { body: job('running', 50, 200) };
      connection = connection && {
        ...connection,
        status: 'healthy',
        lastSyncAt: '2030-01-15T10:00:02.000Z',
        lastSuccessAt: '2030-01-15T10:00:02.000Z',
        lastCount: 200,
      };
      return { body: job('succeeded', 200, 200) };
    },
    'GET /api/v1/employees/summary': { body: { count: 0, lastRefreshedAt: null, connectionStatus: null } },
  });
  return { fetchImpl, jobPolls: () => jobPolls };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function inputValues(): string[] {
  return [...document.querySelectorAll('input, textarea')].map(
    (element) => (element as HTMLInputElement | HTMLTextAreaElement).value,
  );
}

describe('Settings → Directory', () => {
  it('SEC-5: the connect form sends the Entra settings with the CSRF header and never shows the secret again', async () => {
    const server = directoryServer(null);
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/directory');
    const form = await screen.findByRole('form', { name: 'Connect a directory' });
    expect(form.textContent).toContain('never shown again');
    fireEvent.change(within(form).getByLabelText(/Directory \(tenant\) ID/), {
      target: { value: ' 11111111-2222-3333-4444-555555555555 ' },
    });
    fireEvent.change(within(form).getByLabelText(/Application \(client\) ID/), {
      target: { value: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
    });
    fireEvent.change(within(form).getByLabelText(/Client secret/), { target: { value: SECRET } });
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));

    await screen.findByText(/Connection saved/);
    const put = server.fetchImpl.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/v1/directory/connection');
    expect(put.headers.get('x-csrf-token')).toBe(CSRF);
    expect(put.body).toEqual({
      kind: 'entra',
      settings: {
        directoryTenantId: '11111111-2222-3333-4444-555555555555',
        clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      },
      credential: SECRET,
    });
    // The status card appears; the secret is in no field and nowhere on the page.
    expect(await screen.findByTestId('connection-status')).toHaveProperty('textContent', 'Never synced');
    expect(inputValues()).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect((screen.getByLabelText(/Client secret/) as HTMLInputElement).value).toBe('');
    expect(inputValues()).toContain('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  });

  it('DIR-2: a Google service-account key uploaded from a file is sent as the credential', async () => {
    const server = directoryServer(null);
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/directory');
    const form = await screen.findByRole('form', { name: 'Connect a directory' });
    fireEvent.click(within(form).getByLabelText('Google Workspace'));
    fireEvent.change(await within(form).findByLabelText(/Administrator e-mail/), {
      target: { value: 'admin@example.com' },
    });
    const key = '{"type":"service_account","client_email":"sync@p.iam.gserviceaccount.com"}';
    const file = new File([key], 'key.json', { type: 'application/json' });
    const picker = document.querySelector('input[type="file"]') as HTMLInputElement;
    Object.defineProperty(picker, 'files', { value: [file] });
    fireEvent.change(picker);
    await within(form).findByText('Read from key.json');
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));

    await screen.findByText(/Connection saved/);
    const put = server.fetchImpl.requests.find((r) => r.method === 'PUT')!;
    expect(put.body).toEqual({
      kind: 'google',
      settings: { adminEmail: 'admin@example.com' },
      credential: key,
    });
    expect(document.body.innerHTML).not.toContain('sync@p.iam.gserviceaccount.com');
  });

  it('DIR-3: an incomplete form is not sent', async () => {
    const server = directoryServer(null);
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/directory');
    const form = await screen.findByRole('form', { name: 'Connect a directory' });
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await within(form).findByText('Enter the client secret.')).toBeTruthy();
    expect(server.fetchImpl.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('DIR-3: without the Enterprise plan the refusal says so with the server message', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        '/api/v1/me': { body: meAs('administrator', { csrfToken: CSRF }) },
        'GET /api/v1/directory/connection': problemAnswer(404, 'not_found', 'Not found'),
        'PUT /api/v1/directory/connection': problemAnswer(
          403,
          'feature_not_in_plan',
          'Directory sync is part of the Enterprise plan.',
        ),
      }),
    );
    renderApp('/settings/directory');
    const form = await screen.findByRole('form', { name: 'Connect a directory' });
    fireEvent.change(within(form).getByLabelText(/Directory \(tenant\) ID/), { target: { value: 't' } });
    fireEvent.change(within(form).getByLabelText(/Application \(client\) ID/), { target: { value: 'c' } });
    fireEvent.change(within(form).getByLabelText(/Client secret/), { target: { value: 's' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Connect' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Directory sync needs the Enterprise plan');
    expect(alert.textContent).toContain('Directory sync is part of the Enterprise plan.');
  });

  it('DIR-3: "Sync users" shows the progress until the job succeeds, then the new status', async () => {
    const server = directoryServer(
      connectionFrom({ kind: 'entra', settings: { directoryTenantId: 't', clientId: 'c' } }),
    );
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/directory');
    fireEvent.click(await screen.findByRole('button', { name: 'Sync users' }));

    const bar = await screen.findByRole('progressbar', { name: 'Sync progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByText(/50 of 200 people/)).toBeTruthy();
    const sync = server.fetchImpl.requests.find((r) => r.method === 'POST')!;
    expect(sync.path).toBe('/api/v1/directory/sync');
    expect(sync.headers.get('x-csrf-token')).toBe(CSRF);

    // Polled again a second later: the job has succeeded.
    expect(await screen.findByText(/Sync finished: 200 people read/, {}, { timeout: 3_000 })).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(server.jobPolls()).toBe(2);
    await waitFor(() => expect(screen.getByTestId('connection-status').textContent).toBe('Healthy'));
    expect(screen.getByText('200')).toBeTruthy();
  });

  it('SEC-5: Disconnect asks first, says assignments are kept and names expire, then disconnects', async () => {
    const server = directoryServer({
      ...connectionFrom({ kind: 'entra', settings: { directoryTenantId: 't', clientId: 'c' } }),
      status: 'failing',
      lastError: { code: 'directory_unauthorized', message: 'Admin consent was revoked.' },
    });
    vi.stubGlobal('fetch', server.fetchImpl);
    renderApp('/settings/directory');
    expect(await screen.findByText('Admin consent was revoked.')).toBeTruthy();
    expect(screen.getByTestId('connection-status').textContent).toBe('Failing');

    fireEvent.click(screen.getByRole('button', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect the directory' });
    expect(dialog.textContent).toContain('Assignments are kept; names disappear 14 days after');
    expect(server.fetchImpl.requests.some((r) => r.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const removal = server.fetchImpl.requests.find((r) => r.method === 'DELETE')!;
    expect(removal.path).toBe('/api/v1/directory/connection');
    expect(removal.headers.get('x-csrf-token')).toBe(CSRF);
    await waitFor(() => expect(screen.getByTestId('connection-status').textContent).toBe('Disconnected'));
    expect(screen.queryByRole('button', { name: 'Sync users' })).toBeNull();
  });

  it('ROLE-1: only Administrators see the Directory tab and may open it', async () => {
    vi.stubGlobal('fetch', directoryServer(null, 'operator').fetchImpl);
    renderApp('/settings/directory');
    expect(
      await screen.findByRole('heading', { name: 'You are not allowed to open this page' }),
    ).toBeTruthy();
    cleanup();

    renderApp('/settings/tenants');
    const tabs = await screen.findByRole('navigation', { name: 'Settings sections' });
    expect(within(tabs).queryByRole('link', { name: 'Directory' })).toBeNull();
    cleanup();

    vi.stubGlobal('fetch', directoryServer(null, 'administrator').fetchImpl);
    renderApp('/settings/tenants');
    const adminTabs = await screen.findByRole('navigation', { name: 'Settings sections' });
    expect(within(adminTabs).getByRole('link', { name: 'Directory' }).getAttribute('href')).toBe(
      '/settings/directory',
    );
  });
});
