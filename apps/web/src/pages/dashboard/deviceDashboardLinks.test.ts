import { describe, expect, it } from 'vitest';
import { coveragePercent, devicesCount } from './deviceDashboardLinks';

describe('dashboard figures', () => {
  it('DASH-1: coverage is a whole per cent rounded down, so 100% only when every device is assigned', () => {
    expect(coveragePercent({ assigned: 150, total: 280 })).toBe(53);
    expect(coveragePercent({ assigned: 279, total: 280 })).toBe(99);
    expect(coveragePercent({ assigned: 280, total: 280 })).toBe(100);
    expect(coveragePercent({ assigned: 0, total: 280 })).toBe(0);
    expect(coveragePercent({ assigned: 0, total: 0 })).toBeNull();
  });

  it('DASH-1: counts read as devices', () => {
    expect(devicesCount(1)).toBe('1 device');
    expect(devicesCount(0)).toBe('0 devices');
    expect(devicesCount(12_345)).toBe('12,345 devices');
  });
});
