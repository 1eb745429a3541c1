import * as client from 'openid-client';
import { SignInError, type SignInReason } from './sign-in-error';

// Error codes of oauth4webapi, which openid-client re-throws as ClientError.code.
const CLAIM_COMPARISON = 'OAUTH_JWT_CLAIM_COMPARISON_FAILED';
const TIMESTAMP_CHECK = 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED';
const INVALID_RESPONSE = 'OAUTH_INVALID_RESPONSE';
const KEY_SELECTION = 'OAUTH_KEY_SELECTION_FAILED';
const UNSUPPORTED_OPERATION = 'OAUTH_UNSUPPORTED_OPERATION';

const BY_CLAIM: Record<string, SignInReason> = {
  iss: 'issuer_mismatch',
  aud: 'audience_mismatch',
  azp: 'audience_mismatch',
  nonce: 'nonce_mismatch',
  exp: 'token_expired',
  auth_time: 'token_expired',
  nbf: 'issued_in_future',
};

/**
 * Turns an openid-client failure into the reason the authentication log records. Some checks
 * (signature, algorithm, a missing claim) are told apart only by oauth4webapi's message; the
 * hostile-provider tests pin each of them.
 */
export function signInErrorFrom(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  if (error instanceof client.ResponseBodyError) {
    // The token endpoint refuses a code whose PKCE verifier does not match with `invalid_grant`.
    return new SignInError(error.error === 'invalid_grant' ? 'pkce_failed' : 'provider_error', {
      cause: error,
    });
  }
  if (error instanceof client.ClientError) {
    return new SignInError(reasonOf(error), { cause: error });
  }
  return new SignInError('provider_error', { cause: error });
}

function reasonOf(error: client.ClientError): SignInReason {
  const inner = error.cause instanceof Error ? error.cause : undefined;
  const message = inner?.message ?? error.message;
  const detail = (inner as { cause?: { claim?: unknown } } | undefined)?.cause;
  const claim = typeof detail?.claim === 'string' ? detail.claim : undefined;
  switch (error.code) {
    case CLAIM_COMPARISON:
    case TIMESTAMP_CHECK:
      return (claim && BY_CLAIM[claim]) || 'provider_error';
    case KEY_SELECTION:
      return 'bad_signature';
    case UNSUPPORTED_OPERATION:
      return /JWS (algorithm|"alg")/.test(message) ? 'alg_not_allowed' : 'provider_error';
    case INVALID_RESPONSE: {
      if (message.includes('signature verification failed')) return 'bad_signature';
      if (message.includes('"alg" header parameter')) return 'alg_not_allowed';
      if (message.includes('"state"')) return 'bad_state';
      const missing = /JWT "(\w+)" .*claim missing/.exec(message)?.[1];
      return (missing && BY_CLAIM[missing]) || 'provider_error';
    }
    default:
      return 'provider_error';
  }
}
