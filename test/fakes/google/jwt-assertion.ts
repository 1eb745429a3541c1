import { type KeyObject, verify } from 'node:crypto';

/** What Google's token endpoint checks in a JWT bearer grant (RFC 7523) from a service account. */
export interface AssertionExpectations {
  publicKey: KeyObject;
  keyId: string;
  clientEmail: string;
  /** The token endpoint's own URL: the only audience it accepts. */
  audience: string;
  nowSeconds: number;
}

export interface DecodedAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export type AssertionCheck =
  | ({ ok: true } & DecodedAssertion)
  | { ok: false; status: number; error: string; description: string; decoded?: DecodedAssertion };

const MAX_LIFETIME_S = 3600;
const ALLOWED_SKEW_S = 300;

const decodePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** Verifies the signature and claims with the answers (and error codes) Google gives. */
export function checkAssertion(assertion: string, expect: AssertionExpectations): AssertionCheck {
  const parts = assertion.split('.');
  const header = parts.length === 3 ? decodePart(parts[0]!) : undefined;
  const claims = parts.length === 3 ? decodePart(parts[1]!) : undefined;
  if (!header || !claims) {
    return { ok: false, status: 400, error: 'invalid_grant', description: 'Invalid JWT.' };
  }
  const decoded = { header, claims };
  const refuse = (description: string, error = 'invalid_grant', status = 400): AssertionCheck => ({
    ok: false,
    status,
    error,
    description,
    decoded,
  });

  if (header.alg !== 'RS256') return refuse('Invalid JWT Signature.');
  if (header.kid !== undefined && header.kid !== expect.keyId) return refuse('Invalid JWT Signature.');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('sha256', signed, expect.publicKey, Buffer.from(parts[2]!, 'base64url'))) {
    return refuse('Invalid JWT Signature.');
  }
  if (claims.iss !== expect.clientEmail)
    return refuse('The OAuth client was not found.', 'invalid_client', 401);
  if (claims.aud !== expect.audience) return refuse('Invalid JWT: Failed audience check.');
  const { iat, exp } = claims;
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp - iat > MAX_LIFETIME_S ||
    exp <= iat ||
    iat > expect.nowSeconds + ALLOWED_SKEW_S ||
    exp < expect.nowSeconds - ALLOWED_SKEW_S
  ) {
    return refuse(
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  if (typeof claims.scope !== 'string' || claims.scope.trim() === '') {
    return refuse('Invalid OAuth scope or ID token audience provided.', 'invalid_scope');
  }
  return { ok: true, ...decoded };
}
