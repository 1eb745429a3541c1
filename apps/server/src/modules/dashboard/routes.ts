import { DEVICE_STATUSES, type DeviceDashboard, deviceDashboardSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { actorOf, requirePermission } from '../../platform/http/access';
import type { Repos } from '../../repos';
import { inventoryValue } from '../money/conversion';
import { type EcbRateCache, loadTenantConversion } from '../money/tenant-conversion';

export interface DashboardRouteDeps {
  repos: Repos;
  clock: Clock;
  /** The app's one-minute cache of the ECB's rates (the inventory value in the default currency). */
  ecbRates?: EcbRateCache;
}

/**
 * DASH-1, devices part: counts by status, risky devices, assignment coverage, warranties expiring; and the
 * inventory's purchase value in the default currency (DEV-1): prices summed per currency in SQL, then converted.
 */
export function registerDashboardRoutes(api: FastifyInstance, deps: DashboardRouteDeps) {
  api.withTypeProvider<ZodTypeProvider>().get(
    '/dashboard/devices',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags: ['dashboard'],
        summary:
          'Devices by status, risky devices, assignment coverage, warranties ending within 90 days, and the inventory value in the default currency',
        response: { 200: deviceDashboardSchema },
      },
    },
    async (request): Promise<DeviceDashboard> => {
      const actor = actorOf(request);
      const today = deps.clock.now().toISOString().slice(0, 10);
      const { figures, value } = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const [figures, sums, conversion] = await Promise.all([
          r.devices.dashboard(today),
          r.money.priceSumsByCurrency(),
          loadTenantConversion(r.money, deps.ecbRates),
        ]);
        return { figures, value: inventoryValue(sums, conversion.defaultCurrency, conversion.rates) };
      });
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
        inventoryValue: value,
      };
    },
  );
}
