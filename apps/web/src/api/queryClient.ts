import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ErrorCode } from '@thestorage/contracts';
import { ApiError } from './client';
import { isSignedOutError, meQuery } from './session';

/** Retries only what may heal by itself: network failures and 5xx, never a refused request. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export interface QueryClientOptions {
  /** Tests turn retries off so a failure shows at once. */
  retry?: false;
}

export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  // A 401 anywhere means the session ended: asking /me again lets the auth gate send the person to sign-in.
  const onError = (error: unknown, queryKey?: readonly unknown[]) => {
    // A refused CSRF token is stale (the session rotated): a fresh /me brings the current one.
    const staleSession =
      isSignedOutError(error) || (error instanceof ApiError && error.code === ErrorCode.CsrfFailed);
    if (staleSession && queryKey?.[0] !== meQuery.queryKey[0]) {
      void client.invalidateQueries({ queryKey: meQuery.queryKey });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: {
        retry: options.retry ?? shouldRetry,
        staleTime: 15_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
