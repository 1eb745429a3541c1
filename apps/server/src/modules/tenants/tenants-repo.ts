import type { Transaction } from 'kysely';
import { isUuid, newId } from '../../platform/db/ids';
import type { DB, Plan, TenantRow } from '../../platform/db/schema';

export interface NewTenant {
  organizationId: string;
  slug: string;
  name: string;
  plan: Plan;
  trialEndsAt: Date;
}

/** Tenants are platform-level rows (no tenant_id, no RLS): only the system scope builds this repo. */
export const tenantsRepo = (trx: Transaction<DB>) => ({
  /** Throws a unique violation when the slug is taken (the unique index decides, race-free). */
  async create(input: NewTenant, now: Date): Promise<TenantRow> {
    const at = now.toISOString();
    const row: TenantRow = {
      id: newId(),
      organization_id: input.organizationId,
      slug: input.slug,
      name: input.name,
      plan: input.plan,
      trial_ends_at: input.trialEndsAt.toISOString(),
      cancelled_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await trx.insertInto('tenants').values(row).execute();
    return row;
  },

  async findBySlug(slug: string): Promise<TenantRow | undefined> {
    return trx.selectFrom('tenants').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  },

  async getById(id: string): Promise<TenantRow | undefined> {
    // A malformed id cannot name a tenant (and would be a type error on PostgreSQL's uuid column).
    if (!isUuid(id)) return undefined;
    return trx.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  },
});

/** The current tenant's own row, for code running inside that tenant's scope. */
export const currentTenantRepo = (trx: Transaction<DB>, tenantId: string) => ({
  async get(): Promise<TenantRow | undefined> {
    return trx.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  },
});

export type TenantsRepo = ReturnType<typeof tenantsRepo>;
export type CurrentTenantRepo = ReturnType<typeof currentTenantRepo>;
