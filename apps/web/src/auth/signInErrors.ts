/** Reason codes the server puts in `/sign-in?error=`; each one gets a message a person can act on. */
const SIGN_IN_ERROR_MESSAGES: Record<string, string> = {
  bad_state:
    'The sign-in could not be matched to this browser. It may have taken too long or been started in another tab. Please sign in again.',
  replayed_state: 'This sign-in link was already used. Please start the sign-in again.',
  nonce_mismatch: 'The identity provider’s answer did not belong to this sign-in. Please sign in again.',
  issuer_mismatch:
    'The answer came from an identity provider other than the one you chose. Please sign in again or ask your administrator.',
  audience_mismatch:
    'The identity provider issued the sign-in for a different application. Ask your administrator to check the provider settings.',
  token_expired:
    'The sign-in expired before it reached TheStorage. Please sign in again; if it keeps happening, check your device’s clock.',
  issued_in_future:
    'The sign-in carries a time in the future. Check that your device’s clock is correct, then sign in again.',
  bad_signature: 'The identity provider’s answer could not be verified. Please sign in again.',
  alg_not_allowed:
    'The identity provider signed the sign-in with a method TheStorage does not accept. Ask your administrator to check the provider settings.',
  pkce_failed: 'The sign-in could not be completed securely. Please sign in again.',
  unknown_entra_tenant:
    'Your Microsoft organization is not registered with this organization on TheStorage. Ask your administrator to add it.',
  domain_not_allowed:
    'This Google account is outside the domain your organization allows. Sign in with your work account.',
  mfa_required:
    'Your organization requires multi-factor authentication. Sign in again at your identity provider using a second factor.',
  provider_error: 'The identity provider reported a problem or the sign-in was cancelled. Please try again.',
  open_redirect:
    'The page to return to after sign-in was not part of TheStorage, so the sign-in was stopped. Please sign in again from TheStorage.',
  unknown_user:
    'You are not a member of any organization on TheStorage yet. Ask an administrator for an invitation, or sign in with the account you were invited with.',
  disabled: 'Your access has been disabled. Contact your administrator.',
};

export const GENERIC_SIGN_IN_ERROR = 'Sign-in did not succeed. Please try again.';

/** The message for a sign-in failure; unknown codes get a generic one (the code itself is never shown raw). */
export function signInErrorMessage(code: string): string {
  return Object.hasOwn(SIGN_IN_ERROR_MESSAGES, code) ? SIGN_IN_ERROR_MESSAGES[code]! : GENERIC_SIGN_IN_ERROR;
}

export const KNOWN_SIGN_IN_ERRORS: readonly string[] = Object.keys(SIGN_IN_ERROR_MESSAGES);
