import type { Clock } from '../../../platform/clock';
import { DirectoryConnectionError } from '../types';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  clock: Clock;
  sleep: Sleep;
  /** Retries after the first attempt; the attempt after the last one fails the sync. */
  maxRetries: number;
}

// A Retry-After longer than this is not waited out inside one sync: the next sync tries again.
const MAX_WAIT_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 32_000;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After in seconds (what Graph and Entra send) or as an HTTP date. */
export function retryAfterMs(value: string | null, clock: Clock): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now().getTime());
}

const isTlsFailure = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    /^(ERR_TLS_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_SSL_|HOSTNAME_MISMATCH)/.test(code)
  );
};

/**
 * Sends a request until it gets an answer worth reading: 429 and 503 wait as long as Retry-After
 * says, other 5xx and network failures back off exponentially; after `maxRetries` the sync fails as
 * 'throttled' or 'unavailable'. Any other status is returned for the caller to judge.
 */
export async function requestWithRetries(
  policy: RetryPolicy,
  service: string,
  send: () => Promise<Response>,
  signal?: AbortSignal,
): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const lastAttempt = attempt >= policy.maxRetries;
    const backoff = Math.min(1000 * 2 ** attempt, MAX_BACKOFF_MS);
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (isTlsFailure(error)) {
        throw new DirectoryConnectionError('unavailable', `TLS verification failed for ${service}.`, {
          cause: error,
        });
      }
      if (lastAttempt) {
        throw new DirectoryConnectionError(
          'unavailable',
          `${service} could not be reached after ${attempt + 1} attempts.`,
          { cause: error },
        );
      }
      await policy.sleep(backoff, signal);
      continue;
    }
    if (response.status < 500 && response.status !== 429) return response;
    const throttled = response.status === 429;
    if (lastAttempt) {
      throw new DirectoryConnectionError(
        throttled ? 'throttled' : 'unavailable',
        throttled
          ? `${service} kept throttling requests (HTTP 429) after ${attempt + 1} attempts; the next sync tries again.`
          : `${service} answered HTTP ${response.status} ${attempt + 1} times in a row.`,
      );
    }
    const asked = retryAfterMs(response.headers.get('retry-after'), policy.clock);
    if (asked !== undefined && asked > MAX_WAIT_MS) {
      throw new DirectoryConnectionError(
        throttled ? 'throttled' : 'unavailable',
        `${service} asked to wait ${Math.round(asked / 1000)} s before retrying; the next sync tries again.`,
      );
    }
    await policy.sleep(asked ?? backoff, signal);
  }
}
