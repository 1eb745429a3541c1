import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { newId } from './ids';
import { migrateToLatest } from './migrations';
import { withSystem } from './tenant-scope';

const at = '2026-01-01T00:00:00.000Z';

describe.each(databaseTargets())('$name migrations', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());

  it('creates the foundation tables and runs again without changes', async () => {
    await migrateToLatest(t.ownerHandle);
    const tables = (await t.ownerHandle.db.introspection.getTables()).map((x) => x.name).sort();
    expect(tables).toEqual(expect.arrayContaining(['jobs', 'memberships', 'organizations', 'tenants']));
    const jobs = (await t.ownerHandle.db.introspection.getTables()).find((x) => x.name === 'jobs');
    expect(jobs?.columns.map((c) => c.name)).toEqual([
      'id',
      'tenant_id',
      'kind',
      'payload',
      'status',
      'progress_done',
      'progress_total',
      'progress_message',
      'attempts',
      'max_attempts',
      'run_after',
      'lease_owner',
      'lease_expires_at',
      'last_error',
      'result',
      'created_at',
      'updated_at',
      'finished_at',
      'unique_key',
    ]);
  });

  it('fills job defaults, keeps slugs unique and deletes a tenant with its memberships and jobs', async () => {
    await withSystem(t.handle, async (trx) => {
      const organizationId = newId();
      const tenantId = newId();
      await trx
        .insertInto('organizations')
        .values({ id: organizationId, name: 'Acme', created_at: at, updated_at: at })
        .execute();
      const tenant = {
        organization_id: organizationId,
        slug: 'acme-berlin',
        name: 'Berlin',
        plan: 'free' as const,
        trial_ends_at: at,
        cancelled_at: null,
        created_at: at,
        updated_at: at,
      };
      await trx
        .insertInto('tenants')
        .values({ id: tenantId, ...tenant })
        .execute();
      await trx
        .insertInto('memberships')
        .values({
          id: newId(),
          tenant_id: tenantId,
          organization_id: organizationId,
          subject_ref: 'ref-1',
          email: null,
          role: 'administrator',
          is_global: 0,
          status: 'registered',
          created_at: at,
          updated_at: at,
        })
        .execute();
      const jobId = newId();
      await trx
        .insertInto('jobs')
        .values({
          id: jobId,
          tenant_id: tenantId,
          kind: 'export',
          payload: '{}',
          status: 'queued',
          run_after: at,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const job = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ progress_done: 0, attempts: 0, max_attempts: 5, progress_total: null });
      const org = await trx.selectFrom('organizations').select('version').executeTakeFirstOrThrow();
      expect(org.version).toBe(1);

      await trx.deleteFrom('tenants').where('id', '=', tenantId).execute();
      expect(
        await trx.selectFrom('memberships').selectAll().where('tenant_id', '=', tenantId).execute(),
      ).toEqual([]);
      expect(await trx.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId).execute()).toEqual(
        [],
      );
    });
  });

  it('refuses a second tenant with the same slug', async () => {
    const organizationId = newId();
    const insertTenant = () =>
      withSystem(t.handle, (trx) =>
        trx
          .insertInto('tenants')
          .values({
            id: newId(),
            organization_id: organizationId,
            slug: 'taken',
            name: 'T',
            plan: 'free',
            trial_ends_at: at,
            created_at: at,
            updated_at: at,
            cancelled_at: null,
          })
          .execute(),
      );
    await withSystem(t.handle, (trx) =>
      trx
        .insertInto('organizations')
        .values({ id: organizationId, name: 'O', created_at: at, updated_at: at })
        .execute(),
    );
    await insertTenant();
    await expect(insertTenant()).rejects.toSatisfy(
      (e: { code?: string }) => e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE',
    );
  });

  it('refuses a membership whose tenant does not exist (foreign keys are on)', async () => {
    await expect(
      withSystem(t.handle, (trx) =>
        trx
          .insertInto('memberships')
          .values({
            id: newId(),
            tenant_id: newId(),
            organization_id: newId(),
            subject_ref: 'x',
            email: null,
            role: 'viewer',
            is_global: 0,
            status: 'pending',
            created_at: at,
            updated_at: at,
          })
          .execute(),
      ),
    ).rejects.toThrow(/foreign key/i);
  });

  it('stores ids as uuid on PostgreSQL and text on SQLite', async () => {
    const type =
      t.name === 'postgres'
        ? (
            await sql<{ t: string }>`select data_type as t from information_schema.columns
              where table_name = 'tenants' and column_name = 'id'`.execute(t.ownerHandle.db)
          ).rows[0]?.t
        : (
            await sql<{
              type: string;
            }>`select type from pragma_table_info('tenants') where name = 'id'`.execute(t.ownerHandle.db)
          ).rows[0]?.type;
    expect(type?.toLowerCase()).toBe(t.name === 'postgres' ? 'uuid' : 'text');
  });

  it('SPEC 9, DEV-12: device indexes of mostly-empty columns are partial and still serve their lookups; tag links are one B-tree on SQLite', async () => {
    await migrateToLatest(t.ownerHandle);
    const db = t.ownerHandle.db;
    const partial = ['devices_barcode_uq', 'devices_employee_idx', 'devices_place_idx'];
    const definitions =
      t.name === 'postgres'
        ? (
            await sql<{ name: string; sql: string }>`select indexname as name, indexdef as sql from pg_indexes
              where tablename = 'devices'`.execute(db)
          ).rows
        : (
            await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
              where type = 'index' and tbl_name = 'devices' and sql is not null`.execute(db)
          ).rows;
    for (const name of [...partial, 'devices_invoice_file_id_idx', 'devices_image_file_id_idx']) {
      expect(definitions.find((d) => d.name === name)?.sql, name).toMatch(/where .*is not null/i);
    }
    expect(definitions.find((d) => d.name === 'devices_name_idx')?.sql).not.toMatch(/where/i);
    if (t.name === 'sqlite') {
      // An equality on the column implies it is not null: the filter by employee still walks its index.
      const plan = (
        await sql<{ detail: string }>`explain query plan select id from devices
          where tenant_id = ${newId()} and employee_ref = ${'emp-1'} order by number limit 50`.execute(db)
      ).rows.map((r) => r.detail);
      expect(plan.join(' ')).toContain('devices_employee_idx');
      const tags = (
        await sql<{ sql: string }>`select sql from sqlite_master where name = 'device_tags'`.execute(db)
      ).rows[0]?.sql;
      expect(tags).toMatch(/without rowid/i);
    }
  });
});
