import { queryOptions } from '@tanstack/react-query';
import { membersSchema } from '@thestorage/contracts';
import { apiGet } from './client';

/** The people with access to the active tenant: invited (pending) and registered. */
export const membersQuery = queryOptions({
  queryKey: ['tenant', 'members'],
  queryFn: ({ signal }) => apiGet('/api/v1/members', membersSchema, { signal }),
});

export function memberPath(id: string): string {
  return `/api/v1/members/${encodeURIComponent(id)}`;
}
