import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertAmount,
  inventoryValue,
  manualRateInUse,
  minorUnits,
  type RateTable,
  rateTable,
} from './conversion';
import { addDecimals, parseDecimal, toFixed, toSignificant } from './decimal';

const ecb = (date: string, rates: Record<string, string>) =>
  Object.entries(rates).map(([currency, perEur]) => ({ currency, perEur, date }));
const table = (rates: Record<string, string>, date = '2026-12-04'): RateTable =>
  rateTable(ecb(date, rates), []);

describe('exact decimals', () => {
  it('DEV-1: parses, rounds half-up to a scale and to significant digits without binary floating point', () => {
    expect(parseDecimal('1299.90')).toEqual({ n: 129990n, d: 100n });
    expect(() => parseDecimal('12,50')).toThrow(RangeError);
    expect(() => parseDecimal('-1')).toThrow(RangeError);
    expect(toFixed({ n: 1n, d: 3n }, 2)).toBe('0.33');
    expect(toFixed({ n: 2n, d: 3n }, 2)).toBe('0.67');
    expect(toFixed({ n: 5n, d: 1000n }, 2)).toBe('0.01');
    expect(toFixed({ n: 4999n, d: 1000n }, 0)).toBe('5');
    expect(toFixed({ n: 4499n, d: 1000n }, 0)).toBe('4');
    expect(toFixed({ n: 7n, d: 1n }, 3)).toBe('7.000');
    expect(toSignificant({ n: 10000n, d: 1625300n }, 6)).toBe('0.00615271');
    expect(toSignificant(parseDecimal('1.05230'), 6)).toBe('1.0523');
    expect(toSignificant(parseDecimal('158.45'), 6)).toBe('158.45');
    expect(toSignificant(parseDecimal('12345678.9'), 6)).toBe('12345679');
    // 0.1 + 0.2 is 0.30000000000000004 in floating point; here it is 0.3.
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('999999999999.99', '0.01')).toBe('1000000000000.00');
  });

  it('DEV-1: adding prices is exact for any prices a device may carry (property)', () => {
    const price = fc
      .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 99 }))
      .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.array(price, { minLength: 1, maxLength: 30 }), (prices) => {
        const cents = prices.reduce((sum, p) => sum + BigInt(p.replace('.', '')), 0n);
        const expected = toFixed({ n: cents, d: 100n }, 2);
        expect(prices.reduce((sum, p) => addDecimals(sum, p), '0.00')).toBe(expected);
      }),
    );
  });
});

describe('converting a price into the default currency', () => {
  const rates = table({ USD: '1.0523', JPY: '158.45', GBP: '0.83090', KWD: '0.3245' });

  it('DEV-1: converts through the euro cross rate, rounded to the minor units of the default currency', () => {
    expect(convertAmount('1000.00', 'USD', 'EUR', rates)).toEqual({
      amount: '950.30',
      currency: 'EUR',
      rate: '0.950299',
      rateDate: '2026-12-04',
      source: 'ecb',
    });
    // 1000 EUR in USD is exact: 1052.30.
    expect(convertAmount('1000', 'EUR', 'USD', rates)?.amount).toBe('1052.30');
    // USD → JPY: 1299.99 × 158.45 / 1.0523 = 195745.904… → 195746 (the yen has no minor unit).
    expect(convertAmount('1299.99', 'USD', 'JPY', rates)).toMatchObject({
      amount: '195746',
      rate: '150.575',
    });
    // Dinar: three decimals.
    expect(convertAmount('100', 'EUR', 'KWD', rates)?.amount).toBe('32.450');
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
  });

  it('DEV-1: the amount comes from the exact rates, not from the rounded rate shown', () => {
    // GBP → USD is 1.0523 / 0.8309 = 1.266458057…; shown as 1.26646. On 10,000,000.00 GBP the shown rate
    // would give 12,664,600.00; the exact one gives 12,664,580.5752… → 12,664,580.58.
    const converted = convertAmount('10000000.00', 'GBP', 'USD', rates);
    expect(converted).toMatchObject({ rate: '1.26646', amount: '12664580.58' });
  });

  it('DEV-1: the same currency is not converted (rate 1, no date); no price, no currency or no rate gives null', () => {
    expect(convertAmount('1299.9', 'EUR', 'EUR', rates)).toEqual({
      amount: '1299.90',
      currency: 'EUR',
      rate: '1',
      rateDate: null,
      source: 'same',
    });
    expect(convertAmount(null, 'USD', 'EUR', rates)).toBeNull();
    expect(convertAmount('10', null, 'EUR', rates)).toBeNull();
    expect(convertAmount('10', 'ARS', 'EUR', rates)).toBeNull();
    // A default currency without a rate converts nothing but itself.
    expect(convertAmount('10', 'USD', 'ARS', rates)).toBeNull();
    expect(convertAmount('10', 'ARS', 'ARS', rates)?.source).toBe('same');
  });
});

describe('which rate a currency uses', () => {
  const manual = [
    { currency: 'USD', perEur: '1.10', updatedAt: '2026-11-30T10:00:00.000Z' },
    { currency: 'ARS', perEur: '1050.5', updatedAt: '2026-12-01T08:00:00.000Z' },
    { currency: 'RUB', perEur: '99.5', updatedAt: '2026-12-02T08:00:00.000Z' },
  ];
  // RUB was dropped by the ECB: its last published rate is older than the newest set. TRY is old as well.
  const published = [
    ...ecb('2026-12-04', { USD: '1.0523', JPY: '158.45' }),
    ...ecb('2022-03-01', { RUB: '117.3', TRY: '15.5' }),
    { currency: 'EUR', perEur: '1', date: '2026-12-04' },
  ];

  it('DEV-1: the ECB wins; a manual rate is the fallback, also for a currency the ECB stopped publishing', () => {
    const rates = rateTable(published, manual);
    expect(Object.fromEntries(rates)).toEqual({
      USD: { perEur: '1.0523', date: '2026-12-04', source: 'ecb' },
      JPY: { perEur: '158.45', date: '2026-12-04', source: 'ecb' },
      ARS: { perEur: '1050.5', date: '2026-12-01', source: 'manual' },
      RUB: { perEur: '99.5', date: '2026-12-02', source: 'manual' },
      TRY: { perEur: '15.5', date: '2022-03-01', source: 'ecb' },
    });
    expect(manualRateInUse(rates, 'USD')).toBe(false);
    expect(manualRateInUse(rates, 'ARS')).toBe(true);
    // A cross rate through a manual rate says so and carries the older date.
    expect(convertAmount('1050.50', 'ARS', 'USD', rates)).toEqual({
      amount: '1.05',
      currency: 'USD',
      rate: '0.00100171',
      rateDate: '2026-12-01',
      source: 'manual',
    });
  });

  it('DEV-1: without any ECB rates (offline install) manual rates still convert', () => {
    const rates = rateTable([], manual);
    expect(convertAmount('100', 'EUR', 'USD', rates)).toMatchObject({ amount: '110.00', source: 'manual' });
    expect(convertAmount('110', 'USD', 'EUR', rates)).toMatchObject({ amount: '100.00', rate: '0.909091' });
  });
});

describe('the inventory value', () => {
  it('DEV-1: sums per currency converted once, added up exactly; no rate and no currency listed apart', () => {
    const rates = table({ USD: '1.0523', JPY: '158.45' });
    const value = inventoryValue(
      [
        { currency: 'USD', cents: '210460', deviceCount: 2 },
        { currency: 'EUR', cents: '129990', deviceCount: 1 },
        { currency: 'ARS', cents: '100000000', deviceCount: 3 },
        { currency: null, cents: '5000', deviceCount: 1 },
        { currency: 'JPY', cents: '15845000', deviceCount: 1 },
      ],
      'EUR',
      rates,
    );
    expect(value).toEqual({
      currency: 'EUR',
      // 1299.90 + 2000.00 (2104.60 USD) + 1000.00 (158450 JPY)
      amount: '4299.90',
      deviceCount: 4,
      byCurrency: [
        { currency: 'ARS', amount: '1000000.00', deviceCount: 3, converted: null },
        {
          currency: 'EUR',
          amount: '1299.90',
          deviceCount: 1,
          converted: { amount: '1299.90', currency: 'EUR', rate: '1', rateDate: null, source: 'same' },
        },
        {
          currency: 'JPY',
          amount: '158450.00',
          deviceCount: 1,
          converted: {
            amount: '1000.00',
            currency: 'EUR',
            rate: '0.00631114',
            rateDate: '2026-12-04',
            source: 'ecb',
          },
        },
        {
          currency: 'USD',
          amount: '2104.60',
          deviceCount: 2,
          converted: {
            amount: '2000.00',
            currency: 'EUR',
            rate: '0.950299',
            rateDate: '2026-12-04',
            source: 'ecb',
          },
        },
      ],
      withoutCurrency: 1,
    });
    expect(inventoryValue([], 'JPY', rates)).toEqual({
      currency: 'JPY',
      amount: '0',
      deviceCount: 0,
      byCurrency: [],
      withoutCurrency: 0,
    });
  });
});
