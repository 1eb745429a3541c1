import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../../platform/clock';
import { newId } from '../../platform/db/ids';
import { withSystem } from '../../platform/db/tenant-scope';
import { createRepos, type Repos } from '../../repos';
import { createOrganizationWithTenant } from '../tenants/tenant-service';
import { accessibleTenants, tenantAccessOf, userRef } from './access';

describe.each(databaseTargets())('$name access to one tenant', (target) => {
  let t: TestDatabase;
  let repos: Repos;
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const user = newId();
  let berlin = '';
  let boston = '';
  let madrid = '';
  let oslo = '';
  let organization2 = '';

  beforeAll(async () => {
    t = await target.create();
    repos = createRepos(t.handle);
    const suffix = Math.random().toString(36).slice(2, 8);
    const first = await createOrganizationWithTenant({ name: 'Acme', slug: `acc-b-${suffix}`, clock }, repos);
    berlin = String(first.tenant.id);
    boston = await repos.system.transaction(async (s) =>
      String(
        (
          await s.tenants.create(
            {
              organizationId: String(first.organization.id),
              slug: `acc-bo-${suffix}`,
              name: 'Boston',
              plan: 'free',
              trialEndsAt: new Date(Date.parse('2026-03-31T00:00:00Z')),
            },
            clock.now(),
          )
        ).id,
      ),
    );
    const second = await createOrganizationWithTenant(
      { name: 'Other', slug: `acc-m-${suffix}`, clock },
      repos,
    );
    madrid = String(second.tenant.id);
    organization2 = String(second.organization.id);
    oslo = String(
      (await createOrganizationWithTenant({ name: 'Third', slug: `acc-o-${suffix}`, clock }, repos)).tenant
        .id,
    );
    const add = (tenantId: string, role: 'viewer' | 'operator' | 'administrator', extra = {}) =>
      repos
        .forTenant(tenantId)
        .transaction((r) =>
          r.memberships.add({ subjectRef: userRef(user), role, status: 'registered', ...extra }, clock.now()),
        );
    // Berlin: Viewer there, and a global Operator of the organization (kept in Boston): Operator wins.
    await add(berlin, 'viewer');
    await add(boston, 'operator', { isGlobal: true });
    // Madrid: an invitation not yet accepted gives nothing; being in the directory makes them an Employee.
    await add(madrid, 'administrator', { status: 'pending', email: 'ada@example.com' });
  });
  afterAll(() => t?.close());

  it('ROLE-1: the role a request acts with in its tenant is the one the list of accessible tenants gives (global role, strongest role, pending invitation, employee)', async () => {
    for (const employeeOf of [[], [organization2]]) {
      const all = await withSystem(t.handle, (db) => accessibleTenants(db, user, employeeOf));
      for (const tenantId of [berlin, boston, madrid, oslo, newId()]) {
        const one = await withSystem(t.handle, (db) =>
          tenantAccessOf(db, t.handle.dialect, user, tenantId, employeeOf),
        );
        const listed = all.find((a) => a.id === tenantId);
        expect(one, `${tenantId} ${employeeOf}`).toEqual(
          listed && { id: listed.id, organizationId: listed.organizationId, role: listed.role },
        );
      }
    }
    const roleIn = async (tenantId: string, employeeOf: string[] = []) =>
      (await withSystem(t.handle, (db) => tenantAccessOf(db, t.handle.dialect, user, tenantId, employeeOf)))
        ?.role;
    expect(await roleIn(berlin)).toBe('operator');
    expect(await roleIn(boston)).toBe('operator');
    expect(await roleIn(madrid)).toBeUndefined();
    expect(await roleIn(madrid, [organization2])).toBe('employee');
    expect(await roleIn(oslo, [organization2])).toBeUndefined();
  });
});
