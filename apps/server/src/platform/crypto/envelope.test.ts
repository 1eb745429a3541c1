import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  associatedData,
  openBinary,
  openText,
  readKeyVersion,
  SealedValueError,
  sealBinary,
  sealText,
  TAG_BYTES,
} from './envelope';
import type { SealContext } from './keyring';

const key = randomBytes(32);
const ctx: SealContext = {
  tenantId: '0190a5c4-7b1e-7000-8000-000000000001',
  table: 'tenant_secrets',
  column: 'sealed_value',
  rowId: '0190a5c4-7b1e-7000-8000-0000000000aa',
};

const contextArb = fc.record({
  tenantId: fc.uuid(),
  table: fc.string({ minLength: 1, maxLength: 20 }),
  column: fc.string({ minLength: 1, maxLength: 20 }),
  rowId: fc.string({ minLength: 1, maxLength: 40 }),
});
const textArb = fc.string({ unit: 'binary', maxLength: 300 });
const bytesArb = fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a));
const versionArb = fc.integer({ min: 1, max: 0x7fff_ffff });

/** The error a refused value raises; anything else (or success) fails the test. */
function refusal(fn: () => unknown): SealedValueError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SealedValueError) return err;
    throw err;
  }
  throw new Error('The altered value was accepted');
}

function flipBitOfText(sealed: string, bit: number): string {
  const bytes = Buffer.from(sealed, 'latin1');
  const at = bit % (bytes.length * 8);
  bytes[at >> 3] = (bytes[at >> 3] as number) ^ (1 << (at & 7));
  return bytes.toString('latin1');
}

function flipBitOfBytes(sealed: Buffer, bit: number): Buffer {
  const copy = Buffer.from(sealed);
  const at = bit % (copy.length * 8);
  copy[at >> 3] = (copy[at >> 3] as number) ^ (1 << (at & 7));
  return copy;
}

/** The text value with the last `n` bytes of its body (the tag's end) cut off, re-encoded canonically. */
function truncateText(sealed: string, n: number): string {
  const [prefix, version, body] = sealed.split('.');
  const raw = Buffer.from(body as string, 'base64url');
  return `${prefix}.${version}.${raw.subarray(0, raw.length - n).toString('base64url')}`;
}

function relabelText(sealed: string, version: number): string {
  const [prefix, , body] = sealed.split('.');
  return `${prefix}.${version}.${body}`;
}

function relabelBytes(sealed: Buffer, version: number): Buffer {
  const copy = Buffer.from(sealed);
  copy.writeUInt32BE(version, 3);
  return copy;
}

describe('envelope encryption', () => {
  it('SEC-9: open(seal(x)) = x for any text and any context', () => {
    fc.assert(
      fc.property(textArb, contextArb, versionArb, (text, context, version) => {
        const sealed = sealText(key, version, context, text);
        expect(sealed.startsWith(`ts1.${version}.`)).toBe(true);
        expect(readKeyVersion(sealed)).toBe(version);
        expect(openText(key, context, sealed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('SEC-9: open(seal(x)) = x for any bytes', () => {
    fc.assert(
      fc.property(bytesArb, contextArb, versionArb, (bytes, context, version) => {
        const sealed = sealBinary(key, version, context, bytes);
        expect(readKeyVersion(sealed)).toBe(version);
        expect(openBinary(key, context, sealed).equals(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('SEC-9: a single bit flipped anywhere in a sealed text is rejected', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), (text, bit) => {
        const altered = flipBitOfText(sealText(key, 3, ctx, text), bit);
        expect(['malformed', 'authentication_failed']).toContain(
          refusal(() => openText(key, ctx, altered)).code,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('SEC-9: every single bit of one sealed text, flipped in turn, is rejected', () => {
    const sealed = sealText(key, 1, ctx, 'LICENSE-KEY-0042');
    const bits = Buffer.byteLength(sealed, 'latin1') * 8;
    for (let bit = 0; bit < bits; bit++) {
      expect(refusal(() => openText(key, ctx, flipBitOfText(sealed, bit)))).toBeInstanceOf(SealedValueError);
    }
  });

  it('SEC-9: a single bit flipped anywhere in sealed bytes is rejected', () => {
    fc.assert(
      fc.property(bytesArb, fc.nat(), (bytes, bit) => {
        const altered = flipBitOfBytes(sealBinary(key, 3, ctx, bytes), bit);
        expect(['malformed', 'authentication_failed']).toContain(
          refusal(() => openBinary(key, ctx, altered)).code,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('SEC-9: a truncated tag is rejected (Node would accept a 4-byte tag without authTagLength)', () => {
    fc.assert(
      fc.property(textArb, bytesArb, fc.integer({ min: 1, max: TAG_BYTES }), (text, bytes, cut) => {
        refusal(() => openText(key, ctx, truncateText(sealText(key, 1, ctx, text), cut)));
        const sealed = sealBinary(key, 1, ctx, bytes);
        refusal(() => openBinary(key, ctx, sealed.subarray(0, sealed.length - cut)));
      }),
      { numRuns: 300 },
    );
    const sealed = sealText(key, 1, ctx, 'a value long enough that a cut tag leaves a valid length');
    expect(refusal(() => openText(key, ctx, truncateText(sealed, 12))).code).toBe('authentication_failed');
  });

  it('SEC-9: a value moved to another tenant, table, column or row is rejected', () => {
    const other = {
      tenantId: '0190a5c4-7b1e-7000-8000-000000000002',
      table: 'files',
      column: 'content',
      rowId: 'x',
    };
    fc.assert(
      fc.property(
        textArb,
        fc.constantFrom<keyof SealContext>('tenantId', 'table', 'column', 'rowId'),
        (text, field) => {
          const moved = { ...ctx, [field]: other[field] };
          const sealed = sealText(key, 1, ctx, text);
          expect(refusal(() => openText(key, moved, sealed)).code).toBe('authentication_failed');
          const sealedBytes = sealBinary(key, 1, ctx, Buffer.from(text));
          expect(refusal(() => openBinary(key, moved, sealedBytes)).code).toBe('authentication_failed');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('SEC-9: fields are length-prefixed, so shifting text between them changes the associated data', () => {
    const a = associatedData({ tenantId: ctx.tenantId, table: 'ab', column: 'c', rowId: 'r' }, 1);
    const b = associatedData({ tenantId: ctx.tenantId, table: 'a', column: 'bc', rowId: 'r' }, 1);
    expect(a.equals(b)).toBe(false);
  });

  it('SEC-9: a wrong key version in the header is rejected', () => {
    fc.assert(
      fc.property(textArb, versionArb, versionArb, (text, version, wrong) => {
        fc.pre(version !== wrong);
        const sealed = sealText(key, version, ctx, text);
        expect(refusal(() => openText(key, ctx, relabelText(sealed, wrong))).code).toBe(
          'authentication_failed',
        );
        const sealedBytes = sealBinary(key, version, ctx, Buffer.from(text));
        expect(refusal(() => openBinary(key, ctx, relabelBytes(sealedBytes, wrong))).code).toBe(
          'authentication_failed',
        );
      }),
      { numRuns: 300 },
    );
  });

  it('SEC-9: two seals of one value differ', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        expect(sealText(key, 1, ctx, text)).not.toBe(sealText(key, 1, ctx, text));
        const bytes = Buffer.from(text);
        expect(sealBinary(key, 1, ctx, bytes).equals(sealBinary(key, 1, ctx, bytes))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('SEC-9: another key does not open a value, and errors carry neither plaintext nor key', () => {
    const sealed = sealText(key, 1, ctx, 'LICENSE-CANARY-visible?');
    const err = refusal(() => openText(randomBytes(32), ctx, sealed));
    expect(err.code).toBe('authentication_failed');
    expect(err.message).not.toContain('LICENSE-CANARY');
    expect(err.message).not.toContain(key.toString('hex'));
    expect(err.message).not.toContain(key.toString('base64'));
  });

  it('SEC-9: headers that are not the canonical format are malformed', () => {
    const sealed = sealText(key, 7, ctx, 'x');
    const body = sealed.split('.')[2] as string;
    for (const bad of [
      '',
      'plain text',
      `ts2.7.${body}`,
      `ts1.07.${body}`,
      `ts1.0.${body}`,
      `ts1.7.${body}=`,
      `ts1.7.${body.slice(0, -1)}+`,
      `ts1.99999999999.${body}`,
      'ts1.7.AAAA',
    ]) {
      expect(refusal(() => openText(key, ctx, bad)).code).toBe('malformed');
    }
    expect(refusal(() => readKeyVersion(Buffer.from('TS'))).code).toBe('malformed');
    expect(refusal(() => readKeyVersion(Buffer.from([0x54, 0x53, 0x01, 0, 0, 0, 0]))).code).toBe('malformed');
  });
});
