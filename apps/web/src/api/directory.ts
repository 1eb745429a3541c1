import { queryOptions, type UseQueryResult, useQueries } from '@tanstack/react-query';
import {
  directoryConnectionSchema,
  employeesSchema,
  employeesSummarySchema,
  myEmployeeSchema,
  type ResolvedEmployee,
  resolvedEmployeesSchema,
} from '@thestorage/contracts';
import type { QueryLike } from '../components/QueryState';
import { ApiError, apiGet, apiPost } from './client';
import { csrfTokenFrom } from './session';

export const DIRECTORY_CONNECTION_PATH = '/api/v1/directory/connection';
export const DIRECTORY_SYNC_PATH = '/api/v1/directory/sync';

/** The search starts at this many characters, as the server requires. */
export const EMPLOYEE_SEARCH_MIN_LENGTH = 3;

/** The organization's directory connection (Administrators); null when none was ever set up. */
export const directoryConnectionQuery = queryOptions({
  queryKey: ['directory', 'connection'],
  queryFn: async ({ signal }) => {
    try {
      return await apiGet(DIRECTORY_CONNECTION_PATH, directoryConnectionSchema, { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
});

/** How many employees the cache knows, since when, and the connection status. */
export const employeesSummaryQuery = queryOptions({
  queryKey: ['employees', 'summary'],
  queryFn: ({ signal }) => apiGet('/api/v1/employees/summary', employeesSummarySchema, { signal }),
});

export function employeeSearchQuery(search: string) {
  return queryOptions({
    queryKey: ['employees', 'search', search],
    queryFn: ({ signal }) =>
      apiGet(`/api/v1/employees?${new URLSearchParams({ search })}`, employeesSchema, { signal }),
    enabled: search.length >= EMPLOYEE_SEARCH_MIN_LENGTH,
  });
}

export const EMPLOYEES_RESOLVE_PATH = '/api/v1/employees/resolve';

/** The most references the server resolves in one request. */
export const RESOLVE_BATCH_SIZE = 500;

/** How long resolved names are reused before being asked again; the cache changes at most daily. */
const RESOLVED_STALE_MS = 5 * 60_000;

/** The distinct references in a stable order, in batches the server accepts. */
export function resolveBatches(references: readonly string[]): string[][] {
  const distinct = [...new Set(references)].sort();
  const batches: string[][] = [];
  for (let start = 0; start < distinct.length; start += RESOLVE_BATCH_SIZE) {
    batches.push(distinct.slice(start, start + RESOLVE_BATCH_SIZE));
  }
  return batches;
}

/** Names for one batch of references (SEC-6): resolved through the 14-day cache when shown, never stored. */
export function resolvedEmployeesQuery(references: readonly string[]) {
  return queryOptions({
    queryKey: ['employees', 'resolve', references],
    // A read sent as POST: 500 references do not fit in an address. Like every POST it carries the CSRF header.
    queryFn: async ({ client, signal }) => {
      const { employees } = await apiPost(EMPLOYEES_RESOLVE_PATH, { references }, resolvedEmployeesSchema, {
        csrfToken: csrfTokenFrom(client),
        signal,
      });
      // The answer keeps the order asked.
      return new Map(references.map((reference, index) => [reference, employees[index]]));
    },
    staleTime: RESOLVED_STALE_MS,
  });
}

type ResolvedBatch = Map<string, ResolvedEmployee | undefined>;

function combineBatches(
  results: UseQueryResult<ResolvedBatch>[],
): QueryLike<ReadonlyMap<string, ResolvedEmployee>> {
  const byReference = new Map<string, ResolvedEmployee>();
  for (const { data } of results) {
    for (const [reference, employee] of data ?? []) if (employee) byReference.set(reference, employee);
  }
  const failed = results.find((result) => result.isError);
  return {
    isPending: results.some((result) => result.isPending),
    isError: failed !== undefined,
    isFetching: results.some((result) => result.isFetching),
    error: failed?.error ?? null,
    data: byReference,
    refetch: () => Promise.all(results.map((result) => result.refetch())),
  };
}

/**
 * The employees behind `references`, looked up by reference (SEC-6): one request per batch of up to 500
 * distinct references, so a page asks once however often and in whatever order it repeats a person.
 * Fits QueryState; while a batch loads its references are missing from the map.
 */
export function useResolvedEmployees(
  references: readonly string[],
): QueryLike<ReadonlyMap<string, ResolvedEmployee>> {
  return useQueries({
    queries: resolveBatches(references).map(resolvedEmployeesQuery),
    combine: combineBatches,
  });
}

/**
 * The signed-in person as an employee of the current tenant's organization; `employee` is null when their
 * sign-in carries no directory identity. Not under ['me']: a tenant switch must ask again.
 */
export const myEmployeeQuery = queryOptions({
  queryKey: ['employees', 'me'],
  queryFn: ({ signal }) => apiGet('/api/v1/me/employee', myEmployeeSchema, { signal }),
});
