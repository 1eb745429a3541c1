import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../clock';
import type { DB } from '../db/schema';
import { withSystem, withTenant } from '../db/tenant-scope';
import { seedTwoTenants } from '../jobs/testing';
import { readKeyVersion, SealedValueError } from './envelope';
import { kekLabel } from './keks';
import type { KeyProvider } from './key-provider';
import type { SealContext } from './keyring';
import { createKeyring } from './keyring-service';
import { createLocalKeyProvider } from './local-key-provider';

const contextOf = (tenantId: string, rowId: string): SealContext => ({
  tenantId,
  table: 'tenant_secrets',
  column: 'sealed_value',
  rowId,
});

/** A database handle that fails on any use: proves a code path runs no query. */
const noQueries = new Proxy({} as Kysely<DB>, {
  get(_target, property) {
    if (property === 'isTransaction') return true;
    throw new Error(`a query was attempted (${String(property)})`);
  },
});

/** Makes `parties` callers meet (or a moment pass) before going on, so key creations overlap. */
function meetingPoint(parties: number): () => Promise<void> {
  let waiting: (() => void)[] = [];
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length >= parties) {
        for (const release of waiting) release();
        waiting = [];
      } else {
        setTimeout(resolve, 500);
      }
    });
}

/** Holds every createKek and wrapKey call at the meeting point: both nodes find no KEK and no key. */
function racingProvider(inner: KeyProvider, meet: () => Promise<void>): KeyProvider {
  return {
    ...inner,
    async createKek(label) {
      await meet();
      return inner.createKek(label);
    },
    async wrapKey(kekId, dataKey) {
      await meet();
      return inner.wrapKey(kekId, dataKey);
    },
  };
}

describe.each(databaseTargets())('$name keyring', (target) => {
  let t: TestDatabase;
  let dir: string;
  let provider: KeyProvider;
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await target.create();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-keyring-'));
    provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const keyRows = (tenantId: string) =>
    withSystem(t.handle, (trx) =>
      trx
        .selectFrom('tenant_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('version')
        .execute(),
    );

  it("SEC-9: a tenant's first seal creates its data key, stored only wrapped by the tenant's own KEK", async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    const keyring = createKeyring({ provider, clock });
    const sealed = await withTenant(t.handle, a, (trx) => keyring.seal(trx, contextOf(a, 'row-1'), 'hello'));
    expect(readKeyVersion(sealed)).toBe(1);
    const rows = await keyRows(a);
    expect(rows).toHaveLength(1);
    const kekId = await provider.findKek(kekLabel('tenant', a));
    expect(kekId).toMatch(new RegExp(`^tenant:${a}@`));
    expect(rows[0]).toMatchObject({ version: 1, state: 'active', master_key_id: kekId });
    // RFC 5649 wrapping of 32 bytes is 40 bytes; the row holds no 32-byte raw key.
    expect(Buffer.from(rows[0]?.wrapped_key as Buffer)).toHaveLength(40);
    const fresh = createKeyring({ provider, clock });
    expect(await withTenant(t.handle, a, (trx) => fresh.open(trx, contextOf(a, 'row-1'), sealed))).toBe(
      'hello',
    );
  });

  it('SEC-9: with the key cached, sealing and opening run no query; after the cache TTL they read again', async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    const keyring = createKeyring({ provider, clock, cacheTtlMs: 60_000 });
    const ctx = contextOf(a, 'row-2');
    const first = await withTenant(t.handle, a, (trx) => keyring.seal(trx, ctx, 'cached'));
    // The key was created in that transaction; a new one reads it once (committed) and caches it.
    await withTenant(t.handle, a, (trx) => keyring.open(trx, ctx, first));
    const sealed = await keyring.seal(noQueries, ctx, 'no query');
    expect(await keyring.open(noQueries, ctx, sealed)).toBe('no query');
    expect(
      await keyring.openBytes(noQueries, ctx, await keyring.sealBytes(noQueries, ctx, Buffer.from([1, 2]))),
    ).toEqual(Buffer.from([1, 2]));
    clock.advance(60_001);
    await expect(keyring.open(noQueries, ctx, sealed)).rejects.toThrow('a query was attempted');
  });

  it('SEC-9: a key created in a transaction that rolled back is never used afterwards', async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    const keyring = createKeyring({ provider, clock });
    const ctx = contextOf(a, 'row-3');
    await expect(
      withTenant(t.handle, a, async (trx) => {
        await keyring.seal(trx, ctx, 'lost with the transaction');
        throw new Error('the unit of work failed');
      }),
    ).rejects.toThrow('the unit of work failed');
    expect(await keyRows(a)).toHaveLength(0);
    const sealed = await withTenant(t.handle, a, (trx) => keyring.seal(trx, ctx, 'kept'));
    expect(await keyRows(a)).toHaveLength(1);
    const otherNode = createKeyring({ provider, clock });
    expect(await withTenant(t.handle, a, (trx) => otherNode.open(trx, ctx, sealed))).toBe('kept');
  });

  it("SEC-12: two nodes creating a tenant's first key at once end with one KEK and one active key both use", async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    const meet = meetingPoint(2);
    // Each node has its own provider instance on the one key file.
    const nodes = [0, 1].map(() =>
      createKeyring({
        provider: racingProvider(createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock }), meet),
        clock,
      }),
    );
    const sealed = await Promise.all(
      nodes.map((node, i) =>
        withTenant(t.handle, a, (trx) => node.seal(trx, contextOf(a, `race-${i}`), `value ${i}`)),
      ),
    );
    const rows = await keyRows(a);
    expect(rows.map((r) => [r.version, r.state])).toEqual([[1, 'active']]);
    const keyFile = JSON.parse(fs.readFileSync(path.join(dir, 'keys.json'), 'utf8')) as {
      keks: { id: string; label: string }[];
    };
    const keks = keyFile.keks.filter((k) => k.label.startsWith(`tenant:${a}`));
    expect(keks.map((k) => k.id)).toEqual([rows[0]?.master_key_id]);
    const third = createKeyring({ provider, clock });
    for (const [i, value] of sealed.entries()) {
      expect(await withTenant(t.handle, a, (trx) => third.open(trx, contextOf(a, `race-${i}`), value))).toBe(
        `value ${i}`,
      );
    }
  });

  it("SEC-9: a tenant's key never opens another tenant's value", async () => {
    const { a, b } = await seedTwoTenants(t.handle, clock);
    const keyring = createKeyring({ provider, clock });
    const sealedForA = await withTenant(t.handle, a, (trx) =>
      keyring.seal(trx, contextOf(a, 'row-4'), 'only A'),
    );
    await withTenant(t.handle, b, (trx) => keyring.seal(trx, contextOf(b, 'row-4'), 'B has its own key'));
    const err = await withTenant(t.handle, b, (trx) =>
      keyring.open(trx, contextOf(b, 'row-4'), sealedForA),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealedValueError);
    expect((err as SealedValueError).code).toBe('authentication_failed');
  });
});
