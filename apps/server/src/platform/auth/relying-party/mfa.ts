/**
 * `amr` values (RFC 8176) that show a second factor or a phishing-resistant key was used. A lone
 * `pwd` or `kba` shows nothing more than a password.
 */
export const MFA_AMR_VALUES = ['mfa', 'mca', 'otp', 'hwk', 'swk', 'sms', 'tel', 'sc'] as const;

/** `acr` values of common providers that promise multi-factor authentication. */
export const DEFAULT_MFA_ACR_VALUES = [
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical',
  'urn:okta:loa:2fa:any',
  'phr',
  'phrh',
] as const;

export function showsMfa(
  amr: readonly string[],
  acr: string | null,
  acrValues: readonly string[] = DEFAULT_MFA_ACR_VALUES,
): boolean {
  const mfaAmr: readonly string[] = MFA_AMR_VALUES;
  return amr.some((value) => mfaAmr.includes(value)) || (acr !== null && acrValues.includes(acr));
}
