import { z } from 'zod';
import type { RequestSession } from '../../platform/sessions';

/** What a session remembers of its sign-in; names and e-mail come from the ID token, not from SQL. */
export const sessionProfileSchema = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  isPlatformAdmin: z.boolean(),
  employeeOrganizationIds: z.array(z.string()),
  providerKind: z.string(),
  issuer: z.string(),
  directory: z.string().nullable(),
});
export type SessionProfile = z.infer<typeof sessionProfileSchema>;

export function profileOf(session: RequestSession): SessionProfile | null {
  const parsed = sessionProfileSchema.safeParse(session.data.profile);
  return parsed.success ? parsed.data : null;
}
