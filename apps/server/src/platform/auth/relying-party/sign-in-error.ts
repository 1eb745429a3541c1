import { ErrorCode } from '@thestorage/contracts';
import { AppError } from '../../http/errors';

/** Why a sign-in was refused: stable codes, written to the authentication log (SEC-13). */
export const SIGN_IN_REASONS = [
  'bad_state',
  'replayed_state',
  'nonce_mismatch',
  'issuer_mismatch',
  'audience_mismatch',
  'token_expired',
  'issued_in_future',
  'bad_signature',
  'alg_not_allowed',
  'pkce_failed',
  'unknown_entra_tenant',
  'domain_not_allowed',
  'mfa_required',
  'provider_error',
  'open_redirect',
  'unknown_user',
  'disabled',
] as const;
export type SignInReason = (typeof SIGN_IN_REASONS)[number];

const SAFE_MESSAGES: Record<SignInReason, string> = {
  bad_state: 'This sign-in attempt is not valid for this browser or has expired. Start the sign-in again.',
  replayed_state: 'This sign-in link was already used. Start the sign-in again.',
  nonce_mismatch: 'The identity provider answered for another sign-in attempt. Start the sign-in again.',
  issuer_mismatch: 'The sign-in was issued by an identity provider this organization does not accept.',
  audience_mismatch: 'The sign-in was issued for another application.',
  token_expired: 'The sign-in has expired. Start the sign-in again.',
  issued_in_future: "The identity provider's clock is ahead of ours; the sign-in was refused.",
  bad_signature: 'The sign-in could not be verified: its signature is not valid.',
  alg_not_allowed: 'The sign-in uses a signature algorithm that is not allowed.',
  pkce_failed: 'The identity provider refused to complete the sign-in (proof key check). Start again.',
  unknown_entra_tenant: 'Your Microsoft Entra tenant is not registered with this organization.',
  domain_not_allowed: 'Your account is not in a domain this organization accepts.',
  mfa_required: 'This organization requires multi-factor authentication. Sign in again with a second factor.',
  provider_error: 'The identity provider could not complete the sign-in. Try again later.',
  open_redirect: 'The return address must be a page of this site.',
  unknown_user: 'There is no access for this account. Ask your administrator for an invitation.',
  disabled: 'This account has been disabled.',
};

/**
 * A refused sign-in. The message is safe to show and never contains a token; `cause` holds only
 * the library's error name, code and message, for the log.
 */
export class SignInError extends AppError {
  readonly reason: SignInReason;

  constructor(reason: SignInReason, options: { message?: string; cause?: unknown } = {}) {
    const code = reason === 'open_redirect' ? ErrorCode.ValidationFailed : ErrorCode.Unauthenticated;
    super(code, options.message ?? SAFE_MESSAGES[reason], {
      details: { reason },
      cause: options.cause === undefined ? undefined : describeCause(options.cause),
    });
    this.name = 'SignInError';
    this.reason = reason;
  }
}

/** Library errors carry claims and raw responses in their own causes: keep only their names. */
function describeCause(cause: unknown): Error {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return new Error(`${cause.name}${typeof code === 'string' ? ` ${code}` : ''}: ${cause.message}`);
  }
  return new Error(String(cause));
}
