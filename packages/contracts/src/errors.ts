import { z } from 'zod';

/** Stable error codes: clients branch on these, never on messages. */
export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  Unauthenticated: 'unauthenticated',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  /** DEV-6: the edit was based on an older version; nothing was overwritten. */
  ModifiedBySomeoneElse: 'modified_by_someone_else',
  LimitReached: 'limit_reached',
  FeatureNotInPlan: 'feature_not_in_plan',
  /** The tenant turned this feature off in its settings (e.g. invoice uploads). */
  FeatureTurnedOff: 'feature_turned_off',
  /** DEV-12: an import runs only after a dry run without problems, on the mapping it checked. */
  ImportNotChecked: 'import_not_checked',
  PayloadTooLarge: 'payload_too_large',
  RateLimited: 'rate_limited',
  CsrfFailed: 'csrf_failed',
  HttpsRequired: 'https_required',
  ServiceUnavailable: 'service_unavailable',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Body of every error response (served as application/problem+json). */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type Problem = z.infer<typeof problemSchema>;
