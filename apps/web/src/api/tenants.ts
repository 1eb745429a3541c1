import { queryOptions } from '@tanstack/react-query';
import { currentTenantSchema } from '@thestorage/contracts';
import { apiGet } from './client';

/** The active tenant with its plan, trial and the features and limits that follow from them. */
export const currentTenantQuery = queryOptions({
  queryKey: ['tenant', 'current'],
  queryFn: ({ signal }) => apiGet('/api/v1/tenant', currentTenantSchema, { signal }),
});
