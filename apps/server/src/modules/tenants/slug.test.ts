import { ErrorCode } from '@thestorage/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors';
import { normaliseSlug, RESERVED_SLUGS } from './slug';

const refusal = (input: string): string => {
  try {
    normaliseSlug(input);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(ErrorCode.ValidationFailed);
    return (err as AppError).message;
  }
  throw new Error(`"${input}" was accepted`);
};

describe('tenant address (slug)', () => {
  it('accepts letters, digits and "-" and returns lower case', () => {
    expect(normaliseSlug('Acme-Berlin-2')).toBe('acme-berlin-2');
    expect(normaliseSlug('  boston ')).toBe('boston');
    expect(normaliseSlug('ab')).toBe('ab');
    expect(normaliseSlug('a'.repeat(40))).toBe('a'.repeat(40));
  });

  it('names the length rule', () => {
    expect(refusal('a')).toMatch(/2 to 40 characters/);
    expect(refusal('a'.repeat(41))).toMatch(/2 to 40 characters/);
    expect(refusal('')).toMatch(/2 to 40 characters/);
  });

  it('names the character rule', () => {
    for (const bad of ['acme_berlin', 'acme berlin', 'acmé', 'acme.com', 'acme/x', 'ünïcode']) {
      expect(refusal(bad)).toMatch(/only letters, digits and "-"/);
    }
  });

  it('refuses a leading or trailing "-"', () => {
    expect(refusal('-acme')).toMatch(/start or end/);
    expect(refusal('acme-')).toMatch(/start or end/);
  });

  it('refuses reserved words in any case', () => {
    for (const word of RESERVED_SLUGS) expect(refusal(word.toUpperCase())).toMatch(/reserved/);
    expect(refusal('Dev-IdP')).toMatch(/reserved/);
  });

  it('accepts exactly the strings of the rule (property)', () => {
    const allowed = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';
    const candidate = fc.oneof(
      fc.string({ unit: fc.constantFrom(...allowed), minLength: 0, maxLength: 45 }),
      fc.string({ maxLength: 45 }),
    );
    fc.assert(
      fc.property(candidate, (input) => {
        const s = input.trim().toLowerCase();
        const valid =
          /^[a-z0-9-]{2,40}$/.test(s) && !s.startsWith('-') && !s.endsWith('-') && !RESERVED_SLUGS.has(s);
        let result: string | undefined;
        try {
          result = normaliseSlug(input);
        } catch (err) {
          expect((err as AppError).code).toBe(ErrorCode.ValidationFailed);
        }
        expect(result !== undefined).toBe(valid);
        if (result !== undefined) {
          expect(result).toBe(s);
          expect(normaliseSlug(result)).toBe(result);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
