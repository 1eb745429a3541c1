import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors';
import { mayUse } from '../tenants/plans';
import { registerScimGroupRoutes } from './groups-routes';
import { resourceTypes, schemas, serviceProviderConfig } from './scim-discovery';
import { ScimError, scimNotFound, scimUnauthorized } from './scim-errors';
import { listResponse, type ScimCaller, type ScimRouteDeps, scimCallerOf, sendScim } from './scim-http';
import { bearerTokenOf, scimTokenMatches } from './scim-token';
import { scimBaseUrl } from './token-routes';
import { registerScimUserRoutes } from './users-routes';

/** last_used_at is written at most this often, not on every request. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

async function authenticate(request: FastifyRequest, deps: ScimRouteDeps): Promise<ScimCaller> {
  const presented = bearerTokenOf(request.headers.authorization);
  const slug = (request.params as { tenantSlug?: string }).tenantSlug ?? '';
  if (!presented || slug.length === 0 || slug.length > 100) throw scimUnauthorized();
  const tenant = await deps.repos.system.transaction((r) => r.tenants.findBySlug(slug));
  if (!tenant) throw scimUnauthorized();
  const tenantId = String(tenant.id);
  const now = deps.clock.now();
  const row = await deps.repos.forTenant(tenantId).transaction(async (r) => {
    const stored = await r.scimTokens.get();
    if (!stored || !scimTokenMatches(presented, stored.token_hash)) return null;
    const lastUsed = stored.last_used_at ? Date.parse(stored.last_used_at) : 0;
    if (now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) await r.scimTokens.markUsed(stored.id, now);
    return stored;
  });
  if (!row) throw scimUnauthorized();
  const subscription = {
    plan: tenant.plan,
    trialEndsAt: tenant.trial_ends_at,
    cancelledAt: tenant.cancelled_at,
  };
  if (!mayUse(subscription, 'scim', now))
    throw new ScimError(403, 'SCIM provisioning is not included in the current plan');
  const organizationId = String(row.organization_id);
  // Any authenticated request keeps the organization's SCIM people alive (at most once an hour).
  await deps.store.keepAlive(organizationId);
  return { tenantId, organizationId, base: scimBaseUrl(deps.publicOrigin(), tenant.slug) };
}

/** SCIM errors as RFC 7644 shapes them; everything else becomes one without internal detail. */
function scimErrorOf(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof AppError) return new ScimError(error.status, error.message);
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new ScimError(status, status === 413 ? 'The request is too large' : 'The request is not valid');
  return new ScimError(500, 'Internal error');
}

/**
 * The SCIM 2.0 endpoint (DIR-4) at `/api/<tenant>/scim/v2`, authenticated only by the tenant's bearer
 * token. Register on the root app (not under /api/v1); the session-less bearer requests pass CSRF.
 */
export function registerScimRoutes(app: FastifyInstance, deps: ScimRouteDeps) {
  app.register(
    async (scim) => {
      scim.decorateRequest('scimCaller', null);
      scim.addContentTypeParser(
        ['application/scim+json', 'application/json'],
        { parseAs: 'string' },
        (_request, body, done) => {
          try {
            done(null, body === '' ? undefined : JSON.parse(body as string));
          } catch {
            done(new ScimError(400, 'The body is not valid JSON', 'invalidSyntax'), undefined);
          }
        },
      );
      scim.setErrorHandler(async (error, request, reply) => {
        const scimError = scimErrorOf(error);
        if (scimError.status >= 500) request.log.error({ err: error }, 'SCIM request failed');
        return sendScim(reply, scimError.status, scimError.body());
      });
      scim.setNotFoundHandler(async (_request, reply) =>
        sendScim(reply, 404, scimNotFound('SCIM resource').body()),
      );
      scim.addHook('preHandler', async (request) => {
        request.scimCaller = await authenticate(request, deps);
      });

      scim.get('/ServiceProviderConfig', async (request, reply) =>
        sendScim(reply, 200, serviceProviderConfig(scimCallerOf(request).base)),
      );
      scim.get('/Schemas', async (request, reply) => {
        const all = schemas(scimCallerOf(request).base);
        return sendScim(reply, 200, listResponse(all, all.length, 1));
      });
      scim.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
        const found = schemas(scimCallerOf(request).base).find((s) => s.id === request.params.id);
        if (!found) throw scimNotFound('Schema');
        return sendScim(reply, 200, found);
      });
      scim.get('/ResourceTypes', async (request, reply) => {
        const all = resourceTypes(scimCallerOf(request).base);
        return sendScim(reply, 200, listResponse(all, all.length, 1));
      });
      scim.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) => {
        const found = resourceTypes(scimCallerOf(request).base).find((s) => s.id === request.params.id);
        if (!found) throw scimNotFound('Resource type');
        return sendScim(reply, 200, found);
      });
      registerScimUserRoutes(scim, deps);
      registerScimGroupRoutes(scim, deps);
    },
    { prefix: '/api/:tenantSlug/scim/v2' },
  );
}
