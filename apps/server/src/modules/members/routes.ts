import {
  ErrorCode,
  idParamsSchema,
  invitationSchema,
  inviteMemberRequestSchema,
  type Member,
  memberSchema,
  membersSchema,
  updateMemberRequestSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { isUniqueViolation } from '../../platform/db/errors';
import type { MembershipRow } from '../../platform/db/schema';
import { actorOf, requirePermission } from '../../platform/http/access';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { invitationRef } from '../auth/access';

const view = (m: MembershipRow): Member => ({
  id: String(m.id),
  email: m.email,
  role: m.role,
  isGlobal: m.is_global === 1,
  status: m.status,
  createdAt: m.created_at,
  version: m.version,
});

const auditActor = (actor: Actor) => ({ id: actor.userId, email: actor.email, name: actor.name });

/** Users & Roles (SPEC section 1): invite, change a role, remove access — Administrators only. */
export function registerMemberRoutes(
  api: FastifyInstance,
  deps: { repos: Repos; clock: Clock; publicOrigin: () => string },
) {
  const typed = api.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/members',
    {
      preHandler: requirePermission('members.read'),
      schema: {
        tags: ['members'],
        summary: 'People with access to the current tenant',
        response: { 200: membersSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await deps.repos.forTenant(actor.tenantId).transaction((r) => r.memberships.list());
      return { members: rows.map(view) };
    },
  );

  typed.post(
    '/members',
    {
      preHandler: requirePermission('members.write'),
      schema: {
        tags: ['members'],
        summary: 'Invite someone by e-mail with a role; Pending until they first sign in with that address',
        body: inviteMemberRequestSchema,
        response: { 200: invitationSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const email = request.body.email.trim().toLowerCase();
      try {
        const member = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          const row = await r.memberships.add(
            {
              subjectRef: invitationRef(email),
              email,
              role: request.body.role,
              isGlobal: request.body.isGlobal,
              status: 'pending',
            },
            now,
          );
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: 'membership.invited',
            target: { type: 'membership', id: String(row.id) },
            changes: [
              { field: 'email', before: null, after: email },
              { field: 'role', before: null, after: row.role },
              { field: 'isGlobal', before: null, after: row.is_global === 1 },
            ],
            requestId: request.id,
          });
          return row;
        });
        return { member: view(member), invitationUrl: `${deps.publicOrigin()}/sign-in`, emailSent: false };
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError(ErrorCode.Conflict, 'This address is already invited');
        throw err;
      }
    },
  );

  typed.patch(
    '/members/:id',
    {
      preHandler: requirePermission('members.write'),
      schema: {
        tags: ['members'],
        summary: 'Change a role or the global flag (refused when based on a stale version)',
        params: idParamsSchema,
        body: updateMemberRequestSchema,
        response: { 200: memberSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const updated = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const before = await r.memberships.getById(request.params.id);
        if (!before) throw notFound('Member');
        if (before.version !== request.body.version) {
          throw new AppError(ErrorCode.ModifiedBySomeoneElse, 'Modified by someone else', {
            details: { version: before.version },
          });
        }
        const after = await r.memberships.update(
          before.id,
          before.version,
          { role: request.body.role, isGlobal: request.body.isGlobal },
          now,
        );
        if (!after) throw new AppError(ErrorCode.ModifiedBySomeoneElse, 'Modified by someone else');
        if (
          before.role === 'administrator' &&
          after.role !== 'administrator' &&
          (await r.memberships.administratorCount()) === 0
        ) {
          throw new AppError(ErrorCode.Conflict, 'The tenant needs at least one Administrator');
        }
        await r.audit.record({
          occurredAt: now,
          actor: auditActor(actor),
          action: 'membership.updated',
          target: { type: 'membership', id: String(before.id) },
          changes: [
            { field: 'role', before: before.role, after: after.role },
            { field: 'isGlobal', before: before.is_global === 1, after: after.is_global === 1 },
          ].filter((c) => c.before !== c.after),
          requestId: request.id,
        });
        return after;
      });
      return view(updated);
    },
  );

  typed.delete(
    '/members/:id',
    {
      preHandler: requirePermission('members.write'),
      schema: {
        tags: ['members'],
        summary: 'Remove access; nothing else is touched',
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const before = await r.memberships.getById(request.params.id);
        if (!before) throw notFound('Member');
        await r.memberships.remove(before.id);
        if (before.role === 'administrator' && (await r.memberships.administratorCount()) === 0) {
          throw new AppError(ErrorCode.Conflict, 'The tenant needs at least one Administrator');
        }
        await r.audit.record({
          occurredAt: now,
          actor: auditActor(actor),
          action: 'membership.removed',
          target: { type: 'membership', id: String(before.id) },
          changes: [
            { field: 'email', before: before.email, after: null },
            { field: 'role', before: before.role, after: null },
          ],
          requestId: request.id,
        });
      });
      return reply.status(204).send();
    },
  );
}
