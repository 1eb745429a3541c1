import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { ResolvedEmployee } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UNKNOWN_EMPLOYEE_EXPLANATION } from '../../components/EmployeeName';
import { meAs } from '../../test-support/people';
import { jsonFetch, problemAnswer, renderApp } from '../../test-support/render';

const lena: ResolvedEmployee = {
  reference: 'c'.repeat(64),
  known: true,
  displayName: 'Lena Fischer',
  userName: 'lena.fischer@demo.thestorage.dev',
  jobTitle: 'Product Designer',
  active: true,
};

function signedInEmployee(answer: { status?: number; body?: unknown }) {
  vi.stubGlobal(
    'fetch',
    jsonFetch({
      '/api/v1/me': { body: meAs('employee', { user: { name: 'Lena Fischer' } }) },
      'GET /api/v1/me/employee': answer,
    }),
  );
}

async function emptyState() {
  return screen.findByRole('region', { name: 'Nothing is assigned to you yet' });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('My devices', () => {
  it('SEC-6: shows the signed-in person as the directory knows them: name and job title', async () => {
    signedInEmployee({ body: { employee: lena } });
    renderApp('/my-devices');
    const profile = await screen.findByRole('region', { name: 'Your directory profile' });
    expect(within(profile).getByText('Lena Fischer')).toBeTruthy();
    expect(within(profile).getByText('Product Designer')).toBeTruthy();
    expect(profile.textContent).not.toContain('Unknown employee');
    expect(await emptyState()).toBeTruthy();
  });

  it('SEC-6: once the cache no longer knows them, "Unknown employee" with a short explanation', async () => {
    signedInEmployee({
      body: {
        employee: {
          reference: lena.reference,
          known: false,
          displayName: 'Unknown employee',
          userName: null,
          jobTitle: null,
          active: null,
        },
      },
    });
    renderApp('/my-devices');
    const profile = await screen.findByRole('region', { name: 'Your directory profile' });
    const unknown = within(profile).getByText('Unknown employee');
    const described = unknown.getAttribute('aria-describedby');
    expect(described && document.getElementById(described)?.textContent).toBe(UNKNOWN_EMPLOYEE_EXPLANATION);
    expect(profile.textContent).toContain('has not confirmed you for 14 days');
    expect(profile.textContent).not.toContain('Lena Fischer');
    expect(await emptyState()).toBeTruthy();
  });

  it('SEC-6: without a directory identity there is no profile, only the list', async () => {
    signedInEmployee({ body: { employee: null } });
    renderApp('/my-devices');
    expect(await emptyState()).toBeTruthy();
    await screen.findByRole('heading', { name: 'My devices' });
    // The answer has arrived once the loader is gone.
    await waitFor(() => expect(screen.queryByRole('status', { name: /Loading/ })).toBeNull());
    expect(screen.queryByRole('region', { name: 'Your directory profile' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('SEC-6: a failed look-up says so without hiding the list', async () => {
    signedInEmployee(
      problemAnswer(503, 'service_unavailable', 'The employee cache is not available.') as never,
    );
    renderApp('/my-devices');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load your directory profile');
    expect(alert.textContent).toContain('The employee cache is not available.');
    expect(await emptyState()).toBeTruthy();
  });
});
