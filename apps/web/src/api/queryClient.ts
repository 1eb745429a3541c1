import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

/** Retries only what may heal by itself: network failures and 5xx, never a refused request. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000, refetchOnWindowFocus: false },
    },
  });
}
