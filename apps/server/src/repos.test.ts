import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../test/support/databases';
import { createOrganizationWithTenant } from './modules/tenants/tenant-service';
import { systemClock } from './platform/clock';
import { createRepos, type TenantRepos } from './repos';

describe.each(databaseTargets())('tenant repositories on $name', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());

  it('SEC-8: each tenant repository is made once per transaction, on first use, bound to that transaction and tenant', async () => {
    const repos = createRepos(t.handle);
    const suffix = Math.random().toString(36).slice(2, 8);
    const [tenantId, otherId] = await Promise.all(
      ['one', 'two'].map(async (name) => {
        const { tenant } = await createOrganizationWithTenant(
          { name, slug: `repos-${name}-${suffix}`, clock: systemClock },
          repos,
        );
        return String(tenant.id);
      }),
    );
    await repos.forTenant(otherId!).transaction((r) => r.places.create('Elsewhere', {}, new Date()));
    const seen: TenantRepos[] = [];
    const firstDevices = await repos.forTenant(tenantId!).transaction(async (r) => {
      seen.push(r);
      expect(r.devices).toBe(r.devices);
      expect(r.audit).toBe(r.audit);
      // Every repository is there, each an object of its own.
      const names = [
        'tenant',
        'memberships',
        'jobs',
        'files',
        'secrets',
        'directoryConnections',
        'scimTokens',
        'categories',
        'places',
        'tags',
        'vendors',
        'inventorySettings',
        'devices',
        'deviceImports',
        'money',
        'audit',
      ] as const;
      const made = names.map((name) => r[name]);
      expect(made.every((repo) => typeof repo === 'object' && repo !== null)).toBe(true);
      expect(new Set(made).size).toBe(names.length);
      // Bound to this transaction's tenant: another tenant's place is not found, this tenant's is.
      expect(await r.places.list()).toEqual([]);
      await r.places.create('Here', {}, new Date());
      expect((await r.places.list()).map((place) => place.name)).toEqual(['Here']);
      return r.devices;
    });
    const secondDevices = await repos.forTenant(tenantId!).transaction(async (r) => {
      seen.push(r);
      return r.devices;
    });
    expect(seen[0]).not.toBe(seen[1]);
    expect(firstDevices).not.toBe(secondDevices);
  });

  it('SEC-8: a tenant scope refuses an id that is not a UUID before any statement', async () => {
    const repos = createRepos(t.handle);
    expect(() => repos.forTenant('not-a-tenant')).toThrow(/UUID/);
  });
});
