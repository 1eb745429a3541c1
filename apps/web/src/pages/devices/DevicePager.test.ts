import { describe, expect, it } from 'vitest';
import { rangeLabel } from './DevicePager';

describe('the device range label', () => {
  it('DEV-9: shows where the page sits, and "10,000+" when the server stopped counting', () => {
    expect(rangeLabel(0, 20, 20, 45)).toBe('1–20 of 45');
    expect(rangeLabel(2, 20, 5, 45)).toBe('41–45 of 45');
    expect(rangeLabel(0, 50, 0, 0)).toBe('0 of 0');
    expect(rangeLabel(1, 50, 50, 10_000, true)).toBe('51–100 of 10,000+');
  });
});
