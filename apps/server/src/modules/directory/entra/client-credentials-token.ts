import type { HttpsFetch } from '../../../platform/auth/relying-party/https-fetch';
import { DirectoryConnectionError } from '../types';
import { type RetryPolicy, requestWithRetries } from './request-with-retries';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const SERVICE = 'The Microsoft identity platform';

export interface ClientCredentialsTokenOptions {
  authorityBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  fetch: HttpsFetch;
  retry: RetryPolicy;
}

export interface AccessTokenSource {
  get(signal?: AbortSignal): Promise<string>;
  /** Drops the cached token after Graph refused it. */
  invalidate(): void;
}

/**
 * An app-only access token for Microsoft Graph (OAuth 2.0 client credentials with a client secret),
 * kept until shortly before it expires.
 */
export function createClientCredentialsToken(options: ClientCredentialsTokenOptions): AccessTokenSource {
  const tokenUrl = `${options.authorityBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const request = async (signal?: AbortSignal) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: GRAPH_SCOPE,
    });
    const response = await requestWithRetries(
      options.retry,
      SERVICE,
      () =>
        options.fetch(tokenUrl, {
          method: 'POST',
          body: form,
          headers: { accept: 'application/json' },
          signal,
        }),
      signal,
    );
    const body = await readJson(response);
    if (!response.ok) throw tokenRefused(response.status, body);
    const token = body?.access_token;
    const lifetime = Number(body?.expires_in);
    if (typeof token !== 'string' || !token || !Number.isFinite(lifetime) || lifetime <= 0) {
      throw new DirectoryConnectionError(
        'bad_response',
        `${SERVICE} answered without a usable access token.`,
      );
    }
    // Renew five minutes early (or at half-life for short tokens) so a page never goes out with a stale one.
    const margin = Math.min(300, lifetime / 2) * 1000;
    cached = { token, renewAt: options.retry.clock.now().getTime() + lifetime * 1000 - margin };
    return token;
  };

  return {
    async get(signal) {
      if (cached && options.retry.clock.now().getTime() < cached.renewAt) return cached.token;
      pending ??= request(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value = (await response.json()) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Names the problem from the OAuth error and its AADSTS code only; the description is not repeated. */
function tokenRefused(status: number, body: Record<string, unknown> | undefined): DirectoryConnectionError {
  const error = typeof body?.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : undefined;
  const aadsts = /AADSTS\d{4,8}/.exec(String(body?.error_description ?? ''))?.[0];
  const reference = [error, aadsts].filter(Boolean).join(', ') || `HTTP ${status}`;
  if (error === 'invalid_client') {
    return new DirectoryConnectionError(
      'revoked',
      `Microsoft Entra ID rejected the client secret (${reference}): it was revoked, expired or mistyped. Create a new secret for the app registration and update the connection.`,
    );
  }
  if (error === 'unauthorized_client') {
    return new DirectoryConnectionError(
      'revoked',
      `Microsoft Entra ID does not let this application into the directory (${reference}): admin consent was revoked or the enterprise application was removed or disabled. Grant admin consent again.`,
    );
  }
  if (status === 400 || status === 401 || status === 403) {
    return new DirectoryConnectionError(
      'unauthorized',
      `Microsoft Entra ID refused the token request (${reference}). Check the directory (tenant) id, client id and secret.`,
    );
  }
  return new DirectoryConnectionError(
    'bad_response',
    `${SERVICE} answered the token request with HTTP ${status}.`,
  );
}
