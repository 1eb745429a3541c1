import { type QueryClient, queryOptions, useQueryClient } from '@tanstack/react-query';
import { meSchema, signInProvidersSchema } from '@thestorage/contracts';
import { useMemo } from 'react';
import type { z } from 'zod';
import { ApiError, apiDelete, apiGet, apiPatch, apiPost, apiPostForFile, apiSend, apiUpload } from './client';

/** Who is signed in; answers 401 when nobody is. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: ({ signal }) => apiGet('/api/v1/me', meSchema, { signal }),
  staleTime: 60_000,
});

/** The ways to sign in offered on the sign-in page. */
export const signInProvidersQuery = queryOptions({
  queryKey: ['auth', 'providers'],
  queryFn: ({ signal }) => apiGet('/auth/providers', signInProvidersSchema, { signal }),
  staleTime: 5 * 60_000,
});

export function isSignedOutError(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The CSRF token of the cached `me` answer: every state-changing request carries it. */
export function csrfTokenFrom(queryClient: QueryClient): string | undefined {
  return queryClient.getQueryData(meQuery.queryKey)?.csrfToken;
}

export interface ApiWrite {
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>>;
  patch<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>>;
  put<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>>;
  remove(path: string): Promise<void>;
  /** A POST whose answer is a file (`accept` names its type, e.g. `application/pdf`). */
  postForFile(path: string, body: unknown, accept: string): Promise<Blob>;
  /** A POST whose body is the file itself, sent with `contentType`. */
  upload<S extends z.ZodType>(path: string, file: Blob, contentType: string, schema: S): Promise<z.infer<S>>;
}

/** State-changing requests bound to the signed-in session's CSRF token (read at call time). */
export function apiWriteFor(queryClient: QueryClient): ApiWrite {
  const options = () => ({ csrfToken: csrfTokenFrom(queryClient) });
  return {
    post: (path, body, schema) => apiPost(path, body, schema, options()),
    patch: (path, body, schema) => apiPatch(path, body, schema, options()),
    put: (path, body, schema) => apiSend('PUT', path, body, schema, options()),
    remove: (path) => apiDelete(path, options()),
    postForFile: (path, body, accept) => apiPostForFile(path, body, accept, options()),
    upload: (path, file, contentType, schema) => apiUpload(path, file, contentType, schema, options()),
  };
}

export function useApiWrite(): ApiWrite {
  const queryClient = useQueryClient();
  return useMemo(() => apiWriteFor(queryClient), [queryClient]);
}
