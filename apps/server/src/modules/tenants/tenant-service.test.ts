import { ErrorCode } from '@thestorage/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { DAY_MS, ManualClock } from '../../platform/clock';
import { AppError } from '../../platform/http/errors';
import { createRepos, type Repos } from '../../repos';
import { createOrganizationWithTenant } from './tenant-service';

const expectAppError = async (promise: Promise<unknown>, code: ErrorCode, message: RegExp) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).message).toMatch(message);
};

describe.each(databaseTargets())('$name createOrganizationWithTenant', (target) => {
  let t: TestDatabase;
  let repos: Repos;
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  beforeAll(async () => {
    t = await target.create();
    repos = createRepos(t.handle);
  });
  afterAll(() => t?.close());

  it('creates the organization and its first tenant with a 30-day trial', async () => {
    const { organization, tenant } = await createOrganizationWithTenant(
      { name: ' Acme GmbH ', slug: 'Acme-Berlin', tenantName: 'Berlin', clock },
      repos,
    );
    expect(organization.name).toBe('Acme GmbH');
    expect(tenant).toMatchObject({
      organization_id: organization.id,
      slug: 'acme-berlin',
      name: 'Berlin',
      plan: 'free',
      cancelled_at: null,
      created_at: '2026-03-01T09:00:00.000Z',
      trial_ends_at: new Date(clock.now().getTime() + 30 * DAY_MS).toISOString(),
    });
    const stored = await repos.system.transaction(async (r) => ({
      bySlug: await r.tenants.findBySlug('ACME-BERLIN'),
      byId: await r.tenants.getById(tenant.id),
      organization: await r.organizations.getById(organization.id),
    }));
    expect(stored.bySlug).toEqual(tenant);
    expect(stored.byId).toEqual(tenant);
    expect(stored.organization).toEqual(organization);
    expect(await repos.forTenant(tenant.id).transaction((r) => r.tenant.get())).toEqual(tenant);
  });

  it('refuses a taken address in any case and leaves no orphan organization', async () => {
    await createOrganizationWithTenant({ name: 'First', slug: 'boston', clock }, repos);
    const before = await t.ownerHandle.db.selectFrom('organizations').select('id').execute();
    await expectAppError(
      createOrganizationWithTenant({ name: 'Second', slug: 'Boston', clock }, repos),
      ErrorCode.Conflict,
      /This tenant address is already taken/,
    );
    const after = await t.ownerHandle.db.selectFrom('organizations').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('refuses an invalid address or name before touching the database', async () => {
    await expectAppError(
      createOrganizationWithTenant({ name: 'X', slug: 'api', clock }, repos),
      ErrorCode.ValidationFailed,
      /reserved/,
    );
    await expectAppError(
      createOrganizationWithTenant({ name: '   ', slug: 'blank-name', clock }, repos),
      ErrorCode.ValidationFailed,
      /name must be 1 to 200/,
    );
    expect(await repos.system.transaction((r) => r.tenants.findBySlug('blank-name'))).toBeUndefined();
  });

  it('finds no tenant for an unknown slug or a malformed id', async () => {
    await repos.system.transaction(async (r) => {
      expect(await r.tenants.findBySlug('nobody-here')).toBeUndefined();
      expect(await r.tenants.getById('not-a-uuid')).toBeUndefined();
    });
  });
});
