import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * Sign-in and access (issue 4): people known by issuer + subject (no password anywhere), started
 * sign-ins, which identity providers an organization accepts, and the authentication log (SEC-13).
 */
export const identity = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('subject', t.text, (c) => c.notNull())
      .addColumn('provider_kind', t.text, (c) => c.notNull())
      .addColumn('email', t.text)
      // The directory the person belongs to: Entra tenant id or Google Workspace domain (employee check).
      .addColumn('directory', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('last_sign_in_at', t.timestamp)
      .addColumn('disabled_at', t.timestamp)
      .execute();
    await db.schema
      .createIndex('users_identity_uq')
      .unique()
      .on('users')
      .columns(['issuer', 'subject'])
      .execute();

    await db.schema
      .createTable('sign_in_states')
      .addColumn('state_hash', t.text, (c) => c.primaryKey())
      .addColumn('pending', t.json)
      .addColumn('expires_at', t.integer, (c) => c.notNull())
      .addColumn('used_at', t.integer)
      .execute();
    await db.schema
      .createIndex('sign_in_states_expiry_idx')
      .on('sign_in_states')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('organization_sign_in')
      .addColumn('organization_id', t.id, (c) =>
        c.primaryKey().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('accepted', t.json, (c) => c.notNull())
      .addColumn('require_mfa', t.boolean, (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
      .execute();

    await db.schema.createIndex('memberships_subject_idx').on('memberships').column('subject_ref').execute();

    await db.schema
      .createTable('auth_events')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
      .addColumn('outcome', t.text, (c) => c.notNull())
      .addColumn('reason', t.text)
      .addColumn('provider', t.text)
      // No foreign key: the log outlives tenants until its own retention purge.
      .addColumn('tenant_id', t.id)
      .addColumn('subject_ref', t.text)
      .addColumn('ip', t.text)
      .addColumn('user_agent', t.text)
      .execute();
    await db.schema
      .createIndex('auth_events_time_idx')
      .on('auth_events')
      .columns(['occurred_at', 'id'])
      .execute();
    await db.schema
      .createIndex('auth_events_tenant_idx')
      .on('auth_events')
      .columns(['tenant_id', 'occurred_at'])
      .execute();
    // Only the platform console (system scope) reads it; a tenant context sees its own rows at most.
    await protectTenantTable(db, t.dialect, 'auth_events');
  },
});
