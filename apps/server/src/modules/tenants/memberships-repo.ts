import type { Transaction } from 'kysely';
import { isUuid, newId } from '../../platform/db/ids';
import type { DB, MembershipRole, MembershipRow, MembershipStatus } from '../../platform/db/schema';
import { notFound } from '../../platform/http/errors';

export interface NewMembership {
  subjectRef: string;
  email?: string | null;
  role: MembershipRole;
  isGlobal?: boolean;
  status: MembershipStatus;
}

/** Memberships of one tenant; every query filters tenant_id in SQL (and RLS does again on PostgreSQL). */
export const membershipsRepo = (trx: Transaction<DB>, tenantId: string) => ({
  async list(): Promise<MembershipRow[]> {
    return trx
      .selectFrom('memberships')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  async getById(id: string): Promise<MembershipRow | undefined> {
    if (!isUuid(id)) return undefined;
    return trx
      .selectFrom('memberships')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** The organization comes from the tenant row itself, so a membership can never name another one. */
  async add(input: NewMembership, now: Date): Promise<MembershipRow> {
    const tenant = await trx
      .selectFrom('tenants')
      .select('organization_id')
      .where('id', '=', tenantId)
      .executeTakeFirst();
    if (!tenant) throw notFound('Tenant');
    const at = now.toISOString();
    const row: MembershipRow = {
      id: newId(),
      tenant_id: tenantId,
      organization_id: tenant.organization_id,
      subject_ref: input.subjectRef,
      email: input.email?.trim().toLowerCase() || null,
      role: input.role,
      is_global: input.isGlobal ? 1 : 0,
      status: input.status,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await trx.insertInto('memberships').values(row).execute();
    return row;
  },
});

export type MembershipsRepo = ReturnType<typeof membershipsRepo>;
