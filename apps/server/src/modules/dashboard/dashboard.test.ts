import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { type DevicesHarness, startDevicesHarness } from '../devices/devices-test-harness';

describe.each(databaseTargets())('device dashboard on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
  });
  afterAll(() => h?.close());

  it('DASH-1: counts by status, risky devices, coverage and warranties within 90 days, each matching its list filter', async () => {
    h.signIn('operator');
    const empty = await h.call('GET', '/dashboard/devices');
    expect(empty.body).toMatchObject({
      total: 0,
      coverage: { assigned: 0, total: 0 },
      warrantiesExpiring: { count: 0 },
    });

    // The harness clock starts on 2026-03-01.
    const devices: object[] = [
      { name: 'Laptop 1', warrantyEnd: '2026-03-01' },
      {
        name: 'Laptop 2',
        warrantyEnd: '2026-05-30',
        assignee: { kind: 'employee', reference: h.people[0]!.reference },
      },
      { name: 'Laptop 3', warrantyEnd: '2026-05-31' },
      { name: 'Laptop 4', warrantyEnd: '2026-02-28', status: 'missing' },
      { name: 'Phone 1', status: 'damaged' },
      { name: 'Phone 2', status: 'eol', assignee: { kind: 'employee', reference: h.people[1]!.reference } },
      { name: 'Phone 3', status: 'discarded' },
    ];
    for (const device of devices) expect((await h.call('POST', '/devices', device)).status).toBe(200);

    const { body } = await h.call('GET', '/dashboard/devices');
    expect(body).toMatchObject({
      total: 7,
      byStatus: { new: 2, in_use: 1, missing: 1, damaged: 1, eol: 1, discarded: 1, used: 0, charity: 0 },
      risky: { missing: 1, damaged: 1, eol: 1 },
      coverage: { assigned: 2, total: 7 },
    });
    // 2026-03-01 + 90 days = 2026-05-30: today and that day count, the day after does not.
    expect(body.warrantiesExpiring.count).toBe(2);
    expect(body.warrantiesExpiring.soonest.map((d: { name: string }) => d.name)).toEqual([
      'Laptop 1',
      'Laptop 2',
    ]);

    const total = async (query: string) => (await h.call('GET', `/devices?${query}`)).body.total;
    expect(await total('warranty=expiring')).toBe(body.warrantiesExpiring.count);
    expect(await total('warranty=expired')).toBe(1);
    expect(await total('warranty=unknown')).toBe(3);
    expect(await total('status=missing,damaged,eol')).toBe(3);
    expect(await total('assignee=assigned')).toBe(body.coverage.assigned);
    h.signIn('employee');
    expect((await h.call('GET', '/dashboard/devices')).status).toBe(403);
  });
});
