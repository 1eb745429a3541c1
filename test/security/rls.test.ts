import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import { ManualClock } from '../../apps/server/src/platform/clock';
import { type DatabaseHandle, openPostgres } from '../../apps/server/src/platform/db/connect';
import { newId } from '../../apps/server/src/platform/db/ids';
import { checkAppRole } from '../../apps/server/src/platform/db/migrations';
import type { DB } from '../../apps/server/src/platform/db/schema';
import { withSystem, withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import { createRepos, type Repos } from '../../apps/server/src/repos';
import { databaseTargets, type TestDatabase } from '../support/databases';

const clock = new ManualClock('2026-03-01T09:00:00.000Z');
const at = clock.now().toISOString();

interface World {
  a: string;
  b: string;
  membershipOfB: string;
}

/** A tenant's job in its own context, or a platform job (tenant_id null) in the system scope. */
async function insertJob(handle: DatabaseHandle, tenantId: string | null): Promise<void> {
  const values = {
    id: newId(),
    tenant_id: tenantId,
    kind: 'export',
    payload: '{}',
    status: 'queued' as const,
    run_after: at,
    created_at: at,
    updated_at: at,
  };
  const insert = (trx: Transaction<DB>) => trx.insertInto('jobs').values(values).execute();
  await (tenantId ? withTenant(handle, tenantId, insert) : withSystem(handle, insert));
}

/** Two tenants of two organizations, each with two memberships and a job, plus one platform job. */
async function buildWorld(handle: DatabaseHandle, repos: Repos, prefix: string): Promise<World> {
  const a = (await createOrganizationWithTenant({ name: 'A', slug: `${prefix}-a`, clock }, repos)).tenant.id;
  const b = (await createOrganizationWithTenant({ name: 'B', slug: `${prefix}-b`, clock }, repos)).tenant.id;
  let membershipOfB = '';
  for (const tenantId of [a, b]) {
    await repos.forTenant(tenantId).transaction(async (r) => {
      await r.memberships.add(
        { subjectRef: `${tenantId}-1`, role: 'administrator', status: 'registered' },
        clock.now(),
      );
      const m = await r.memberships.add(
        { subjectRef: `${tenantId}-2`, role: 'viewer', status: 'pending' },
        clock.now(),
      );
      if (tenantId === b) membershipOfB = m.id;
    });
    await insertJob(handle, tenantId);
  }
  await insertJob(handle, null);
  return { a, b, membershipOfB };
}

describe.each(databaseTargets())('$name tenant repositories', (target) => {
  let t: TestDatabase;
  let repos: Repos;
  let w: World;
  beforeAll(async () => {
    t = await target.create();
    repos = createRepos(t.handle);
    w = await buildWorld(t.handle, repos, 'repo');
  });
  afterAll(() => t?.close());

  it("SEC-8: tenant repositories never return another tenant's rows", async () => {
    for (const [mine, theirs] of [
      [w.a, w.b],
      [w.b, w.a],
    ] as const) {
      const listed = await repos.forTenant(mine).transaction((r) => r.memberships.list());
      expect(listed).toHaveLength(2);
      expect(listed.every((m) => m.tenant_id === mine)).toBe(true);
      const current = await repos.forTenant(mine).transaction((r) => r.tenant.get());
      expect(current?.id).toBe(mine);
      expect(theirs).not.toBe(mine);
    }
    expect(
      await repos.forTenant(w.a).transaction((r) => r.memberships.getById(w.membershipOfB)),
    ).toBeUndefined();
    expect(
      await repos.forTenant(w.b).transaction((r) => r.memberships.getById(w.membershipOfB)),
    ).toMatchObject({
      tenant_id: w.b,
    });
  });
});

describe.each(databaseTargets().filter((x) => x.name === 'postgres'))(
  '$name row-level security',
  (target) => {
    let t: TestDatabase;
    let w: World;
    beforeAll(async () => {
      t = await target.create();
      w = await buildWorld(t.handle, createRepos(t.handle), 'rls');
    });
    afterAll(() => t?.close());

    it('SEC-8: without a tenant context the app role sees no memberships and no jobs', async () => {
      expect(await t.handle.db.selectFrom('memberships').selectAll().execute()).toEqual([]);
      expect(await t.handle.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
      const inBareTransaction = await t.handle.db
        .transaction()
        .execute((trx) => trx.selectFrom('memberships').selectAll().execute());
      expect(inBareTransaction).toEqual([]);
    });

    it("SEC-8: in tenant A's context an unfiltered query never sees tenant B's rows", async () => {
      const seen = await withTenant(t.handle, w.a, async (trx) => ({
        memberships: await trx.selectFrom('memberships').select('tenant_id').execute(),
        jobs: await trx.selectFrom('jobs').select('tenant_id').execute(),
      }));
      expect(seen.memberships.map((r) => r.tenant_id)).toEqual([w.a, w.a]);
      expect(seen.jobs.map((r) => r.tenant_id)).toEqual([w.a]);
    });

    it("SEC-8: in tenant A's context writing tenant B's rows is refused", async () => {
      const membershipOfB = {
        id: newId(),
        tenant_id: w.b,
        organization_id: newId(),
        subject_ref: 'intruder',
        email: null,
        role: 'administrator' as const,
        is_global: 1 as const,
        status: 'registered' as const,
        created_at: at,
        updated_at: at,
      };
      await expect(
        withTenant(t.handle, w.a, (trx) => trx.insertInto('memberships').values(membershipOfB).execute()),
      ).rejects.toThrow(/row-level security/);
      await expect(
        withTenant(t.handle, w.a, (trx) =>
          trx
            .insertInto('jobs')
            .values({
              id: newId(),
              tenant_id: w.b,
              kind: 'x',
              payload: '{}',
              status: 'queued',
              run_after: at,
              created_at: at,
              updated_at: at,
            })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      // Moving one's own row into another tenant fails the WITH CHECK half of the policy.
      await expect(
        withTenant(t.handle, w.a, (trx) => trx.updateTable('memberships').set({ tenant_id: w.b }).execute()),
      ).rejects.toThrow(/row-level security/);
      const touched = await withTenant(t.handle, w.a, async (trx) => ({
        updated: (
          await trx
            .updateTable('memberships')
            .set({ role: 'administrator' })
            .where('id', '=', w.membershipOfB)
            .executeTakeFirst()
        ).numUpdatedRows,
        deleted: (await trx.deleteFrom('memberships').where('id', '=', w.membershipOfB).executeTakeFirst())
          .numDeletedRows,
      }));
      expect(touched).toEqual({ updated: 0n, deleted: 0n });
      const stillThere = await withTenant(t.handle, w.b, (trx) =>
        trx.selectFrom('memberships').select('role').where('id', '=', w.membershipOfB).executeTakeFirst(),
      );
      expect(stillThere).toEqual({ role: 'viewer' });
    });

    it('SEC-8: the system scope sees every tenant and the platform jobs', async () => {
      const seen = await withSystem(t.handle, async (trx) => ({
        memberships: await trx.selectFrom('memberships').select('tenant_id').execute(),
        jobs: await trx.selectFrom('jobs').select('tenant_id').execute(),
      }));
      expect(seen.memberships).toHaveLength(4);
      expect(new Set(seen.jobs.map((r) => r.tenant_id))).toEqual(new Set([w.a, w.b, null]));
    });

    it('SEC-8: the tenant context ends with its transaction on a pooled connection', async () => {
      const single = openPostgres({ url: t.url!, requireTls: false, max: 1 });
      try {
        const inside = await withTenant(single, w.a, (trx) =>
          trx.selectFrom('memberships').select('id').execute(),
        );
        expect(inside).toHaveLength(2);
        expect(await single.db.selectFrom('memberships').select('id').execute()).toEqual([]);
        const setting = await sql<{
          v: string | null;
        }>`select current_setting('app.tenant_id', true) as v`.execute(single.db);
        expect(setting.rows[0]?.v ?? '').toBe('');
      } finally {
        await single.destroy();
      }
    });

    it('SEC-8: a tenant context needs a real tenant id, so nothing can be smuggled into the setting', async () => {
      await expect(withTenant(t.handle, "x' or true --", async () => 1)).rejects.toThrow(/tenant id/);
      await expect(withTenant(t.handle, '', async () => 1)).rejects.toThrow(/tenant id/);
    });

    it('SEC-8: the app role is not superuser, not BYPASSRLS, owns no table and cannot switch RLS off', async () => {
      expect(await checkAppRole(t.handle)).toEqual([]);
      await expect(
        sql`alter table memberships disable row level security`.execute(t.handle.db),
      ).rejects.toThrow(/must be owner/);
    });

    it('SEC-8: checkAppRole reports the owner connection and a superuser', async () => {
      const ownerProblems = await checkAppRole(t.ownerHandle);
      expect(ownerProblems).toEqual([expect.stringMatching(/owns application tables/)]);
      const adminUrl = new URL(process.env.TEST_DATABASE_URL!);
      adminUrl.pathname = new URL(t.url!).pathname;
      const admin = openPostgres({ url: adminUrl.href, requireTls: false, max: 1 });
      try {
        const problems = await checkAppRole(admin);
        expect(problems.some((p) => /is a superuser/.test(p))).toBe(true);
      } finally {
        await admin.destroy();
      }
    });
  },
);
