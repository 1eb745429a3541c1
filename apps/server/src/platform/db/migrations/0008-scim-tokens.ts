import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../dialect-types';
import { protectTenantTable } from '../rls';

/**
 * SCIM provisioning tokens (issue 5, DIR-4): at most one per tenant. Only the SHA-256 of the token is
 * kept; the token itself is shown once. The people SCIM pushes live in the directory cache (SEC-5).
 */
export const scimTokens = (t: ColumnTypes) => ({
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('scim_tokens')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('tenant_id', t.id, (c) => c.notNull().unique().references('tenants.id').onDelete('cascade'))
      .addColumn('organization_id', t.id, (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('token_hash', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('last_used_at', t.timestamp)
      .execute();
    await protectTenantTable(db, t.dialect, 'scim_tokens');
  },
});
