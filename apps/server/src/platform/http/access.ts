import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Actor, ActorResolver } from './actor';
import { forbidden, unauthenticated } from './errors';
import { type Action, roleMay } from './permissions';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Resolves the caller once per request, from the session only. */
export function registerActorResolution(app: FastifyInstance, resolveActor: ActorResolver) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    request.actor = await resolveActor(request);
  });
}

/** The permission every tenant route declares; the matrix in permissions.ts decides. */
export function requirePermission(action: Action): preHandlerAsyncHookHandler {
  return async (request) => {
    const actor = request.actor;
    if (!actor) throw unauthenticated();
    if (!roleMay(actor.role, action)) throw forbidden();
  };
}

/** The actor of a route guarded by requirePermission. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}
