import { ErrorCode, organizationSignInSchema, updateOrganizationSignInSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { actorOf, requirePermission } from '../../platform/http/access';
import { AppError } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { userRef } from './access';

/** The organization's sign-in rules: which providers it accepts, and whether it requires MFA. */
export function registerOrganizationSignInRoutes(api: FastifyInstance, deps: { repos: Repos; clock: Clock }) {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/organization/sign-in',
    {
      preHandler: requirePermission('organization.sign-in.read'),
      schema: {
        tags: ['auth'],
        summary: "The organization's sign-in rules",
        response: { 200: organizationSignInSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return deps.repos.system.transaction((r) => r.identity.acceptedBy(actor.organizationId));
    },
  );
  typed.put(
    '/organization/sign-in',
    {
      preHandler: requirePermission('organization.sign-in.write'),
      schema: {
        tags: ['auth'],
        summary:
          'Require multi-factor authentication for everyone of the organization (global Administrators)',
        body: updateOrganizationSignInSchema,
        response: { 200: organizationSignInSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      return deps.repos.system.transaction(async (r) => {
        if (!(await r.identity.isGlobalAdministrator(userRef(actor.userId), actor.organizationId))) {
          throw new AppError(
            ErrorCode.Forbidden,
            'Only Administrators with a global role can change sign-in rules',
          );
        }
        const before = await r.identity.acceptedBy(actor.organizationId);
        await r.identity.setSignInRules(actor.organizationId, before.accepted, request.body.requireMfa, now);
        await r.audit.record({
          tenantId: actor.tenantId,
          occurredAt: now,
          actor: { id: actor.userId, email: actor.email, name: actor.name },
          action: 'organization.sign-in.updated',
          target: { type: 'organization', id: actor.organizationId },
          changes: [{ field: 'requireMfa', before: before.requireMfa, after: request.body.requireMfa }],
          requestId: request.id,
        });
        return { accepted: before.accepted, requireMfa: request.body.requireMfa };
      });
    },
  );
}
