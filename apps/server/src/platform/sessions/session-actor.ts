import type { Actor, ActorResolver } from '../http/actor';
import { sessionResolved } from './session-plugin';

/**
 * The ActorResolver for buildApp: the actor comes from the server-side session only (never a header),
 * looked up fresh on every request so a removed membership or role change applies at once.
 */
export function createSessionActorResolver(deps: {
  lookupActor(userId: string, activeTenantId: string | null): Promise<Actor | null>;
}): ActorResolver {
  return async (request) => {
    // Hooks run in registration order: resolving before the session is loaded would see nobody.
    if (!sessionResolved(request)) {
      throw new Error('registerSessions() must be registered before registerActorResolution()');
    }
    const session = request.session;
    if (!session) return null;
    return deps.lookupActor(session.userId, session.activeTenantId);
  };
}
