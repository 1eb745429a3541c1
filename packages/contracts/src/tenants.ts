import { z } from 'zod';

export const planSchema = z.enum(['free', 'professional', 'enterprise']);
export type Plan = z.infer<typeof planSchema>;

export const currentTenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  plan: planSchema,
  effectivePlan: planSchema,
  inTrial: z.boolean(),
  trialEndsAt: z.string(),
  trialDaysLeft: z.number().int(),
  features: z.record(z.string(), z.boolean()),
  limits: z.record(z.string(), z.number().int().nullable()),
});
export type CurrentTenant = z.infer<typeof currentTenantSchema>;
