import type { FastifyRequest } from 'fastify';
import type { Role } from './permissions';

/** Who is calling, and in which tenant. Built from the server-side session only, never from the request. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  tenantId: string;
  organizationId: string;
  role: Role;
  isPlatformAdmin: boolean;
}

/**
 * Turns a request into its actor (or null when nobody is signed in). The session-backed resolver
 * arrives with sign-in; until then the server answers 401 to every tenant route and tests pass their own.
 */
export type ActorResolver = (request: FastifyRequest) => Promise<Actor | null>;

export const nobodySignedIn: ActorResolver = async () => null;
