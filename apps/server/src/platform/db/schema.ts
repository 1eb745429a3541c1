import type { Plan } from '@thestorage/contracts';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The SQL schema as stored (snake_case), shared by SQLite and PostgreSQL.
 * ids: UUIDv7 text; timestamps: ISO-8601 UTC text; booleans: integer 0/1; JSON: text.
 */

export type { Plan };
export type MembershipRole = 'administrator' | 'operator' | 'viewer';
export type MembershipStatus = 'pending' | 'registered';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A customer company; platform-level (no tenant_id). */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A logical split of an organization's inventory; platform-level (it *is* the tenant). */
export interface TenantsTable {
  id: string;
  organization_id: string;
  slug: string;
  name: string;
  plan: Plan;
  trial_ends_at: string;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A person's role in one tenant (or every tenant of the organization when is_global = 1). */
export interface MembershipsTable {
  id: string;
  tenant_id: string;
  organization_id: string;
  /** Opaque reference to a person; never a name (SEC-5/6). */
  subject_ref: string;
  /** Invitee address, kept so a pending invitation can be matched at first sign-in. */
  email: string | null;
  role: MembershipRole;
  is_global: 0 | 1;
  status: MembershipStatus;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** Leased background work; tenant_id null = a platform job. */
export interface JobsTable {
  id: string;
  tenant_id: string | null;
  kind: string;
  /** JSON text. */
  payload: string;
  status: JobStatus;
  progress_done: Generated<number>;
  progress_total: number | null;
  progress_message: string | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  /** JSON text. */
  result: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface DB {
  organizations: OrganizationsTable;
  tenants: TenantsTable;
  memberships: MembershipsTable;
  jobs: JobsTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewOrganizationRow = Insertable<OrganizationsTable>;
export type TenantRow = Selectable<TenantsTable>;
export type NewTenantRow = Insertable<TenantsTable>;
export type TenantRowUpdate = Updateable<TenantsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type NewMembershipRow = Insertable<MembershipsTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type JobRowUpdate = Updateable<JobsTable>;
