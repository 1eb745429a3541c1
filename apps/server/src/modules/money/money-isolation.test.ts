import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { withSystem, withTenant } from '../../platform/db/tenant-scope';
import { type DevicesHarness, startDevicesHarness } from '../devices/devices-test-harness';
import { publishEcbRates } from './money-test-support';

describe.each(databaseTargets())('money tenant isolation on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
    await publishEcbRates(h.t.handle, '2026-02-27', { USD: '1.0523', GBP: '0.8309' });
    // Tenant B: default currency GBP, a manual rate for ARS and a device priced in ARS.
    h.signIn('administrator', h.tenantB);
    expect((await h.call('PUT', '/money-settings', { defaultCurrency: 'GBP', version: 1 })).status).toBe(200);
    expect((await h.call('PUT', '/manual-exchange-rates/ARS', { perEur: '1000' })).status).toBe(200);
    expect(
      (await h.call('POST', '/devices', { name: 'Phone of B', price: '1000', currency: 'ARS' })).status,
    ).toBe(200);
  });
  afterAll(() => h?.close());

  it("SEC-8: tenant A never sees, uses, changes or removes tenant B's default currency and manual rates", async () => {
    h.signIn('administrator');
    expect((await h.call('GET', '/money-settings')).body).toEqual({ defaultCurrency: 'EUR', version: 1 });
    expect((await h.call('GET', '/manual-exchange-rates')).body).toEqual({ rates: [] });
    // B's ARS rate converts nothing of A's.
    const device = (await h.call('POST', '/devices', { name: 'Phone of A', price: '1000', currency: 'ARS' }))
      .body;
    expect(device.convertedPrice).toBeNull();
    expect((await h.call('GET', '/dashboard/devices')).body.inventoryValue).toMatchObject({
      amount: '0.00',
      byCurrency: [{ currency: 'ARS', amount: '1000.00', deviceCount: 1, converted: null }],
    });
    // B's rate is not found from A: changing or removing it answers 404 and leaves it alone.
    expect((await h.call('PUT', '/manual-exchange-rates/ARS', { perEur: '1', version: 1 })).status).toBe(404);
    expect((await h.call('DELETE', '/manual-exchange-rates/ARS?version=1')).status).toBe(404);
    // A's own ARS rate is A's alone (the same currency in both tenants is two rows).
    expect((await h.call('PUT', '/manual-exchange-rates/ARS', { perEur: '500' })).status).toBe(200);

    h.signIn('viewer', h.tenantB);
    expect((await h.call('GET', '/money-settings')).body).toEqual({ defaultCurrency: 'GBP', version: 2 });
    expect((await h.call('GET', '/manual-exchange-rates')).body.rates).toEqual([
      expect.objectContaining({ currency: 'ARS', perEur: '1000', version: 1 }),
    ]);
    const ofB = (await h.call('GET', '/devices')).body.devices;
    expect(ofB).toHaveLength(1);
    // B's own rate and B's own default currency: 1000 ARS = 1 EUR = 0.8309 GBP.
    expect(ofB[0].convertedPrice).toMatchObject({ amount: '0.83', currency: 'GBP', source: 'manual' });
  });

  // Row-level security exists on PostgreSQL only (SQLite has one tenant filter: the repositories').
  if (target.name === 'postgres') {
    it('SEC-8: row-level security keeps money_settings and manual_exchange_rates to their tenant', async () => {
      const seen = await withTenant(h.t.handle, h.tenantA, async (trx) => ({
        settings: await trx.selectFrom('money_settings').select('tenant_id').execute(),
        rates: await trx.selectFrom('manual_exchange_rates').select(['tenant_id', 'per_eur']).execute(),
      }));
      expect(seen.settings.map((r) => r.tenant_id)).toEqual([h.tenantA]);
      expect(seen.rates).toEqual([{ tenant_id: h.tenantA, per_eur: '500' }]);
      const at = new Date().toISOString();
      await expect(
        withTenant(h.t.handle, h.tenantA, (trx) =>
          trx
            .insertInto('manual_exchange_rates')
            .values({
              tenant_id: h.tenantB,
              currency: 'CLP',
              per_eur: '1',
              created_at: at,
              updated_at: at,
              version: 1,
            })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      const touched = await withTenant(h.t.handle, h.tenantA, (trx) =>
        trx
          .updateTable('money_settings')
          .set({ default_currency: 'JPY' })
          .where('tenant_id', '=', h.tenantB)
          .executeTakeFirst(),
      );
      expect(touched.numUpdatedRows).toBe(0n);
      // Without a tenant context the app role sees no tenant's money rows at all.
      expect(await h.t.handle.db.selectFrom('manual_exchange_rates').selectAll().execute()).toEqual([]);
      const all = await withSystem(h.t.handle, (trx) =>
        trx.selectFrom('money_settings').select('default_currency').execute(),
      );
      expect(all.map((r) => r.default_currency).sort()).toEqual(['EUR', 'GBP']);
    });
  }
});
