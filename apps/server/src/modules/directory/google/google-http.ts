import type { HttpsFetch, HttpsFetchInit } from '../../../platform/auth/relying-party/https-fetch';
import type { Clock } from '../../../platform/clock';
import { DirectoryConnectionError } from '../types';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  fetch: HttpsFetch;
  clock: Clock;
  sleep: Sleep;
  maxRetries: number;
}

export interface GoogleResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Longest wait the connector accepts from a Retry-After before it gives up on this sync. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** The `reason` of a Google API error body (`error.errors[0].reason`), or the OAuth `error` code. */
export function googleErrorReason(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    const reason =
      typeof body.error === 'string'
        ? body.error
        : (body.error as { errors?: { reason?: unknown }[] } | undefined)?.errors?.[0]?.reason;
    return typeof reason === 'string' && /^[A-Za-z_]{1,64}$/.test(reason) ? reason : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterMs(headers: Headers, clock: Clock): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now().getTime());
}

const isRetryable = (response: GoogleResponse) =>
  response.status === 429 ||
  response.status >= 500 ||
  (response.status === 403 && RATE_LIMIT_REASONS.has(googleErrorReason(response.text) ?? ''));

/**
 * One call to Google with its retry rules: 429, 5xx and rate-limit 403s wait the Retry-After (else an
 * exponential backoff) and try again, up to maxRetries; the last answer is returned for the caller to map.
 */
export async function requestWithRetry(
  policy: RetryPolicy,
  url: string,
  init: HttpsFetchInit,
): Promise<GoogleResponse> {
  for (let attempt = 0; ; attempt++) {
    init.signal?.throwIfAborted();
    let response: GoogleResponse | undefined;
    try {
      const raw = await policy.fetch(url, init);
      response = { status: raw.status, headers: raw.headers, text: await raw.text() };
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      if (attempt >= policy.maxRetries) {
        throw new DirectoryConnectionError(
          'unavailable',
          `Google could not be reached at ${new URL(url).origin}`,
          {
            cause: error,
          },
        );
      }
    }
    if (response && !isRetryable(response)) return response;
    const backoffMs = 1000 * 2 ** Math.min(attempt, 5);
    const waitMs = (response && retryAfterMs(response.headers, policy.clock)) ?? backoffMs;
    if (response && (attempt >= policy.maxRetries || waitMs > MAX_RETRY_AFTER_MS)) return response;
    await policy.sleep(waitMs, init.signal ?? undefined);
  }
}

/** Maps a non-success answer that retries could not fix to the connection error the UI shows. */
export function failedResponseError(what: string, response: GoogleResponse): DirectoryConnectionError {
  const reason = googleErrorReason(response.text);
  const suffix = ` (HTTP ${response.status}${reason ? `, ${reason}` : ''})`;
  if (response.status === 429 || (response.status === 403 && RATE_LIMIT_REASONS.has(reason ?? ''))) {
    return new DirectoryConnectionError('throttled', `Google kept throttling the ${what}${suffix}`);
  }
  if (response.status >= 500) {
    return new DirectoryConnectionError('unavailable', `Google could not answer the ${what}${suffix}`);
  }
  if (response.status === 401) {
    return new DirectoryConnectionError(
      'revoked',
      `Google no longer accepts the connection's ${what}${suffix}`,
    );
  }
  if (response.status === 403) {
    return new DirectoryConnectionError('unauthorized', `Google refused the ${what}${suffix}`);
  }
  return new DirectoryConnectionError(
    'bad_response',
    `Google gave an unexpected answer to the ${what}${suffix}`,
  );
}
