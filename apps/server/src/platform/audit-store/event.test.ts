import { describe, expect, it } from 'vitest';
import { actorDigest, canonicalJson, eventHash, GENESIS_HASH } from './event';

const fields = {
  id: '01a224d1-6e7d-7535-84b6-de27a54afcee',
  tenant_id: '01A224D1-0000-7000-8000-000000000001',
  seq: 1,
  occurred_at: '2026-02-09T12:00:00.000Z',
  actor_id: 'user-alex',
  actor_digest: actorDigest('00'.repeat(16), 'alex@example.com', 'Alex Admin'),
  action: 'device.updated',
  target_type: 'device',
  target_id: 'd-1',
  changes: '[{"after":"b","before":"a","field":"name"}]',
  request_id: null,
  prev_hash: GENESIS_HASH,
};

describe('audit event encoding', () => {
  it('SEC-7: the canonical encoding does not depend on key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [{ x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('SEC-7: the hash covers every field and the actor digest covers e-mail, name and salt', () => {
    const hash = eventHash(fields);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash({ ...fields, tenant_id: fields.tenant_id.toLowerCase() })).toBe(hash);
    for (const [key, value] of Object.entries(fields)) {
      const changed = { ...fields, [key]: typeof value === 'number' ? value + 1 : `${value}x` };
      expect(eventHash(changed), key).not.toBe(hash);
    }
    const digest = fields.actor_digest;
    expect(actorDigest('11'.repeat(16), 'alex@example.com', 'Alex Admin')).not.toBe(digest);
    expect(actorDigest('00'.repeat(16), 'alex@example.org', 'Alex Admin')).not.toBe(digest);
    expect(actorDigest('00'.repeat(16), 'alex@example.com', 'Alex Admim')).not.toBe(digest);
  });
});
