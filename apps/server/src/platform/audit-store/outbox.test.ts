import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type FieldChange } from './event';
import { changesJson } from './outbox';

const scalar = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ unit: 'grapheme' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
);

describe('audit outbox field changes', () => {
  it('SEC-7: the fast writer of scalar changes gives exactly the canonical JSON the audit chain hashes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ field: fc.string({ unit: 'grapheme' }), before: scalar, after: scalar })),
        (changes) => {
          const canonical = canonicalJson(
            changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
          );
          // A missing value (undefined from JavaScript callers) is written as null, as the general path does.
          expect(changesJson(changes as FieldChange[])).toBe(canonical);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('SEC-7: changes holding objects take the general canonical path', () => {
    const changes = [{ field: 'attributes', before: null, after: { b: 2, a: 1 } as never }];
    expect(changesJson(changes)).toBe('[{"after":{"a":1,"b":2},"before":null,"field":"attributes"}]');
  });
});
