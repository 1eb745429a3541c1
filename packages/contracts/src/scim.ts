import { z } from 'zod';

/** Settings → User provisioning: whether a SCIM token exists, never the token itself (DIR-4). */
export const scimTokenStatusSchema = z.object({
  exists: z.boolean(),
  createdAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ScimTokenStatus = z.infer<typeof scimTokenStatusSchema>;

/** The answer to "Generate token": the only time the token is shown; the previous one stops working. */
export const scimTokenCreatedSchema = z.object({
  token: z.string(),
  scimBaseUrl: z.string(),
  createdAt: z.string(),
});
export type ScimTokenCreated = z.infer<typeof scimTokenCreatedSchema>;
