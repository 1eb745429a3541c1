import { ErrorCode } from '@thestorage/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, ManualClock } from '../../platform/clock';
import { AppError } from '../../platform/http/errors';
import {
  assertMayUse,
  assertWithinLimit,
  effectivePlan,
  type Feature,
  limitOf,
  mayUse,
  type Plan,
  type TenantSubscription,
  TRIAL_DAYS,
} from './plans';

const now = new Date('2026-06-01T12:00:00.000Z');
const afterTrial = (plan: Plan): TenantSubscription => ({ plan, trialEndsAt: '2026-05-01T00:00:00.000Z' });

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('plan features', () => {
  const expected: Record<Plan, Record<Feature, boolean>> = {
    free: {
      email_notifications: false,
      directory_sync: false,
      scim: false,
      invoice_management: false,
      audits: true,
      software: false,
      campaigns: false,
      data_export: true,
    },
    professional: {
      email_notifications: true,
      directory_sync: false,
      scim: false,
      invoice_management: true,
      audits: true,
      software: true,
      campaigns: false,
      data_export: true,
    },
    enterprise: {
      email_notifications: true,
      directory_sync: true,
      scim: true,
      invoice_management: true,
      audits: true,
      software: true,
      campaigns: true,
      data_export: true,
    },
  };

  for (const plan of Object.keys(expected) as Plan[]) {
    it(`PLAN-1: the ${plan} plan offers exactly its features`, () => {
      for (const [feature, allowed] of Object.entries(expected[plan]) as [Feature, boolean][]) {
        expect({ feature, allowed: mayUse(afterTrial(plan), feature, now) }).toEqual({ feature, allowed });
      }
    });
  }

  it('PLAN-1: e-mail notifications need Professional, directory sync and SCIM need Enterprise', () => {
    const free = thrown(() => assertMayUse(afterTrial('free'), 'email_notifications', now));
    expect(free.code).toBe(ErrorCode.FeatureNotInPlan);
    expect(free.status).toBe(403);
    expect(free.message).toBe('E-mail notifications needs the Professional plan');
    expect(thrown(() => assertMayUse(afterTrial('professional'), 'directory_sync', now)).message).toBe(
      'Directory sync needs the Enterprise plan',
    );
    expect(thrown(() => assertMayUse(afterTrial('professional'), 'scim', now)).message).toBe(
      'SCIM provisioning needs the Enterprise plan',
    );
    expect(() => assertMayUse(afterTrial('professional'), 'email_notifications', now)).not.toThrow();
    expect(() => assertMayUse(afterTrial('enterprise'), 'scim', now)).not.toThrow();
  });

  it('PLAN-1: every plan, even a cancelled one, may export its data', () => {
    for (const plan of ['free', 'professional', 'enterprise'] as const) {
      expect(mayUse(afterTrial(plan), 'data_export', now)).toBe(true);
      expect(
        mayUse({ ...afterTrial(plan), cancelledAt: '2026-05-20T00:00:00.000Z' }, 'data_export', now),
      ).toBe(true);
    }
  });
});

describe('plan limits', () => {
  it('PLAN-2: categories are limited to 4 on Free, 25 on Professional, unlimited on Enterprise', () => {
    expect(limitOf(afterTrial('free'), 'categories', now)).toBe(4);
    expect(limitOf(afterTrial('professional'), 'categories', now)).toBe(25);
    expect(limitOf(afterTrial('enterprise'), 'categories', now)).toBeNull();
  });

  it('PLAN-2: a fifth category on Free is refused with a clear message', () => {
    expect(() => assertWithinLimit(afterTrial('free'), 'categories', 3, now)).not.toThrow();
    const error = thrown(() => assertWithinLimit(afterTrial('free'), 'categories', 4, now));
    expect(error.code).toBe(ErrorCode.LimitReached);
    expect(error.message).toBe('Limit reached: the Free plan allows 4 categories');
    expect(error.details).toEqual({ resource: 'categories', limit: 4 });
    expect(thrown(() => assertWithinLimit(afterTrial('professional'), 'categories', 25, now)).message).toBe(
      'Limit reached: the Professional plan allows 25 categories',
    );
    expect(() => assertWithinLimit(afterTrial('enterprise'), 'categories', 1_000_000, now)).not.toThrow();
  });

  it('PLAN-2: below the limit never throws, at or above it always throws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Plan>('free', 'professional', 'enterprise'),
        fc.nat({ max: 10_000 }),
        (plan, count) => {
          const tenant = afterTrial(plan);
          const limit = limitOf(tenant, 'categories', now);
          let refused: AppError | undefined;
          try {
            assertWithinLimit(tenant, 'categories', count, now);
          } catch (error) {
            refused = error as AppError;
          }
          if (limit === null || count < limit) {
            expect(refused).toBeUndefined();
          } else {
            expect(refused?.code).toBe(ErrorCode.LimitReached);
            expect(refused?.details).toEqual({ resource: 'categories', limit });
          }
        },
      ),
    );
  });
});

describe('trial', () => {
  const createdAt = new Date('2026-01-01T00:00:00.000Z');
  const trialEndsAt = new Date(createdAt.getTime() + TRIAL_DAYS * DAY_MS);
  const newFreeTenant: TenantSubscription = { plan: 'free', trialEndsAt: trialEndsAt.toISOString() };

  it('PLAN-3: a new tenant has the full feature set and no limits for 30 days', () => {
    const clock = new ManualClock(createdAt);
    expect(effectivePlan(newFreeTenant, clock.now())).toEqual({
      plan: 'enterprise',
      inTrial: true,
      trialDaysLeft: 30,
    });
    expect(mayUse(newFreeTenant, 'scim', clock.now())).toBe(true);
    expect(limitOf(newFreeTenant, 'categories', clock.now())).toBeNull();
    expect(() => assertWithinLimit(newFreeTenant, 'categories', 100, clock.now())).not.toThrow();
  });

  it('PLAN-3: the trial ends at the 30-day boundary, to the millisecond', () => {
    const clock = new ManualClock(createdAt);
    clock.advance(TRIAL_DAYS * DAY_MS - 1);
    expect(effectivePlan(newFreeTenant, clock.now())).toEqual({
      plan: 'enterprise',
      inTrial: true,
      trialDaysLeft: 1,
    });
    expect(mayUse(newFreeTenant, 'directory_sync', clock.now())).toBe(true);

    clock.advance(1);
    expect(effectivePlan(newFreeTenant, clock.now())).toEqual({
      plan: 'free',
      inTrial: false,
      trialDaysLeft: 0,
    });
    expect(mayUse(newFreeTenant, 'directory_sync', clock.now())).toBe(false);
    expect(thrown(() => assertWithinLimit(newFreeTenant, 'categories', 4, clock.now())).message).toBe(
      'Limit reached: the Free plan allows 4 categories',
    );
  });

  it('PLAN-3: days left count down as whole days, rounding up', () => {
    const clock = new ManualClock(createdAt);
    clock.advance(DAY_MS / 2);
    expect(effectivePlan(newFreeTenant, clock.now()).trialDaysLeft).toBe(30);
    clock.advance(DAY_MS / 2);
    expect(effectivePlan(newFreeTenant, clock.now()).trialDaysLeft).toBe(29);
    clock.advance(28 * DAY_MS + 1);
    expect(effectivePlan(newFreeTenant, clock.now()).trialDaysLeft).toBe(1);
  });

  it('PLAN-3: a paid plan applies once the trial is over; cancellation ends the trial and falls back to Free', () => {
    const professional: TenantSubscription = { plan: 'professional', trialEndsAt };
    const after = new Date(trialEndsAt.getTime() + DAY_MS);
    expect(effectivePlan(professional, after)).toEqual({
      plan: 'professional',
      inTrial: false,
      trialDaysLeft: 0,
    });
    const cancelled: TenantSubscription = {
      plan: 'enterprise',
      trialEndsAt,
      cancelledAt: createdAt.toISOString(),
    };
    expect(effectivePlan(cancelled, new Date(createdAt.getTime() + DAY_MS))).toEqual({
      plan: 'free',
      inTrial: false,
      trialDaysLeft: 0,
    });
    expect(mayUse(cancelled, 'email_notifications', after)).toBe(false);
  });
});
