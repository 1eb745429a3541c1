import type { DatabaseHandle } from '../../platform/db/connect';
import { withSystem } from '../../platform/db/tenant-scope';
import type { Actor, ActorResolver } from '../../platform/http/actor';
import { accessibleTenants } from './access';
import { profileOf } from './session-profile';

/**
 * The actor of a request, from its server-side session only: the active tenant and the role there
 * are looked up on every request, so a removed membership or a changed role applies at once.
 */
export function createAccessResolver(handle: DatabaseHandle): ActorResolver {
  return async (request) => {
    const session = request.session;
    if (!session?.activeTenantId) return null;
    const profile = profileOf(session);
    if (!profile) return null;
    const tenants = await withSystem(handle, (db) =>
      accessibleTenants(db, session.userId, profile.employeeOrganizationIds),
    );
    const active = tenants.find((t) => t.id === session.activeTenantId);
    if (!active) return null;
    const actor: Actor = {
      userId: session.userId,
      email: profile.email ?? '',
      name: profile.name ?? profile.email ?? '',
      tenantId: active.id,
      organizationId: active.organizationId,
      role: active.role,
      isPlatformAdmin: profile.isPlatformAdmin,
    };
    return actor;
  };
}
