import { authEventsQuerySchema, authEventsSchema, platformOrganizationsSchema } from '@thestorage/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import type { DatabaseHandle } from '../../platform/db/connect';
import { withSystem } from '../../platform/db/tenant-scope';
import { notFound } from '../../platform/http/errors';
import { listAuthEvents } from '../auth/auth-log';
import { profileOf } from '../auth/session-profile';
import { effectivePlan } from '../tenants/plans';

/**
 * Platform administrators only. Everyone else — tenant Administrators included — gets 404, as if
 * the console did not exist (SEC-13).
 */
function platformAdminOnly(request: FastifyRequest): string {
  const session = request.session;
  const profile = session ? profileOf(session) : null;
  if (!session || !profile?.isPlatformAdmin) throw notFound();
  return session.userId;
}

export function registerPlatformConsoleRoutes(
  app: FastifyInstance,
  deps: { database: DatabaseHandle; clock: Clock },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/platform/organizations',
    {
      schema: {
        tags: ['platform'],
        summary: 'Organizations and their tenants with plans (platform administrators)',
        response: { 200: platformOrganizationsSchema },
      },
    },
    async (request) => {
      const adminId = platformAdminOnly(request);
      request.log.info({ platformAdmin: adminId, read: 'organizations' }, 'platform console read');
      const now = deps.clock.now();
      const rows = await withSystem(deps.database, (db) =>
        db
          .selectFrom('organizations')
          .leftJoin('tenants', 'tenants.organization_id', 'organizations.id')
          .select([
            'organizations.id as organization_id',
            'organizations.name as organization_name',
            'organizations.created_at as organization_created_at',
            'tenants.id as tenant_id',
            'tenants.slug',
            'tenants.name as tenant_name',
            'tenants.plan',
            'tenants.trial_ends_at',
            'tenants.cancelled_at',
          ])
          .orderBy('organizations.name')
          .orderBy('tenants.slug')
          .execute(),
      );
      const organizations = new Map<
        string,
        { id: string; name: string; createdAt: string; tenants: unknown[] }
      >();
      for (const row of rows) {
        const id = String(row.organization_id);
        const organization = organizations.get(id) ?? {
          id,
          name: row.organization_name,
          createdAt: row.organization_created_at,
          tenants: [],
        };
        organizations.set(id, organization);
        if (row.tenant_id && row.slug && row.tenant_name && row.plan && row.trial_ends_at) {
          const effective = effectivePlan(
            { plan: row.plan, trialEndsAt: row.trial_ends_at, cancelledAt: row.cancelled_at },
            now,
          );
          organization.tenants.push({
            id: String(row.tenant_id),
            slug: row.slug,
            name: row.tenant_name,
            plan: row.plan,
            trialEndsAt: row.trial_ends_at,
            effectivePlan: effective.plan,
            inTrial: effective.inTrial,
          });
        }
      }
      return platformOrganizationsSchema.parse({ organizations: [...organizations.values()] });
    },
  );

  typed.get(
    '/api/platform/auth-events',
    {
      schema: {
        tags: ['platform'],
        summary: 'The authentication log of every tenant, newest first (platform administrators)',
        querystring: authEventsQuerySchema,
        response: { 200: authEventsSchema },
      },
    },
    async (request) => {
      const adminId = platformAdminOnly(request);
      // Reading the log is itself logged.
      request.log.info(
        { platformAdmin: adminId, read: 'auth-events', filters: request.query },
        'platform console read',
      );
      return listAuthEvents(deps.database, request.query);
    },
  );
}
