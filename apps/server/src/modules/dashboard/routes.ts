import { DEVICE_STATUSES, type DeviceDashboard, deviceDashboardSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { actorOf, requirePermission } from '../../platform/http/access';
import type { Repos } from '../../repos';

export interface DashboardRouteDeps {
  repos: Repos;
  clock: Clock;
}

/** DASH-1, devices part: counts by status, risky devices, assignment coverage, warranties expiring. */
export function registerDashboardRoutes(api: FastifyInstance, deps: DashboardRouteDeps) {
  api.withTypeProvider<ZodTypeProvider>().get(
    '/dashboard/devices',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags: ['dashboard'],
        summary: 'Devices by status, risky devices, assignment coverage and warranties ending within 90 days',
        response: { 200: deviceDashboardSchema },
      },
    },
    async (request): Promise<DeviceDashboard> => {
      const actor = actorOf(request);
      const today = deps.clock.now().toISOString().slice(0, 10);
      const figures = await deps.repos
        .forTenant(actor.tenantId)
        .transaction((r) => r.devices.dashboard(today));
      const byStatus = Object.fromEntries(
        DEVICE_STATUSES.map((s) => [s, figures.byStatus.get(s) ?? 0]),
      ) as DeviceDashboard['byStatus'];
      const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
      return {
        total,
        byStatus,
        risky: { missing: byStatus.missing, damaged: byStatus.damaged, eol: byStatus.eol },
        coverage: {
          assigned: (figures.byAssignee.get('employee') ?? 0) + (figures.byAssignee.get('place') ?? 0),
          total,
        },
        warrantiesExpiring: { count: figures.expiringCount, soonest: figures.soonest },
      };
    },
  );
}
