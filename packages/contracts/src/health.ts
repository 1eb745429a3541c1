import { z } from 'zod';

export const tlsStatusSchema = z.object({
  source: z.enum(['dev-ca', 'files', 'proxy']),
  notAfter: z.string().nullable(),
  daysLeft: z.number().nullable(),
  expiresSoon: z.boolean(),
});

export const healthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  mode: z.enum(['embedded', 'production']),
  uptimeSeconds: z.number(),
  tls: tlsStatusSchema,
});
export type Health = z.infer<typeof healthSchema>;

export const readinessCheckSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  error: z.string().optional(),
});
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: readinessCheckSchema, cache: readinessCheckSchema }),
});
export type Readiness = z.infer<typeof readinessSchema>;
