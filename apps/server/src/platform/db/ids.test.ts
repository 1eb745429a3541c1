import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids';

describe('row ids', () => {
  it('DEV-12: ids are distinct UUIDv7 in creation order (an import makes 100,000 at once), so they never collide and index well', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    // The time prefix is now's milliseconds.
    const ms = Number.parseInt(newId().replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(1_000);
  });
});
