import {
  createTenantRequestSchema,
  currentTenantSchema,
  ErrorCode,
  tenantSummarySchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { actorOf, requirePermission } from '../../platform/http/access';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { userRef } from '../auth/access';
import {
  effectivePlan,
  type Feature,
  featuresOf,
  type LimitedResource,
  limitOf,
  mayUse,
  plans,
} from './plans';
import { createTenant } from './tenant-service';

const LIMITED: readonly LimitedResource[] = ['categories'];
const ALL_FEATURES: readonly Feature[] = [...new Set(plans.flatMap((p) => featuresOf(p)))];

export function registerTenantRoutes(api: FastifyInstance, deps: { repos: Repos; clock: Clock }) {
  api.withTypeProvider<ZodTypeProvider>().get(
    '/tenant',
    {
      preHandler: requirePermission('tenant.read'),
      schema: {
        tags: ['tenants'],
        summary: 'The current tenant, its plan, trial and what the plan allows',
        response: { 200: currentTenantSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const tenant = await deps.repos.forTenant(actor.tenantId).transaction((r) => r.tenant.get());
      if (!tenant) throw notFound('Tenant');
      const now = deps.clock.now();
      const subscription = {
        plan: tenant.plan,
        trialEndsAt: tenant.trial_ends_at,
        cancelledAt: tenant.cancelled_at,
      };
      const effective = effectivePlan(subscription, now);
      return {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        plan: tenant.plan,
        effectivePlan: effective.plan,
        inTrial: effective.inTrial,
        trialEndsAt: tenant.trial_ends_at,
        trialDaysLeft: effective.trialDaysLeft,
        features: Object.fromEntries(ALL_FEATURES.map((f) => [f, mayUse(subscription, f, now)])),
        limits: Object.fromEntries(LIMITED.map((r) => [r, limitOf(subscription, r, now)])),
      };
    },
  );

  api.withTypeProvider<ZodTypeProvider>().post(
    '/tenants',
    {
      preHandler: requirePermission('tenants.create'),
      schema: {
        tags: ['tenants'],
        summary: 'Add a tenant to the organization (Administrators with a global role)',
        body: createTenantRequestSchema,
        response: { 200: tenantSummarySchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const tenant = await createTenant(
        {
          organizationId: actor.organizationId,
          slug: request.body.slug,
          name: request.body.name,
          clock: deps.clock,
        },
        deps.repos,
        async (created, r) => {
          const globalAdmin = await r.identity.isGlobalAdministrator(
            userRef(actor.userId),
            actor.organizationId,
          );
          if (!globalAdmin) {
            throw new AppError(ErrorCode.Forbidden, 'Only Administrators with a global role can add tenants');
          }
          await r.audit.record({
            tenantId: String(created.id),
            occurredAt: now,
            actor: { id: actor.userId, email: actor.email, name: actor.name },
            action: 'tenant.created',
            target: { type: 'tenant', id: String(created.id) },
            changes: [
              { field: 'slug', before: null, after: created.slug },
              { field: 'name', before: null, after: created.name },
            ],
            requestId: request.id,
          });
        },
      );
      return {
        id: String(tenant.id),
        slug: tenant.slug,
        name: tenant.name,
        plan: tenant.plan,
        trialEndsAt: tenant.trial_ends_at,
      };
    },
  );
}
