import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ScimTokenCreated, scimTokenCreatedSchema } from '@thestorage/contracts';
import { SCIM_TOKEN_PATH, scimTokenStatusQuery } from '../../../api/scim';
import { useApiWrite } from '../../../api/session';

/** Generates the tenant's SCIM token; the previous one stops working at once (DIR-4). */
export function useGenerateScimToken(onGenerated: (created: ScimTokenCreated) => void) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const created = await api.post(SCIM_TOKEN_PATH, undefined, scimTokenCreatedSchema);
      // Straight to the page's state: the token is shown once and kept in no mutation result or cache.
      onGenerated(created);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scimTokenStatusQuery.queryKey }),
  });
}
