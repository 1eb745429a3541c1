import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecbDocument, type FakeEcb, startFakeEcb } from '../../../../../test/fakes/ecb-rates';
import { buildTestApp } from '../../../../../test/support/app';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { createHttpsFetch } from '../../platform/auth/relying-party/https-fetch';
import { ManualClock } from '../../platform/clock';
import {
  EXCHANGE_RATES_JOB,
  exchangeRateJobHandlers,
  parseEcbRates,
  RatesFormatError,
  refreshExchangeRates,
} from './exchange-rates';

describe('the ECB reference-rate document', () => {
  it('DEV-1: reads the day and every rate per euro; refuses documents without a day, without rates or with a bad rate', () => {
    const rates = parseEcbRates(ecbDocument('2026-12-04', { USD: '1.0523', JPY: '158.45' }));
    expect(rates.date).toBe('2026-12-04');
    expect(Object.fromEntries(rates.perEur)).toEqual({ EUR: '1', USD: '1.0523', JPY: '158.45' });
    const refused = [
      '<html>Service unavailable</html>',
      'not xml <<<',
      ecbDocument('yesterday', { USD: '1.05' }),
      ecbDocument('2026-12-04', {}),
      ecbDocument('2026-12-04', { USD: '-1' }),
      ecbDocument('2026-12-04', { usd: '1.05' }),
    ];
    for (const body of refused) expect(() => parseEcbRates(body), body).toThrow(RatesFormatError);
  });
});

describe.each(databaseTargets())('the daily exchange-rate job on $name', (target) => {
  let t: TestDatabase;
  let ecb: FakeEcb;
  const clock = new ManualClock('2026-12-04T16:30:00.000Z');
  beforeAll(async () => {
    t = await target.create();
    ecb = await startFakeEcb();
  });
  afterAll(async () => {
    await ecb?.close();
    await t?.close();
  });
  const refresh = () =>
    refreshExchangeRates({
      handle: t.handle,
      clock,
      url: ecb.url,
      fetch: createHttpsFetch({ caPem: ecb.caPem }),
    });

  it('DEV-1: stores the day’s rates; a bad answer keeps the last good rates and shows the error', async () => {
    expect(await refresh()).toEqual({ date: '2026-12-04', currencies: 4 });
    const { app, setActor } = await buildTestApp(t.handle, { clock });
    setActor({
      userId: 'u',
      email: 'v@example.com',
      name: 'Vera',
      tenantId: '0190a1b2-0000-7000-8000-000000000001',
      organizationId: '0190a1b2-0000-7000-8000-000000000002',
      role: 'viewer',
      isPlatformAdmin: false,
    });
    const read = async () => (await app.inject({ url: '/api/v1/exchange-rates' })).json();
    const first = await read();
    expect(first.rates).toContainEqual({ currency: 'USD', perEur: '1.0523', date: '2026-12-04' });
    expect(first.source).toMatchObject({ url: ecb.url, rateDate: '2026-12-04', lastError: null });

    clock.advance(86_400_000);
    ecb.answer({ kind: 'body', body: '<html>Maintenance</html>' });
    await expect(refresh()).rejects.toThrow(RatesFormatError);
    ecb.answer({ kind: 'status', status: 503 });
    await expect(refresh()).rejects.toThrow(/HTTP 503/);
    const kept = await read();
    expect(kept.rates).toEqual(first.rates);
    expect(kept.source).toMatchObject({
      rateDate: '2026-12-04',
      lastSuccessAt: '2026-12-04T16:30:00.000Z',
      lastAttemptAt: '2026-12-05T16:30:00.000Z',
      lastError: 'The rate source answered HTTP 503',
    });

    ecb.answer({ kind: 'rates', date: '2026-12-07', rates: { USD: '1.0611', GBP: '0.8400' } });
    await refresh();
    const next = await read();
    expect(next.rates).toContainEqual({ currency: 'USD', perEur: '1.0611', date: '2026-12-07' });
    expect(next.source.lastError).toBeNull();

    // As a daily job, a failure is recorded and logged once, not thrown into retries.
    const warnings: object[] = [];
    const job = exchangeRateJobHandlers({
      handle: t.handle,
      clock,
      url: ecb.url,
      fetch: createHttpsFetch({ caPem: ecb.caPem }),
      logger: { warn: (obj) => warnings.push(obj) },
    })[EXCHANGE_RATES_JOB]!;
    ecb.answer({ kind: 'status', status: 500 });
    const ctx = { signal: new AbortController().signal } as Parameters<typeof job>[1];
    await expect(job({} as Parameters<typeof job>[0], ctx)).resolves.toEqual({
      refreshed: false,
      reason: 'The rate source answered HTTP 500',
    });
    expect(warnings).toEqual([{ reason: 'The rate source answered HTTP 500' }]);
    expect((await read()).rates).toEqual(next.rates);
    await app.close();
  });
});
