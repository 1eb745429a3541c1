import { ErrorCode } from '@thestorage/contracts';

const statusOf: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.ModifiedBySomeoneElse]: 409,
  [ErrorCode.LimitReached]: 403,
  [ErrorCode.FeatureNotInPlan]: 403,
  [ErrorCode.FeatureTurnedOff]: 403,
  [ErrorCode.ImportNotChecked]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.CsrfFailed]: 403,
  [ErrorCode.HttpsRequired]: 403,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

/**
 * The one error type: a stable code, its HTTP status and a message that is safe to show.
 * Internal causes stay in `cause` and go to the log only.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf[code];
    this.details = options.details;
  }
}

export const notFound = (what = 'Resource') => new AppError(ErrorCode.NotFound, `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError(ErrorCode.Forbidden, message);
export const unauthenticated = () => new AppError(ErrorCode.Unauthenticated, 'Sign in to continue');
export const validationFailed = (message: string, details?: unknown) =>
  new AppError(ErrorCode.ValidationFailed, message, { details });
