import { ErrorCode, type Plan } from '@thestorage/contracts';
import { DAY_MS } from '../../platform/clock';
import { AppError } from '../../platform/http/errors';

export type { Plan };
export type Feature =
  | 'email_notifications'
  | 'directory_sync'
  | 'scim'
  | 'invoice_management'
  | 'audits'
  | 'software'
  | 'campaigns'
  | 'data_export';
export type LimitedResource = 'categories';

/** The subscription fields of a tenant that the plan rules read. */
export interface TenantSubscription {
  plan: Plan;
  trialEndsAt: string | Date;
  cancelledAt?: string | Date | null;
}

export interface EffectivePlan {
  plan: Plan;
  inTrial: boolean;
  trialDaysLeft: number;
}

export const TRIAL_DAYS = 30;
export const plans: readonly Plan[] = ['free', 'professional', 'enterprise'];

/*
 * Plan decisions (SPEC section 1 fixes the first three and the category limits; the rest are ours):
 * - email_notifications: Professional+ (SPEC).
 * - directory_sync, scim: Enterprise (SPEC).
 * - data_export: every plan — exporting one's own data is a privacy right (SEC-11), never a paid extra.
 * - audits: every plan — checking that the inventory matches reality is the core of the product.
 * - invoice_management, software: Professional+ — bookkeeping and licence tracking for growing teams.
 * - campaigns: Enterprise — internal charity sales are a program of larger organizations.
 * - categories per tenant: Free 4, Professional 25, Enterprise unlimited (SPEC).
 * - trial: 30 days of the Enterprise feature set and limits from tenant creation; it ends at trialEndsAt.
 * - a cancelled subscription (cancelledAt <= now) ends any trial and falls back to Free, so data export
 *   stays available while the retention clocks of section 2 run.
 */
const planTable = {
  free: {
    label: 'Free',
    features: ['audits', 'data_export'],
    limits: { categories: 4 },
  },
  professional: {
    label: 'Professional',
    features: ['audits', 'data_export', 'email_notifications', 'invoice_management', 'software'],
    limits: { categories: 25 },
  },
  enterprise: {
    label: 'Enterprise',
    features: [
      'audits',
      'data_export',
      'email_notifications',
      'invoice_management',
      'software',
      'campaigns',
      'directory_sync',
      'scim',
    ],
    limits: { categories: null },
  },
} as const satisfies Record<
  Plan,
  { label: string; features: readonly Feature[]; limits: Record<LimitedResource, number | null> }
>;

const featureLabels: Record<Feature, string> = {
  email_notifications: 'E-mail notifications',
  directory_sync: 'Directory sync',
  scim: 'SCIM provisioning',
  invoice_management: 'Invoice management',
  audits: 'Audits',
  software: 'Software',
  campaigns: 'Campaigns',
  data_export: 'Data export',
};

const resourceLabels: Record<LimitedResource, string> = { categories: 'categories' };

export function planLabel(plan: Plan): string {
  return planTable[plan].label;
}

export function featuresOf(plan: Plan): readonly Feature[] {
  return planTable[plan].features;
}

/** The plan whose rules apply right now: Enterprise during the trial, the subscribed plan after. */
export function effectivePlan(tenant: TenantSubscription, now: Date): EffectivePlan {
  const cancelled = tenant.cancelledAt != null && new Date(tenant.cancelledAt).getTime() <= now.getTime();
  if (cancelled) return { plan: 'free', inTrial: false, trialDaysLeft: 0 };
  const trialMsLeft = new Date(tenant.trialEndsAt).getTime() - now.getTime();
  if (trialMsLeft > 0) {
    return { plan: 'enterprise', inTrial: true, trialDaysLeft: Math.ceil(trialMsLeft / DAY_MS) };
  }
  return { plan: tenant.plan, inTrial: false, trialDaysLeft: 0 };
}

export function mayUse(tenant: TenantSubscription, feature: Feature, now: Date): boolean {
  return (featuresOf(effectivePlan(tenant, now).plan) as readonly string[]).includes(feature);
}

/** The most of a resource a tenant may hold right now; null means unlimited. */
export function limitOf(tenant: TenantSubscription, resource: LimitedResource, now: Date): number | null {
  return planTable[effectivePlan(tenant, now).plan].limits[resource];
}

/** The cheapest plan that includes a feature, named in the refusal message. */
export function cheapestPlanWith(feature: Feature): Plan {
  const plan = plans.find((p) => (featuresOf(p) as readonly string[]).includes(feature));
  if (!plan) throw new Error(`No plan includes ${feature}`);
  return plan;
}

export function assertMayUse(tenant: TenantSubscription, feature: Feature, now: Date): void {
  if (mayUse(tenant, feature, now)) return;
  const needed = cheapestPlanWith(feature);
  throw new AppError(
    ErrorCode.FeatureNotInPlan,
    `${featureLabels[feature]} needs the ${planLabel(needed)} plan`,
    {
      details: { feature, plan: needed },
    },
  );
}

/** Refuses adding one more when the tenant already holds `currentCount` at or above its limit. */
export function assertWithinLimit(
  tenant: TenantSubscription,
  resource: LimitedResource,
  currentCount: number,
  now: Date,
): void {
  const limit = limitOf(tenant, resource, now);
  if (limit === null || currentCount < limit) return;
  const plan = planLabel(effectivePlan(tenant, now).plan);
  throw new AppError(
    ErrorCode.LimitReached,
    `Limit reached: the ${plan} plan allows ${limit} ${resourceLabels[resource]}`,
    { details: { resource, limit } },
  );
}
