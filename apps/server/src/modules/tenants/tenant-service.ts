import { ErrorCode } from '@thestorage/contracts';
import type { Clock } from '../../platform/clock';
import { DAY_MS } from '../../platform/clock';
import { isUniqueViolation } from '../../platform/db/errors';
import type { OrganizationRow, Plan, TenantRow } from '../../platform/db/schema';
import { AppError } from '../../platform/http/errors';
import type { Repos, SystemRepos } from '../../repos';
import { TRIAL_DAYS } from './plans';
import { normaliseSlug } from './slug';

const NAME_MAX = 200;

function validName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || name.length > NAME_MAX) {
    throw new AppError(ErrorCode.ValidationFailed, `The name must be 1 to ${NAME_MAX} characters long`, {
      details: { field: 'name' },
    });
  }
  return name;
}

/**
 * A new customer: the organization and its first tenant in one transaction. The stored plan is the one
 * that applies after the trial ('free'); the trial (full feature set, read by plans.ts) runs to trial_ends_at.
 */
export async function createOrganizationWithTenant(
  input: { name: string; slug: string; tenantName?: string; clock: Clock; plan?: Plan },
  repos: Pick<Repos, 'system'>,
  /** More of the same unit of work (the founder's membership, audit events): all or nothing. */
  alsoDo?: (created: { organization: OrganizationRow; tenant: TenantRow }, r: SystemRepos) => Promise<void>,
): Promise<{ organization: OrganizationRow; tenant: TenantRow }> {
  const name = validName(input.name);
  const tenantName = input.tenantName === undefined ? name : validName(input.tenantName);
  const slug = normaliseSlug(input.slug);
  const now = input.clock.now();
  try {
    return await repos.system.transaction(async (r) => {
      const organization = await r.organizations.create({ name }, now);
      const tenant = await r.tenants.create(
        {
          organizationId: organization.id,
          slug,
          name: tenantName,
          plan: input.plan ?? 'free',
          trialEndsAt: new Date(now.getTime() + TRIAL_DAYS * DAY_MS),
        },
        now,
      );
      await alsoDo?.({ organization, tenant }, r);
      return { organization, tenant };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(ErrorCode.Conflict, 'This tenant address is already taken', {
        details: { field: 'slug' },
        cause: err,
      });
    }
    throw err;
  }
}

/** Another tenant of an existing organization (Settings → Tenants), with its own 30-day trial. */
export async function createTenant(
  input: { organizationId: string; slug: string; name: string; clock: Clock },
  repos: Pick<Repos, 'system'>,
  alsoDo?: (tenant: TenantRow, r: SystemRepos) => Promise<void>,
): Promise<TenantRow> {
  const name = validName(input.name);
  const slug = normaliseSlug(input.slug);
  const now = input.clock.now();
  try {
    return await repos.system.transaction(async (r) => {
      const tenant = await r.tenants.create(
        {
          organizationId: input.organizationId,
          slug,
          name,
          plan: 'free',
          trialEndsAt: new Date(now.getTime() + TRIAL_DAYS * DAY_MS),
        },
        now,
      );
      await alsoDo?.(tenant, r);
      return tenant;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(ErrorCode.Conflict, 'This tenant address is already taken', {
        details: { field: 'slug' },
        cause: err,
      });
    }
    throw err;
  }
}
