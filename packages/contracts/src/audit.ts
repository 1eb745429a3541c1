import { z } from 'zod';

export const auditChainBreakReasonSchema = z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap']);
export type AuditChainBreakReason = z.infer<typeof auditChainBreakReasonSchema>;

/** The result of verifying a tenant's audit history chain (SEC-7): intact, or its first broken link. */
export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Events checked, when the chain is intact. */
  count: z.number().int().optional(),
  brokenAt: z
    .object({
      seq: z.number().int(),
      eventId: z.string(),
      reason: auditChainBreakReasonSchema,
    })
    .optional(),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;
