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

  /** Optimistic concurrency: only the version the caller read is changed; returns the new row or undefined. */
  async update(
    id: string,
    expectedVersion: number,
    patch: { role?: MembershipRole; isGlobal?: boolean; subjectRef?: string; status?: MembershipStatus },
    now: Date,
  ): Promise<MembershipRow | undefined> {
    if (!isUuid(id)) return undefined;
    const result = await trx
      .updateTable('memberships')
      .set({
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.isGlobal !== undefined ? { is_global: patch.isGlobal ? 1 : 0 } : {}),
        ...(patch.subjectRef ? { subject_ref: patch.subjectRef } : {}),
        ...(patch.status ? { status: patch.status } : {}),
        updated_at: now.toISOString(),
        version: expectedVersion + 1,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    return this.getById(id);
  },

  async remove(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await trx
      .deleteFrom('memberships')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },

  /** Registered administrators of the tenant, counting global ones of its organization too. */
  async administratorCount(): Promise<number> {
    const tenant = await trx
      .selectFrom('tenants')
      .select('organization_id')
      .where('id', '=', tenantId)
      .executeTakeFirst();
    if (!tenant) return 0;
    const row = await trx
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'administrator')
      .where('status', '=', 'registered')
      .where((eb) =>
        eb.or([
          eb('tenant_id', '=', tenantId),
          eb.and([eb('is_global', '=', 1), eb('organization_id', '=', tenant.organization_id)]),
        ]),
      )
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },
});

export type MembershipsRepo = ReturnType<typeof membershipsRepo>;
