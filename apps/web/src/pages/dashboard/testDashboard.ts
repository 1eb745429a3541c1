import type { DeviceDashboard } from '@thestorage/contracts';

export const SOONEST_IDS = [1, 2, 3, 4, 5].map((n) => `0193b000-0000-7000-8000-00000000e00${n}`);

/** The dashboard figures of a tenant with 280 devices (DASH-1). */
export function deviceFigures(overrides: Partial<DeviceDashboard> = {}): DeviceDashboard {
  return {
    total: 280,
    byStatus: {
      new: 20,
      in_use: 150,
      in_service: 10,
      used: 40,
      missing: 6,
      damaged: 4,
      charity: 2,
      discarded: 30,
      eol: 8,
      store: 10,
    },
    risky: { missing: 6, damaged: 4, eol: 8 },
    coverage: { assigned: 150, total: 280 },
    warrantiesExpiring: {
      count: 7,
      soonest: SOONEST_IDS.map((id, i) => ({
        id,
        number: 200 + i,
        name: `Dell Latitude ${i + 1}`,
        warrantyEnd: `2030-02-0${i + 1}`,
      })),
    },
    inventoryValue: {
      currency: 'EUR',
      amount: '312450.00',
      deviceCount: 270,
      byCurrency: [
        {
          currency: 'EUR',
          amount: '300000.00',
          deviceCount: 260,
          converted: { amount: '300000.00', currency: 'EUR', rate: '1', rateDate: null, source: 'same' },
        },
        {
          currency: 'USD',
          amount: '13102.08',
          deviceCount: 10,
          converted: {
            amount: '12450.00',
            currency: 'EUR',
            rate: '0.950299',
            rateDate: '2030-01-14',
            source: 'ecb',
          },
        },
      ],
      withoutCurrency: 0,
    },
    ...overrides,
  };
}
