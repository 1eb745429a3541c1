import { cleanup, screen, waitFor } from '@testing-library/react';
import type { ResolvedEmployee } from '@thestorage/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmployeeName } from '../components/EmployeeName';
import { QueryState } from '../components/QueryState';
import { meAs } from '../test-support/people';
import { jsonFetch, problemAnswer, renderWithProviders, testQueryClient } from '../test-support/render';
import { RESOLVE_BATCH_SIZE, useResolvedEmployees } from './directory';
import { meQuery } from './session';

const CSRF = 'csrf-of-ada';

/** The n-th employee reference: 64 lower-case hex digits, as the server makes them. */
const ref = (n: number) => n.toString(16).padStart(64, '0');

/** Resolves every reference it is asked, in order; the ones in `forgotten` are no longer in the cache. */
function resolveServer(forgotten: ReadonlySet<string> = new Set()) {
  const fetchImpl = jsonFetch({
    'POST /api/v1/employees/resolve': (request) => {
      const { references } = request.body as { references: string[] };
      const employees: ResolvedEmployee[] = references.map((reference) =>
        forgotten.has(reference)
          ? {
              reference,
              known: false,
              displayName: 'Unknown employee',
              userName: null,
              jobTitle: null,
              active: null,
            }
          : {
              reference,
              known: true,
              displayName: `Person ${Number.parseInt(reference, 16)}`,
              userName: null,
              jobTitle: 'Engineer',
              active: true,
            },
      );
      return { body: { employees } };
    },
  });
  const asked = () =>
    fetchImpl.requests.map((request) => (request.body as { references: string[] }).references);
  return { fetchImpl, asked };
}

/** A list as a device page would show it: one name per row, people repeated and in any order. */
function Holders({ references }: { references: readonly string[] }) {
  const employees = useResolvedEmployees(references);
  return (
    <QueryState query={employees} label="the names">
      {(byReference) => (
        <ul>
          {references.map((reference, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the same person may hold several rows
            <li key={row}>
              <EmployeeName employee={byReference.get(reference)} />
            </li>
          ))}
        </ul>
      )}
    </QueryState>
  );
}

function signedInClient() {
  const queryClient = testQueryClient();
  queryClient.setQueryData(meQuery.queryKey, meAs('administrator', { csrfToken: CSRF }));
  return queryClient;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useResolvedEmployees', () => {
  it('SEC-6: asks once per distinct sorted set of references, in batches of 500, with the CSRF header', async () => {
    const server = resolveServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    const distinct = Array.from({ length: 1_001 }, (_, n) => ref(n + 1));
    // Some people twice, all in reverse order.
    const shown = [...distinct, ...distinct.slice(0, 10)].reverse();
    const queryClient = signedInClient();
    renderWithProviders(<Holders references={shown} />, queryClient);

    await waitFor(() => expect(screen.getAllByText('Person 1')).toHaveLength(2));
    expect(screen.getByText('Person 1001')).toBeTruthy();
    expect(server.asked().map((batch) => batch.length)).toEqual([RESOLVE_BATCH_SIZE, RESOLVE_BATCH_SIZE, 1]);
    expect(server.asked().flat()).toEqual(distinct);
    const [first] = server.fetchImpl.requests;
    expect(first?.path).toBe('/api/v1/employees/resolve');
    expect(first?.method).toBe('POST');
    expect(first?.headers.get('x-csrf-token')).toBe(CSRF);

    // The same people in another order, on the next page shown, are not asked again.
    cleanup();
    const shuffled = [...distinct.slice(500), ...distinct.slice(0, 500)];
    renderWithProviders(<Holders references={shuffled} />, queryClient);
    expect(screen.getAllByText('Person 1')).toHaveLength(1);
    expect(server.fetchImpl.requests).toHaveLength(3);
  });

  it('SEC-6: a reference the cache no longer knows shows as "Unknown employee", the others by name', async () => {
    const server = resolveServer(new Set([ref(2)]));
    vi.stubGlobal('fetch', server.fetchImpl);
    renderWithProviders(<Holders references={[ref(1), ref(2), ref(3)]} />, signedInClient());
    expect(await screen.findByText('Person 1')).toBeTruthy();
    expect(screen.getByText('Person 3')).toBeTruthy();
    expect(screen.getByText('Unknown employee')).toBeTruthy();
    expect(screen.queryByText('Person 2')).toBeNull();
  });

  it('SEC-6: no references, no request', () => {
    const server = resolveServer();
    vi.stubGlobal('fetch', server.fetchImpl);
    renderWithProviders(<Holders references={[]} />, signedInClient());
    expect(screen.getByRole('list')).toBeTruthy();
    expect(server.fetchImpl.requests).toHaveLength(0);
  });

  it('SEC-6: a refused resolve shows the server message with Retry', async () => {
    vi.stubGlobal(
      'fetch',
      jsonFetch({
        'POST /api/v1/employees/resolve': problemAnswer(
          503,
          'service_unavailable',
          'The employee cache is down.',
        ),
      }),
    );
    renderWithProviders(<Holders references={[ref(1)]} />, signedInClient());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the names');
    expect(alert.textContent).toContain('The employee cache is down.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});
