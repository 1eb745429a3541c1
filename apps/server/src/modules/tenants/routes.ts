import { currentTenantSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock';
import { actorOf, requirePermission } from '../../platform/http/access';
import { notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import {
  effectivePlan,
  type Feature,
  featuresOf,
  type LimitedResource,
  limitOf,
  mayUse,
  plans,
} from './plans';

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
}
