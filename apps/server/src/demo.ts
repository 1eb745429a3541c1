import type { FastifyBaseLogger } from 'fastify';
import { DEMO_DIRECTORY_CLIENT_ID, DEMO_DIRECTORY_TENANT_ID, DEMO_GRAPH_PATH } from './demo-directory';
import { DEMO_PEOPLE } from './demo-people';
import { invitationRef } from './modules/auth/access';
import { credentialSecretName } from './modules/directory/sync/connections-repo';
import { createOrganizationWithTenant } from './modules/tenants/tenant-service';
import type { Clock } from './platform/clock';
import type { Keyring } from './platform/crypto/keyring';
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
  if (existing) return { tenant: existing, created: false };
  const now = clock.now();
  const { tenant } = await createOrganizationWithTenant(
    // Enterprise, so every feature (directory sync among them) keeps working after the 30-day trial.
    {
      name: 'Demo Company',
      slug: DEMO_TENANT_SLUG,
      tenantName: 'Demo Company — Berlin',
      clock,
      plan: 'enterprise',
    },
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
  return { tenant, created: true };
}

export interface DemoDirectoryDeps {
  database: DatabaseHandle;
  keyring: Keyring;
  clock: Clock;
  logger: FastifyBaseLogger;
}

/**
 * Connects the demo organization to the demo directory (issue 5) once the server listens, and queues its
 * first sync, so the Employees page and "Sync users" work out of the box. `origin` is how the server
 * reaches itself (https://localhost:<port>); when the port changed since, the connection follows it. A
 * connection an Administrator disconnected or replaced with their own directory is left alone.
 */
export async function ensureDemoDirectoryConnection(
  deps: DemoDirectoryDeps,
  options: { origin: string; clientSecret: string },
): Promise<void> {
  const repos = createRepos(deps.database);
  const tenant = await repos.system.transaction((r) => r.tenants.findBySlug(DEMO_TENANT_SLUG));
  if (!tenant) return;
  const base = `${options.origin}${DEMO_GRAPH_PATH}`;
  const settings = {
    directoryTenantId: DEMO_DIRECTORY_TENANT_ID,
    clientId: DEMO_DIRECTORY_CLIENT_ID,
    authorityBaseUrl: base,
    graphBaseUrl: base,
  };
  const now = deps.clock.now();
  const created = await repos.forTenant(String(tenant.id)).transaction(async (r) => {
    const organizationId = String(tenant.organization_id);
    const existing = await r.directoryConnections.forOrganization(organizationId);
    if (existing) {
      const current = JSON.parse(existing.settings) as Record<string, string>;
      const isDemo = existing.kind === 'entra' && current.directoryTenantId === DEMO_DIRECTORY_TENANT_ID;
      if (!isDemo || existing.status === 'disconnected' || current.graphBaseUrl === base) return false;
    }
    const { after } = await r.directoryConnections.save({ organizationId, kind: 'entra', settings }, now);
    await r.secrets.put(deps.keyring, credentialSecretName(String(after.id)), options.clientSecret, now);
    await r.audit.record({
      occurredAt: now,
      actor: { id: 'system', email: '', name: 'Demo setup' },
      requestId: null,
      action: existing ? 'directory.connection_replaced' : 'directory.connected',
      target: { type: 'directory_connection', id: String(after.id) },
      changes: [
        ...(existing ? [] : [{ field: 'kind', before: null, after: 'entra' }]),
        {
          field: 'settings.graphBaseUrl',
          before: existing ? (JSON.parse(existing.settings).graphBaseUrl ?? null) : null,
          after: base,
        },
      ],
    });
    await r.directoryConnections.enqueueSync(String(after.id), deps.clock);
    return true;
  });
  if (created)
    deps.logger.info({ tenant: tenant.slug }, 'connected the demo organization to the demo directory');
}
