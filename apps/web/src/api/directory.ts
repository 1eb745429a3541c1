import { queryOptions } from '@tanstack/react-query';
import {
  directoryConnectionSchema,
  employeesSchema,
  employeesSummarySchema,
  jobSchema,
} from '@thestorage/contracts';
import { ApiError, apiGet } from './client';

export const DIRECTORY_CONNECTION_PATH = '/api/v1/directory/connection';
export const DIRECTORY_SYNC_PATH = '/api/v1/directory/sync';

/** The search starts at this many characters, as the server requires. */
export const EMPLOYEE_SEARCH_MIN_LENGTH = 3;

/** How often a running job is asked for its progress. */
export const JOB_POLL_MS = 1_000;

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

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

export function isJobFinished(status: string): boolean {
  return FINISHED.has(status);
}

/** A background job, asked again every second until it has finished. */
export function jobQuery(jobId: string) {
  return queryOptions({
    queryKey: ['jobs', jobId],
    queryFn: ({ signal }) => apiGet(`/api/v1/jobs/${encodeURIComponent(jobId)}`, jobSchema, { signal }),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && isJobFinished(status) ? false : JOB_POLL_MS;
    },
    staleTime: 0,
  });
}
