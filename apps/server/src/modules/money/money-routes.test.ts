import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { type DevicesHarness, startDevicesHarness } from '../devices/devices-test-harness';
import { publishEcbRates } from './money-test-support';
import { ECB_RATE_CACHE_MS } from './tenant-conversion';

// The harness clock starts on 2026-03-01; the ECB's newest set is from the Friday before.
const ECB_DAY = '2026-02-27';

describe.each(databaseTargets())('money settings and converted prices on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
    await publishEcbRates(h.t.handle, ECB_DAY, { USD: '1.0523', JPY: '158.45', GBP: '0.83090' });
  });
  afterAll(() => h?.close());

  const settings = async () => (await h.call('GET', '/money-settings')).body;
  const addDevice = async (body: object) => {
    const res = await h.call('POST', '/devices', body);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('DEV-1: the default currency starts as EUR; an Administrator changes it, a stale or unknown one is refused', async () => {
    h.signIn('viewer');
    expect(await settings()).toEqual({ defaultCurrency: 'EUR', version: 1 });

    h.signIn('administrator');
    const changed = await h.call('PUT', '/money-settings', { defaultCurrency: 'usd', version: 1 });
    expect(changed).toEqual({ status: 200, body: { defaultCurrency: 'USD', version: 2 } });

    const stale = await h.call('PUT', '/money-settings', { defaultCurrency: 'GBP', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'modified_by_someone_else', details: { version: 2 } });
    for (const defaultCurrency of ['XYZ', 'EURO', '€', '']) {
      const bad = await h.call('PUT', '/money-settings', { defaultCurrency, version: 2 });
      expect(bad.status, defaultCurrency).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect(bad.body.error.details[0].path).toBe('defaultCurrency');
    }
    expect(await settings()).toEqual({ defaultCurrency: 'USD', version: 2 });

    expect(await h.eventsOf(h.tenantA, h.tenantA)).toEqual([
      {
        action: 'money_settings.updated',
        changes: [{ field: 'defaultCurrency', before: 'EUR', after: 'USD' }],
      },
    ]);

    for (const role of ['operator', 'viewer'] as const) {
      h.signIn(role);
      const refused = await h.call('PUT', '/money-settings', { defaultCurrency: 'EUR', version: 2 });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    h.signIn('employee');
    expect((await h.call('GET', '/money-settings')).status).toBe(403);
    expect((await h.call('GET', '/manual-exchange-rates')).status).toBe(403);

    h.signIn('administrator');
    await h.call('PUT', '/money-settings', { defaultCurrency: 'EUR', version: 2 });
  });

  it('DEV-1: manual rates per euro are added, changed with the version read and removed; each write is audited', async () => {
    h.signIn('administrator');
    const added = await h.call('PUT', '/manual-exchange-rates/ars', { perEur: '1050.50' });
    expect(added).toEqual({
      status: 200,
      body: {
        currency: 'ARS',
        perEur: '1050.50',
        inUse: true,
        updatedAt: h.clock.now().toISOString(),
        version: 1,
      },
    });
    // A manual USD rate waits as the fallback: the ECB publishes USD.
    const usd = await h.call('PUT', '/manual-exchange-rates/USD', { perEur: '1.10' });
    expect(usd.body).toMatchObject({ currency: 'USD', inUse: false, version: 1 });

    const again = await h.call('PUT', '/manual-exchange-rates/ARS', { perEur: '999' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', details: { field: 'currency', version: 1 } });
    const stale = await h.call('PUT', '/manual-exchange-rates/ARS', { perEur: '999', version: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('modified_by_someone_else');
    const missing = await h.call('PUT', '/manual-exchange-rates/CLP', { perEur: '999', version: 1 });
    expect(missing.status).toBe(404);

    h.clock.advance(60_000);
    const changed = await h.call('PUT', '/manual-exchange-rates/ARS', { perEur: '1075.25', version: 1 });
    expect(changed.body).toMatchObject({
      perEur: '1075.25',
      version: 2,
      updatedAt: h.clock.now().toISOString(),
    });

    const refused = [
      await h.call('PUT', '/manual-exchange-rates/EUR', { perEur: '1' }),
      await h.call('PUT', '/manual-exchange-rates/XYZ', { perEur: '1' }),
      await h.call('PUT', '/manual-exchange-rates/CLP', { perEur: '0' }),
      await h.call('PUT', '/manual-exchange-rates/CLP', { perEur: '-3' }),
      await h.call('PUT', '/manual-exchange-rates/CLP', { perEur: '1,5' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    expect(refused.map((r) => r.body.error.details[0].path)).toEqual([
      'currency',
      'currency',
      'perEur',
      'perEur',
      'perEur',
    ]);

    h.signIn('viewer');
    expect((await h.call('GET', '/manual-exchange-rates')).body.rates).toEqual([
      expect.objectContaining({ currency: 'ARS', perEur: '1075.25', inUse: true, version: 2 }),
      expect.objectContaining({ currency: 'USD', perEur: '1.10', inUse: false, version: 1 }),
    ]);
    expect((await h.call('PUT', '/manual-exchange-rates/CLP', { perEur: '1000' })).status).toBe(403);
    expect((await h.call('DELETE', '/manual-exchange-rates/ARS?version=2')).status).toBe(403);
    h.signIn('operator');
    expect((await h.call('PUT', '/manual-exchange-rates/CLP', { perEur: '1000' })).status).toBe(403);

    h.signIn('administrator');
    expect((await h.call('DELETE', '/manual-exchange-rates/USD?version=2')).status).toBe(409);
    expect((await h.call('DELETE', '/manual-exchange-rates/USD?version=1')).status).toBe(204);
    expect((await h.call('DELETE', '/manual-exchange-rates/USD?version=1')).status).toBe(404);

    expect(await h.eventsOf(h.tenantA, 'ARS')).toEqual([
      {
        action: 'manual_exchange_rate.created',
        changes: [{ field: 'perEur', before: null, after: '1050.50' }],
      },
      {
        action: 'manual_exchange_rate.updated',
        changes: [{ field: 'perEur', before: '1050.50', after: '1075.25' }],
      },
    ]);
    expect((await h.eventsOf(h.tenantA, 'USD')).map((e) => e.action)).toEqual([
      'manual_exchange_rate.created',
      'manual_exchange_rate.deleted',
    ]);
  });

  it('DEV-1: a device shows its price in the default currency: ECB cross rates, the manual fallback, or no rate', async () => {
    h.signIn('operator');
    const usd = await addDevice({ name: 'MacBook USD', price: '1299.99', currency: 'USD' });
    expect(usd.convertedPrice).toEqual({
      amount: '1235.38',
      currency: 'EUR',
      rate: '0.950299',
      rateDate: ECB_DAY,
      source: 'ecb',
    });
    const eur = await addDevice({ name: 'Dock EUR', price: '269', currency: 'EUR' });
    expect(eur.convertedPrice).toEqual({
      amount: '269.00',
      currency: 'EUR',
      rate: '1',
      rateDate: null,
      source: 'same',
    });
    const ars = await addDevice({ name: 'Phone ARS', price: '1075250', currency: 'ARS' });
    expect(ars.convertedPrice).toEqual({
      amount: '1000.00',
      currency: 'EUR',
      rate: '0.000930016',
      rateDate: '2026-03-01',
      source: 'manual',
    });
    const chf = await addDevice({ name: 'Monitor CHF', price: '500', currency: 'CHF' });
    expect(chf.convertedPrice).toBeNull();
    const unpriced = await addDevice({ name: 'Cable', currency: 'USD' });
    expect(unpriced.convertedPrice).toBeNull();

    // The default currency changes: the same devices, converted into yen (no minor unit).
    h.signIn('administrator');
    const current = await settings();
    await h.call('PUT', '/money-settings', { defaultCurrency: 'JPY', version: current.version });
    h.signIn('viewer');
    const one = (await h.call('GET', `/devices/${usd.id}`)).body;
    expect(one.convertedPrice).toMatchObject({ amount: '195746', currency: 'JPY', rate: '150.575' });
    const list = (await h.call('GET', '/devices?limit=100')).body.devices as {
      name: string;
      convertedPrice: { amount: string; source: string } | null;
    }[];
    const byName = Object.fromEntries(list.map((d) => [d.name, d.convertedPrice]));
    expect(byName['Dock EUR']).toMatchObject({ amount: '42623', source: 'ecb' });
    expect(byName['Phone ARS']).toMatchObject({ amount: '158450', source: 'manual' });
    expect(byName['Monitor CHF']).toBeNull();
    expect(byName.Cable).toBeNull();

    h.signIn('administrator');
    await h.call('PUT', '/money-settings', { defaultCurrency: 'EUR', version: current.version + 1 });
  });

  it('DEV-1: a page reads the ECB rates at most once a minute; a new set shows after that minute', async () => {
    h.signIn('viewer');
    const amountOf = async () =>
      (
        (await h.call('GET', '/devices?limit=100')).body.devices as {
          name: string;
          convertedPrice: { amount: string };
        }[]
      ).find((d) => d.name === 'MacBook USD')!.convertedPrice.amount;
    h.clock.advance(ECB_RATE_CACHE_MS);
    expect(await amountOf()).toBe('1235.38');
    await publishEcbRates(h.t.handle, '2026-03-02', { USD: '1.2', JPY: '158.45', GBP: '0.83090' });
    expect(await amountOf()).toBe('1235.38');
    h.clock.advance(ECB_RATE_CACHE_MS);
    expect(await amountOf()).toBe('1083.33');
    // A tenant's own change shows at once (it is never cached).
    h.signIn('administrator');
    const current = await settings();
    await h.call('PUT', '/money-settings', { defaultCurrency: 'USD', version: current.version });
    h.signIn('viewer');
    expect(await amountOf()).toBe('1299.99');
    h.signIn('administrator');
    await h.call('PUT', '/money-settings', { defaultCurrency: 'EUR', version: current.version + 1 });
    await publishEcbRates(h.t.handle, '2026-03-02', { USD: '1.0523' });
    h.clock.advance(ECB_RATE_CACHE_MS);
  });

  it('DEV-1, DASH-1: the dashboard sums prices per currency in SQL, converts each sum, and lists what has no rate', async () => {
    h.signIn('operator');
    await addDevice({ name: 'MacBook USD 2', price: '804.61', currency: 'USD' });
    await addDevice({ name: 'Priced, no currency', price: '50' });
    await addDevice({ name: 'Monitor CHF 2', price: '250.50', currency: 'CHF' });
    const { status, body } = await h.call('GET', '/dashboard/devices');
    expect(status).toBe(200);
    // USD 1299.99 + 804.61 = 2104.60 → 2000.00 EUR (one conversion of the sum); ARS 1,075,250 → 1000.00.
    expect(body.inventoryValue).toEqual({
      currency: 'EUR',
      amount: '3269.00',
      deviceCount: 4,
      byCurrency: [
        {
          currency: 'ARS',
          amount: '1075250.00',
          deviceCount: 1,
          converted: expect.objectContaining({ amount: '1000.00', source: 'manual' }),
        },
        { currency: 'CHF', amount: '750.50', deviceCount: 2, converted: null },
        {
          currency: 'EUR',
          amount: '269.00',
          deviceCount: 1,
          converted: expect.objectContaining({ amount: '269.00', source: 'same' }),
        },
        {
          currency: 'USD',
          amount: '2104.60',
          deviceCount: 2,
          converted: expect.objectContaining({ amount: '2000.00', source: 'ecb', rateDate: '2026-03-02' }),
        },
      ],
      withoutCurrency: 1,
    });
    // Another tenant's devices are not in it.
    h.signIn('administrator', h.tenantA2);
    expect((await h.call('GET', '/dashboard/devices')).body.inventoryValue).toEqual({
      currency: 'EUR',
      amount: '0.00',
      deviceCount: 0,
      byCurrency: [],
      withoutCurrency: 0,
    });
  });

  it('API-2: the money routes are in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/money-settings']).sort()).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/api/v1/manual-exchange-rates/{currency}']).sort()).toEqual([
      'delete',
      'put',
    ]);
    expect(doc.paths['/api/v1/manual-exchange-rates'].get.tags).toEqual(['money']);
    expect(
      doc.paths['/api/v1/devices/{id}'].get.responses['200'].content['application/json'].schema.properties,
    ).toHaveProperty('convertedPrice');
  });
});
