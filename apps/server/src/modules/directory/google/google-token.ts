import { sign } from 'node:crypto';
import { z } from 'zod';
import { DirectoryConnectionError } from '../types';
import { failedResponseError, googleErrorReason, type RetryPolicy, requestWithRetry } from './google-http';
import type { ServiceAccountKey } from './service-account-key';

/** Read-only access to users: the only scope the connector asks Google for (SEC-5). */
export const DIRECTORY_USER_READONLY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google refuses assertions valid for more than an hour. */
const ASSERTION_LIFETIME_S = 3600;
/** A cached token is replaced this long before Google says it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});

export interface GoogleTokenSource {
  /** A bearer token impersonating the admin, from the cache while it has more than a few minutes left. */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** Drops the cached token, after Google stopped accepting it. */
  forget(): void;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The RS256 JWT bearer assertion (RFC 7523) by which a service account acts as the admin (domain-wide delegation). */
export function signDelegationAssertion(
  key: ServiceAccountKey,
  claims: { adminEmail: string; audience: string; nowMs: number },
): string {
  const iat = Math.floor(claims.nowMs / 1000);
  const header = base64url({ alg: 'RS256', typ: 'JWT', kid: key.privateKeyId });
  const payload = base64url({
    iss: key.clientEmail,
    sub: claims.adminEmail,
    scope: DIRECTORY_USER_READONLY_SCOPE,
    aud: claims.audience,
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export function createGoogleTokenSource(options: {
  key: ServiceAccountKey;
  adminEmail: string;
  tokenUrl: string;
  retry: RetryPolicy;
}): GoogleTokenSource {
  const { key, adminEmail, tokenUrl, retry } = options;
  let cached: { token: string; refreshAtMs: number } | undefined;

  const exchange = async (signal?: AbortSignal) => {
    const nowMs = retry.clock.now().getTime();
    const assertion = signDelegationAssertion(key, { adminEmail, audience: tokenUrl, nowMs });
    const response = await requestWithRetry(retry, tokenUrl, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }),
      signal,
    });
    if (response.status !== 200) {
      const reason = googleErrorReason(response.text);
      if (reason === 'unauthorized_client') {
        throw new DirectoryConnectionError(
          'revoked',
          'Google refused the service account (unauthorized_client): domain-wide delegation of the read-only users scope is not granted or was revoked in the Admin console',
        );
      }
      if (reason === 'invalid_grant' || reason === 'invalid_client') {
        throw new DirectoryConnectionError(
          'unauthorized',
          `Google refused the service account's sign-in (${reason}): check that the key is still active, the admin e-mail exists in the domain and the server clock is right`,
        );
      }
      throw failedResponseError('token request', response);
    }
    let body: z.infer<typeof tokenResponseSchema>;
    try {
      body = tokenResponseSchema.parse(JSON.parse(response.text));
    } catch {
      throw new DirectoryConnectionError(
        'bad_response',
        'Google answered the token request without an access token',
      );
    }
    const expiresAtMs = nowMs + body.expires_in * 1000;
    cached = { token: body.access_token, refreshAtMs: Math.max(nowMs, expiresAtMs - REFRESH_MARGIN_MS) };
    return body.access_token;
  };

  return {
    async accessToken(signal) {
      if (cached && retry.clock.now().getTime() < cached.refreshAtMs) return cached.token;
      return exchange(signal);
    },
    forget() {
      cached = undefined;
    },
  };
}
