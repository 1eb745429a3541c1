import { describe, expect, it } from 'vitest';
import { MemorySignInStateStore } from './state-store';
import type { PendingSignIn } from './types';

const pending = (state: string, expiresAt = 1_000_600): PendingSignIn => ({
  state,
  nonce: 'n',
  codeVerifier: 'v',
  returnTo: '/',
  provider: 'oidc client https://idp.example/.well-known/openid-configuration',
  createdAt: 1_000_000,
  expiresAt,
});

describe('started sign-ins', () => {
  it('SEC-3: a state can be taken once; a second take is told apart as a replay', async () => {
    const store = new MemorySignInStateStore();
    await store.save(pending('s1'));
    expect(await store.take('s1', 1_000_010)).toEqual({ status: 'pending', pending: pending('s1') });
    expect(await store.take('s1', 1_000_020)).toEqual({ status: 'used' });
    expect(await store.take('never-issued', 1_000_020)).toEqual({ status: 'unknown' });
  });

  it('SEC-3: concurrent takes of one state: exactly one wins', async () => {
    const store = new MemorySignInStateStore();
    await store.save(pending('s2'));
    const results = await Promise.all([store.take('s2', 1_000_001), store.take('s2', 1_000_001)]);
    expect(results.filter((r) => r.status === 'pending')).toHaveLength(1);
  });

  it('SEC-3: an expired attempt is forgotten, and a state cannot be saved twice', async () => {
    const store = new MemorySignInStateStore();
    await store.save(pending('s3', 1_000_100));
    await expect(store.save(pending('s3'))).rejects.toThrow(/already exists/);
    expect(await store.take('s3', 1_000_101)).toEqual({ status: 'unknown' });
  });
});
