import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatKekId, highestKekVersion, kekLabel, parseKekId, parseKekLabel } from './keks';

describe('KEK labels and ids', () => {
  it('SEC-12: labels name the owner and the version; ids carry the label, so the version of a stored KEK is known', () => {
    const tenant = randomUUID();
    expect(kekLabel('tenant', tenant)).toBe(`tenant:${tenant}`);
    expect(kekLabel('organization', tenant.toUpperCase(), 3)).toBe(`organization:${tenant}:v3`);
    expect(parseKekLabel(`tenant:${tenant}:v2`)).toEqual({ owner: 'tenant', ownerId: tenant, version: 2 });
    for (const bad of [
      'tenant',
      `tenant:${tenant}:v0`,
      `tenant:${tenant}:2`,
      `person:${tenant}`,
      'tenant:x',
    ]) {
      expect(parseKekLabel(bad)).toBeUndefined();
    }
    const id = formatKekId(kekLabel('tenant', tenant, 4), 'ab12');
    expect(parseKekId(id)).toEqual({
      label: `tenant:${tenant}:v4`,
      ref: 'ab12',
      kek: { owner: 'tenant', ownerId: tenant, version: 4 },
    });
    for (const bad of [`tenant:${tenant}`, `tenant:${tenant}@`, `tenant:${tenant}@../x`, 'local-v1']) {
      expect(parseKekId(bad)).toBeUndefined();
    }
    const other = randomUUID();
    const ids = [
      formatKekId(kekLabel('tenant', tenant), 'a1'),
      formatKekId(kekLabel('tenant', tenant, 3), 'b2'),
      formatKekId(kekLabel('tenant', other, 7), 'c3'),
    ];
    expect(highestKekVersion(ids, 'tenant', tenant)).toBe(3);
    expect(highestKekVersion(ids, 'organization', tenant)).toBe(0);
  });
});
