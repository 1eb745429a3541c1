import type { FastifyBaseLogger } from 'fastify';
import { DEMO_PEOPLE } from './demo-people';
import { invitationRef } from './modules/auth/access';
import { createOrganizationWithTenant } from './modules/tenants/tenant-service';
import type { Clock } from './platform/clock';
import type { DatabaseHandle } from './platform/db/connect';
import { createRepos } from './repos';

export const DEMO_TENANT_SLUG = 'demo';

/**
 * The embedded default comes with a demo organization so a newcomer has something to click on. It
 * accepts the development provider's people (its employees), and its Administrator, Operator and
 * Viewer are invited by address: their first sign-in registers them, as for any invitation.
 */
export async function seedDemoOrganization(
  database: DatabaseHandle,
  clock: Clock,
  logger: FastifyBaseLogger,
) {
  const repos = createRepos(database);
  const existing = await repos.system.transaction((r) => r.tenants.findBySlug(DEMO_TENANT_SLUG));
  if (existing) return existing;
  const now = clock.now();
  const { tenant } = await createOrganizationWithTenant(
    { name: 'Demo Company', slug: DEMO_TENANT_SLUG, tenantName: 'Demo Company — Berlin', clock },
    repos,
    async ({ organization, tenant }, r) => {
      await r.identity.setSignInRules(String(organization.id), [{ kind: 'dev' }], false, now);
      const memberships = r.membershipsOf(String(tenant.id));
      for (const person of DEMO_PEOPLE) {
        if (
          person.demoRole !== 'administrator' &&
          person.demoRole !== 'operator' &&
          person.demoRole !== 'viewer'
        )
          continue;
        await memberships.add(
          {
            subjectRef: invitationRef(person.email),
            email: person.email,
            role: person.demoRole,
            isGlobal: person.demoRole === 'administrator',
            status: 'pending',
          },
          now,
        );
      }
    },
  );
  logger.info({ tenant: tenant.slug }, 'created the demo organization');
  return tenant;
}
