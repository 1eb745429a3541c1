import { ErrorCode } from '@thestorage/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../../platform/clock';
import { newId } from '../../platform/db/ids';
import { createRepos, type Repos } from '../../repos';
import { createOrganizationWithTenant } from './tenant-service';

describe.each(databaseTargets())('$name tenant-bound memberships', (target) => {
  let t: TestDatabase;
  let repos: Repos;
  let berlin: string;
  let boston: string;
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  beforeAll(async () => {
    t = await target.create();
    repos = createRepos(t.handle);
    berlin = (await createOrganizationWithTenant({ name: 'Acme', slug: 'm-berlin', clock }, repos)).tenant.id;
    boston = (await createOrganizationWithTenant({ name: 'Other', slug: 'm-boston', clock }, repos)).tenant
      .id;
  });
  afterAll(() => t?.close());

  it('adds, lists and gets memberships of the bound tenant only', async () => {
    const added = await repos.forTenant(berlin).transaction((r) =>
      r.memberships.add(
        {
          subjectRef: 'subj-anna',
          email: ' Anna@Example.COM ',
          role: 'administrator',
          isGlobal: true,
          status: 'pending',
        },
        clock.now(),
      ),
    );
    const tenant = await repos.forTenant(berlin).transaction((r) => r.tenant.get());
    expect(added).toMatchObject({
      tenant_id: berlin,
      organization_id: tenant?.organization_id,
      email: 'anna@example.com',
      is_global: 1,
      role: 'administrator',
      status: 'pending',
      version: 1,
    });
    await repos
      .forTenant(boston)
      .transaction((r) =>
        r.memberships.add({ subjectRef: 'subj-bob', role: 'viewer', status: 'registered' }, clock.now()),
      );

    const inBerlin = await repos.forTenant(berlin).transaction((r) => r.memberships.list());
    expect(inBerlin.map((m) => m.subject_ref)).toEqual(['subj-anna']);
    expect(await repos.forTenant(berlin).transaction((r) => r.memberships.getById(added.id))).toEqual(added);
    expect(await repos.forTenant(boston).transaction((r) => r.memberships.getById(added.id))).toBeUndefined();
    const inBoston = await repos.forTenant(boston).transaction((r) => r.memberships.list());
    expect(inBoston.map((m) => [m.subject_ref, m.is_global, m.email])).toEqual([['subj-bob', 0, null]]);
  });

  it('refuses the same person twice in one tenant but allows them in another', async () => {
    const add = (tenantId: string) =>
      repos
        .forTenant(tenantId)
        .transaction((r) =>
          r.memberships.add(
            { subjectRef: 'subj-twice', role: 'operator', status: 'registered' },
            clock.now(),
          ),
        );
    await add(berlin);
    await expect(add(berlin)).rejects.toSatisfy(
      (e: { code?: string }) => e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE',
    );
    await expect(add(boston)).resolves.toMatchObject({ tenant_id: boston });
  });

  it('answers not found for a tenant that does not exist', async () => {
    const ghost = newId();
    await expect(
      repos
        .forTenant(ghost)
        .transaction((r) =>
          r.memberships.add({ subjectRef: 's', role: 'viewer', status: 'pending' }, clock.now()),
        ),
    ).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect(await repos.forTenant(ghost).transaction((r) => r.tenant.get())).toBeUndefined();
  });

  it('refuses a tenant scope without a UUID tenant id', () => {
    expect(() => repos.forTenant('berlin')).toThrow(/tenant id/);
    expect(() => repos.forTenant('')).toThrow(/tenant id/);
  });
});
