import { queryOptions } from '@tanstack/react-query';
import { scimTokenStatusSchema } from '@thestorage/contracts';
import { apiGet } from './client';

/** GET the status, POST a new token (shown once), DELETE to revoke (DIR-4). */
export const SCIM_TOKEN_PATH = '/api/v1/scim/token';

/** Whether the tenant has a SCIM token, when it was made and last used; never the token itself. */
export const scimTokenStatusQuery = queryOptions({
  queryKey: ['scim', 'token'],
  queryFn: ({ signal }) => apiGet(SCIM_TOKEN_PATH, scimTokenStatusSchema, { signal }),
});
