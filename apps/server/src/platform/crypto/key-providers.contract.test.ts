import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerTargets } from '../../../../../test/support/key-provider-targets';
import { ManualClock } from '../clock';
import { destroyKeks, kekLabel } from './keks';
import { type KeyProvider, KeyProviderError } from './key-provider';

const clock = new ManualClock();

const expectProviderError = async (promise: Promise<unknown>, code: KeyProviderError['code']) => {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(KeyProviderError);
  expect((error as KeyProviderError).code).toBe(code);
  return error as KeyProviderError;
};

const tenantLabel = (version = 1) => kekLabel('tenant', randomUUID(), version);

describe.each(providerTargets(clock))('key provider contract: $name', (target) => {
  let provider: KeyProvider;

  beforeAll(async () => {
    await target.start();
    provider = target.open();
  });
  afterAll(async () => {
    await provider?.close();
    await target.stop();
  });

  /** A provider on the same store, as after a restart or on another node. */
  async function withRestarted<T>(fn: (restarted: KeyProvider) => Promise<T>): Promise<T> {
    const restarted = target.open();
    try {
      return await fn(restarted);
    } finally {
      await restarted.close();
    }
  }

  it('SEC-10: ping succeeds on a usable provider', async () => {
    await expect(provider.ping()).resolves.toBeUndefined();
  });

  it('SEC-12: createKek is idempotent per label, across calls and across a new provider on the same store', async () => {
    const label = tenantLabel();
    expect(await provider.findKek(label)).toBeUndefined();
    const first = await provider.createKek(label);
    expect(first.startsWith(`${label}@`)).toBe(true);
    expect(await provider.createKek(label)).toBe(first);
    expect(await provider.findKek(label)).toBe(first);
    await withRestarted(async (restarted) => {
      expect(await restarted.createKek(label)).toBe(first);
    });
    const other = await provider.createKek(kekLabel('organization', randomUUID()));
    expect(other).not.toBe(first);
  });

  it('SEC-10: createKek refuses a label that is not tenant:/organization:<uuid>[:vN]', async () => {
    for (const label of [
      'master',
      `tenant:${randomUUID()}:v0`,
      'tenant:not-a-uuid',
      `user:${randomUUID()}`,
    ]) {
      await expectProviderError(provider.createKek(label), 'refused');
    }
  });

  it('SEC-10: wrap then unwrap returns a random 32-byte data key, and the wrapped form does not contain it', async () => {
    const id = await provider.createKek(tenantLabel());
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrapKey(id, dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(wrapped.length).toBeGreaterThan(dataKey.length);
    expect((await provider.unwrapKey(id, wrapped)).equals(dataKey)).toBe(true);
    await expectProviderError(provider.wrapKey(id, randomBytes(16)), 'refused');
  });

  it('SEC-10: a tampered wrapped key does not unwrap', async () => {
    const id = await provider.createKek(tenantLabel());
    const wrapped = await provider.wrapKey(id, randomBytes(32));
    for (const index of [0, Math.floor(wrapped.length / 2), wrapped.length - 1]) {
      const tampered = Buffer.from(wrapped);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      await expectProviderError(provider.unwrapKey(id, tampered), 'unwrap_failed');
    }
  });

  it('SEC-10: wrapping or unwrapping with an unknown KEK id fails with KeyProviderError', async () => {
    const wrapped = await provider.wrapKey(await provider.createKek(tenantLabel()), randomBytes(32));
    const unknown = `${tenantLabel()}@${'0'.repeat(32)}`;
    await expectProviderError(provider.unwrapKey(unknown, wrapped), 'unknown_kek');
    await expectProviderError(provider.unwrapKey('no-such-key', wrapped), 'unknown_kek');
    await expectProviderError(provider.wrapKey(unknown, randomBytes(32)), 'unknown_kek');
  });

  it('SEC-10: a rotated KEK (label :v2) is a new key; keys wrapped under the first still unwrap under it alone', async () => {
    const owner = randomUUID();
    const oldId = await provider.createKek(kekLabel('tenant', owner));
    const dataKey = randomBytes(32);
    const wrappedOld = await provider.wrapKey(oldId, dataKey);
    const newId = await provider.createKek(kekLabel('tenant', owner, 2));
    expect(newId).not.toBe(oldId);
    expect((await provider.unwrapKey(oldId, wrappedOld)).equals(dataKey)).toBe(true);
    const wrappedNew = await provider.wrapKey(newId, dataKey);
    expect((await provider.unwrapKey(newId, wrappedNew)).equals(dataKey)).toBe(true);
    // A key wrapped under one KEK is not accepted under another.
    await expect(provider.unwrapKey(newId, wrappedOld)).rejects.toBeInstanceOf(KeyProviderError);
    await withRestarted(async (restarted) => {
      expect((await restarted.unwrapKey(oldId, wrappedOld)).equals(dataKey)).toBe(true);
    });
  });

  it('SEC-12: destroyKek makes wrap and unwrap with it fail, also after a restart, while other KEKs keep working', async () => {
    const doomed = await provider.createKek(tenantLabel());
    const kept = await provider.createKek(tenantLabel());
    const dataKey = randomBytes(32);
    const wrappedDoomed = await provider.wrapKey(doomed, dataKey);
    const wrappedKept = await provider.wrapKey(kept, dataKey);

    await provider.destroyKek(doomed);
    await expectProviderError(provider.unwrapKey(doomed, wrappedDoomed), 'unknown_kek');
    await expectProviderError(provider.wrapKey(doomed, dataKey), 'unknown_kek');
    expect(await provider.findKek(doomed.slice(0, doomed.lastIndexOf('@')))).toBeUndefined();
    await withRestarted(async (restarted) => {
      await expectProviderError(restarted.unwrapKey(doomed, wrappedDoomed), 'unknown_kek');
      expect((await restarted.unwrapKey(kept, wrappedKept)).equals(dataKey)).toBe(true);
    });
    // Destroying again is not an error: two nodes may shred the same tenant.
    await expect(provider.destroyKek(doomed)).resolves.toBeUndefined();
    expect((await provider.unwrapKey(kept, wrappedKept)).equals(dataKey)).toBe(true);
  });

  it("SEC-12: destroying an owner's KEKs removes every version, and no other owner's", async () => {
    const owner = randomUUID();
    const neighbour = await provider.createKek(tenantLabel());
    await provider.createKek(kekLabel('tenant', owner));
    const second = await provider.createKek(kekLabel('tenant', owner, 2));
    // Only the newest is known from the database: the older one was left by a crashed rotation.
    await destroyKeks(provider, 'tenant', owner, { known: [second] });
    expect(await provider.findKek(kekLabel('tenant', owner))).toBeUndefined();
    expect(await provider.findKek(kekLabel('tenant', owner, 2))).toBeUndefined();
    const dataKey = randomBytes(32);
    expect(
      (await provider.unwrapKey(neighbour, await provider.wrapKey(neighbour, dataKey))).equals(dataKey),
    ).toBe(true);
  });

  it('SEC-10: getSecret returns a stored secret and fails for an unknown one', async () => {
    await target.putSecret('database-url', 'postgres://app:s3cret@db.internal/thestorage');
    expect(await provider.getSecret('database-url')).toBe('postgres://app:s3cret@db.internal/thestorage');
    const error = await expectProviderError(provider.getSecret('no-such-secret'), 'unknown_secret');
    expect(error.message).not.toContain('s3cret');
  });
});
