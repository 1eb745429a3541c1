import { idParamsSchema, jobSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requirePermission } from '../../platform/http/access';
import { notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';

/** Progress of background work (imports, exports, syncs) for the admins who started it. */
export function registerJobRoutes(api: FastifyInstance, deps: { repos: Repos }) {
  api.withTypeProvider<ZodTypeProvider>().get(
    '/jobs/:id',
    {
      preHandler: requirePermission('jobs.read'),
      schema: {
        tags: ['jobs'],
        summary: 'Status and progress of a background job of the current tenant',
        params: idParamsSchema,
        response: { 200: jobSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const job = await deps.repos
        .forTenant(actor.tenantId)
        .transaction((r) => r.jobs.get(request.params.id));
      // Another tenant's job answers exactly like a missing one.
      if (!job) throw notFound('Job');
      return {
        id: job.id,
        kind: job.kind,
        status: job.status,
        progress: job.progress,
        attempts: job.attempts,
        maxAttempts: job.maxAttempts,
        lastError: job.lastError,
        createdAt: job.createdAt,
        updatedAt: job.updatedAt,
        finishedAt: job.finishedAt,
      };
    },
  );
}
