import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock';
import type { LinkKeys } from '../../platform/crypto/link-keys';
import type { Repos } from '../../repos';
import { SCIM_CONTENT_TYPE, scimUnauthorized } from './scim-errors';
import type { ScimStore } from './scim-store';
import { LIST_SCHEMA } from './scim-user';

export interface ScimRouteDeps {
  repos: Repos;
  clock: Clock;
  linkKeys: LinkKeys;
  store: ScimStore;
  publicOrigin: () => string;
}

/** Who a SCIM request acts for, once its bearer token matched. */
export interface ScimCaller {
  tenantId: string;
  organizationId: string;
  /** The endpoint's absolute base URL, for `meta.location`. */
  base: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    scimCaller: ScimCaller | null;
  }
}

export function scimCallerOf(request: FastifyRequest): ScimCaller {
  if (!request.scimCaller) throw scimUnauthorized();
  return request.scimCaller;
}

export function sendScim(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).header('content-type', SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

export const listResponse = (resources: unknown[], total: number, startIndex: number) => ({
  schemas: [LIST_SCHEMA],
  totalResults: total,
  itemsPerPage: resources.length,
  startIndex,
  Resources: resources,
});
