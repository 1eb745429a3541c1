import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { authEventsSchema, platformOrganizationsSchema } from '@thestorage/contracts';
import type { z } from 'zod';
import { apiGet } from './client';

export const platformOrganizationsQuery = queryOptions({
  queryKey: ['platform', 'organizations'],
  queryFn: ({ signal }) => apiGet('/api/platform/organizations', platformOrganizationsSchema, { signal }),
});

export type AuthEventOutcome = z.infer<typeof authEventsSchema>['events'][number]['outcome'];

export interface AuthEventFilters {
  outcome?: AuthEventOutcome;
  provider?: string;
  tenantId?: string;
}

export const AUTH_EVENTS_PAGE_SIZE = 50;

/** The query string of one page of the authentication log; empty filters are left out. */
export function authEventsPath(filters: AuthEventFilters, before: string | null): string {
  const params = new URLSearchParams();
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (filters.provider) params.set('provider', filters.provider);
  if (filters.tenantId) params.set('tenantId', filters.tenantId);
  if (before) params.set('before', before);
  params.set('limit', String(AUTH_EVENTS_PAGE_SIZE));
  return `/api/platform/auth-events?${params.toString()}`;
}

/** The authentication log, newest first, one page at a time ("Load more" follows `nextBefore`). */
export function authEventsQuery(filters: AuthEventFilters) {
  return infiniteQueryOptions({
    queryKey: ['platform', 'auth-events', filters],
    queryFn: ({ signal, pageParam }) =>
      apiGet(authEventsPath(filters, pageParam), authEventsSchema, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
    staleTime: 0,
  });
}
