import { ErrorCode, scimTokenCreatedSchema, scimTokenStatusSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { actorOf, requirePermission } from '../../platform/http/access';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { assertMayUse } from '../tenants/plans';
import { generateScimToken, hashScimToken } from './scim-token';

export interface ScimTokenRouteDeps {
  repos: Repos;
  clock: Clock;
  /** The https origin people and provisioning services reach the app at. */
  publicOrigin: () => string;
}

/** In the audit trail the token is a marker, never its value. */
const TOKEN_MARKER = '[token replaced]';

export const scimBaseUrl = (origin: string, slug: string) =>
  `${origin.replace(/\/+$/, '')}/api/${encodeURIComponent(slug)}/scim/v2`;

/** Settings → User provisioning: generate, inspect and revoke the SCIM bearer token (DIR-4). */
export function registerScimTokenRoutes(api: FastifyInstance, deps: ScimTokenRouteDeps) {
  const typed = api.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/scim/token',
    {
      preHandler: requirePermission('scim.token.manage'),
      schema: {
        tags: ['scim'],
        summary: 'Whether a SCIM token exists, when it was made and last used (never the token)',
        response: { 200: scimTokenStatusSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const row = await deps.repos.forTenant(actor.tenantId).transaction((r) => r.scimTokens.get());
      return {
        exists: row !== undefined,
        createdAt: row?.created_at ?? null,
        lastUsedAt: row?.last_used_at ?? null,
      };
    },
  );

  typed.post(
    '/scim/token',
    {
      preHandler: requirePermission('scim.token.manage'),
      schema: {
        tags: ['scim'],
        summary: 'Generate the SCIM token (shown once); the previous token stops working',
        response: { 200: scimTokenCreatedSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const token = generateScimToken();
      const { slug, createdAt } = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const tenant = await r.tenant.get();
        if (!tenant) throw notFound('Tenant');
        assertMayUse(
          { plan: tenant.plan, trialEndsAt: tenant.trial_ends_at, cancelledAt: tenant.cancelled_at },
          'scim',
          now,
        );
        // One source of employees: a full directory sync would otherwise replace the people SCIM pushed.
        const connection = await r.directoryConnections.forOrganization(actor.organizationId);
        if (connection && connection.status !== 'disconnected') {
          throw new AppError(
            ErrorCode.Conflict,
            'Disconnect the directory sync before turning on SCIM provisioning',
          );
        }
        const { before, after } = await r.scimTokens.replace(
          { organizationId: actor.organizationId, tokenHash: hashScimToken(token) },
          now,
        );
        await r.audit.record({
          occurredAt: now,
          actor: { id: actor.userId, email: actor.email, name: actor.name },
          action: before ? 'scim.token_regenerated' : 'scim.token_created',
          target: { type: 'scim_token', id: after.id },
          changes: [{ field: 'token', before: before ? TOKEN_MARKER : null, after: TOKEN_MARKER }],
          requestId: request.id,
        });
        return { slug: tenant.slug, createdAt: after.created_at };
      });
      return { token, scimBaseUrl: scimBaseUrl(deps.publicOrigin(), slug), createdAt };
    },
  );

  typed.delete(
    '/scim/token',
    {
      preHandler: requirePermission('scim.token.manage'),
      schema: {
        tags: ['scim'],
        summary: 'Revoke the SCIM token: provisioning stops, pushed people expire after 14 days',
        response: { 200: scimTokenStatusSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const removed = await r.scimTokens.remove();
        if (!removed) throw notFound('SCIM token');
        await r.audit.record({
          occurredAt: now,
          actor: { id: actor.userId, email: actor.email, name: actor.name },
          action: 'scim.token_revoked',
          target: { type: 'scim_token', id: removed.id },
          changes: [{ field: 'token', before: TOKEN_MARKER, after: null }],
          requestId: request.id,
        });
      });
      return { exists: false, createdAt: null, lastUsedAt: null };
    },
  );
}
