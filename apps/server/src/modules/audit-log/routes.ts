import { auditVerificationSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditStore } from '../../platform/audit-store/store';
import { verifyAuditChain } from '../../platform/audit-store/verify';
import type { DatabaseHandle } from '../../platform/db/connect';
import { actorOf, requirePermission } from '../../platform/http/access';

export interface AuditLogDeps {
  auditStore: AuditStore;
  /** The main database, which keeps each chain's head. */
  database: DatabaseHandle;
}

/** The tenant's audit history (SEC-7): administrators check that nothing in it was changed or removed. */
export function registerAuditLogRoutes(api: FastifyInstance, deps: AuditLogDeps) {
  api.withTypeProvider<ZodTypeProvider>().get(
    '/audit-log/verify',
    {
      preHandler: requirePermission('audit.verify'),
      schema: {
        tags: ['audit-log'],
        summary: "Verify the current tenant's audit history chain and report its first broken link",
        response: { 200: auditVerificationSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return verifyAuditChain(deps.auditStore, actor.tenantId, { main: deps.database });
    },
  );
}
