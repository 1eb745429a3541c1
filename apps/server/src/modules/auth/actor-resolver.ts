import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../platform/db/connect';
import { isUuid } from '../../platform/db/ids';
import type { DB } from '../../platform/db/schema';
import { withSystem } from '../../platform/db/tenant-scope';
import type { Actor, ActorResolver } from '../../platform/http/actor';
import { tenantAccessOf } from './access';
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
    const tenantId = session.activeTenantId;
    // Not an id (so no tenant's): PostgreSQL would refuse to compare it with a uuid column.
    if (!isUuid(tenantId)) return null;
    const lookup = (db: Kysely<DB>) =>
      tenantAccessOf(db, handle.dialect, session.userId, tenantId, profile.employeeOrganizationIds);
    // One statement: SQLite needs no transaction around it; PostgreSQL needs one for the system scope.
    const active = await (handle.dialect === 'sqlite' ? lookup(handle.db) : withSystem(handle, lookup));
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
