import { describe, expect, it } from 'vitest';
import { DeviceTotals, deviceTotalsOf } from './totals-cache';

describe('kept list totals', () => {
  it('DEV-9: a total is kept per tenant, devices version and filters, for a minute, the oldest going first when full', () => {
    // Far from the epoch: lru-cache reads time 0 as "never".
    let now = 1_000_000;
    const totals = new DeviceTotals(2, 60_000, () => now);
    const key = (version: number, filters: unknown) => DeviceTotals.key('tenant-1', version, filters);
    totals.set(key(1, ['laptop']), 12);
    expect(totals.get(key(1, ['laptop']))).toBe(12);
    // Another version, filters or tenant is another total.
    expect(totals.get(key(2, ['laptop']))).toBeUndefined();
    expect(totals.get(key(1, ['phone']))).toBeUndefined();
    expect(totals.get(DeviceTotals.key('tenant-2', 1, ['laptop']))).toBeUndefined();
    // Full: the least recently used entry leaves.
    totals.set(key(1, ['phone']), 3);
    totals.set(key(1, ['tablet']), 4);
    expect(totals.get(key(1, ['laptop']))).toBeUndefined();
    expect(totals.get(key(1, ['phone']))).toBe(3);
    // Past a minute it is counted again.
    now += 60_001;
    expect(totals.get(key(1, ['tablet']))).toBeUndefined();
  });

  it('DEV-9: each database has totals of its own', () => {
    const first = {};
    expect(deviceTotalsOf(first)).toBe(deviceTotalsOf(first));
    expect(deviceTotalsOf({})).not.toBe(deviceTotalsOf(first));
  });
});
