import { queryOptions } from '@tanstack/react-query';
import { healthSchema, readinessSchema } from '@thestorage/contracts';
import { apiGet } from './client';

/** Liveness, version, mode and certificate status of the server. */
export const healthQuery = queryOptions({
  queryKey: ['system', 'health'],
  queryFn: ({ signal }) => apiGet('/health', healthSchema, { signal }),
  refetchInterval: 60_000,
});

/** Database and cache readiness; a 503 still carries the readiness report. */
export const readinessQuery = queryOptions({
  queryKey: ['system', 'ready'],
  queryFn: ({ signal }) => apiGet('/ready', readinessSchema, { signal, acceptStatuses: [503] }),
  refetchInterval: 60_000,
});
