import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnprotectedTenantTables, protectTenantTable } from '../../apps/server/src/platform/db/rls';
import { databaseTargets, type TestDatabase } from '../support/databases';

const described = (tables: Awaited<ReturnType<typeof findUnprotectedTenantTables>>) =>
  tables.map((u) => `${u.table}: ${u.problems.join('; ')}`);

describe.each(databaseTargets().filter((x) => x.name === 'postgres'))('$name RLS coverage', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());

  it('SEC-8: every table with a tenant_id column has RLS enabled, forced and a policy', async () => {
    expect(described(await findUnprotectedTenantTables(t.ownerHandle.db))).toEqual([]);
    // The check must be looking at the real tenant tables, not at an empty list.
    const tenantTables = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
       where table_schema = 'public' and column_name = 'tenant_id' order by table_name`.execute(
      t.ownerHandle.db,
    );
    expect(tenantTables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['jobs', 'memberships']),
    );
  });

  it('SEC-8: the coverage check names a tenant table that lacks RLS, FORCE or a policy', async () => {
    const schema = `scratch_${randomBytes(4).toString('hex')}`;
    const db = t.ownerHandle.db;
    const table = (name: string) => sql.table(`${schema}.${name}`);
    await sql`create schema ${sql.id(schema)}`.execute(db);
    try {
      for (const name of ['leaky', 'not_forced', 'no_policy', 'protected']) {
        await sql`create table ${table(name)} (id uuid primary key, tenant_id uuid)`.execute(db);
      }
      await sql`create table ${table('platform_level')} (id uuid primary key)`.execute(db);
      await sql`alter table ${table('not_forced')} enable row level security`.execute(db);
      await sql`create policy tenant_isolation on ${table('not_forced')} using (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`.execute(
        db,
      );
      await sql`alter table ${table('no_policy')} enable row level security`.execute(db);
      await sql`alter table ${table('no_policy')} force row level security`.execute(db);
      await protectTenantTable(db, 'postgres', `${schema}.protected`);

      expect(described(await findUnprotectedTenantTables(db, schema))).toEqual([
        `${schema}.leaky: row level security is not enabled; row level security is not forced (the owner would bypass it); no tenant policy for all commands`,
        `${schema}.no_policy: no tenant policy for all commands`,
        `${schema}.not_forced: row level security is not forced (the owner would bypass it)`,
      ]);
    } finally {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
    }
  });
});

describe('test harness', () => {
  it('SEC-8: under CI=true a missing TEST_DATABASE_URL fails the PostgreSQL suites instead of skipping them', async () => {
    const saved = { CI: process.env.CI, TEST_DATABASE_URL: process.env.TEST_DATABASE_URL };
    process.env.CI = 'true';
    delete process.env.TEST_DATABASE_URL;
    try {
      const targets = databaseTargets();
      expect(targets.map((x) => x.name)).toEqual(['sqlite', 'postgres']);
      await expect(targets[1]!.create()).rejects.toThrow('TEST_DATABASE_URL is required when CI=true');
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
