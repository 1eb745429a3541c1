import type { FastifyBaseLogger } from 'fastify';
import { createOrganizationWithTenant } from './modules/tenants/tenant-service';
import type { Clock } from './platform/clock';
import type { DatabaseHandle } from './platform/db/connect';
import { createRepos } from './repos';

export const DEMO_TENANT_SLUG = 'demo';

/** The embedded default comes with a demo organization so a newcomer has something to click on. */
export async function seedDemoOrganization(
  database: DatabaseHandle,
  clock: Clock,
  logger: FastifyBaseLogger,
) {
  const repos = createRepos(database);
  const existing = await repos.system.transaction((r) => r.tenants.findBySlug(DEMO_TENANT_SLUG));
  if (existing) return existing;
  const { tenant } = await createOrganizationWithTenant(
    { name: 'Demo Company', slug: DEMO_TENANT_SLUG, tenantName: 'Demo Company — Berlin', clock },
    repos,
  );
  logger.info({ tenant: tenant.slug }, 'created the demo organization');
  return tenant;
}
