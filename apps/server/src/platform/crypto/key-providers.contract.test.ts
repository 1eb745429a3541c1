import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKeyVault, startFakeKeyVault } from '../../../../../test/fakes/azure-keyvault';
import { createSoftHsmToken, type SoftHsmToken, softHsmAvailable } from '../../../../../test/support/softhsm';
import type { KeyProviderSettings } from '../../config';
import { ManualClock } from '../clock';
import { createAzureKeyVaultKeyProvider } from './azure-keyvault-key-provider';
import { type KeyProvider, KeyProviderError } from './key-provider';
import { createKeyProvider } from './key-provider-factory';
import { createLocalKeyProvider } from './local-key-provider';
import { createPkcs11KeyProvider } from './pkcs11-key-provider';

/** One key store; `open()` is a new provider instance on it, as after a restart. */
interface ProviderTarget {
  name: KeyProviderSettings['kind'];
  start(): Promise<void>;
  open(): KeyProvider;
  putSecret(name: string, value: string): Promise<void>;
  /** An id shaped like this provider's ids that names no master key. */
  unknownMasterKeyId(): string;
  stop(): Promise<void>;
}

const clock = new ManualClock();

const localTarget = (): ProviderTarget => {
  let dir = '';
  const settings = (): KeyProviderSettings => ({
    kind: 'local',
    file: path.join(dir, 'keys', 'master.json'),
  });
  return {
    name: 'local',
    async start() {
      dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-local-keys-'));
    },
    open: () => createKeyProvider(settings(), { clock }),
    putSecret: (name, value) =>
      createLocalKeyProvider({ file: path.join(dir, 'keys', 'master.json'), clock }).storeSecret(name, value),
    unknownMasterKeyId: () => 'local-v99',
    async stop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const pkcs11Target = (): ProviderTarget => {
  let token: SoftHsmToken;
  const settings = (): KeyProviderSettings => ({
    kind: 'pkcs11',
    modulePath: token.modulePath,
    tokenLabel: token.tokenLabel,
    pin: token.pin,
  });
  return {
    name: 'pkcs11',
    async start() {
      token = createSoftHsmToken();
    },
    open: () => createKeyProvider(settings(), { clock }),
    async putSecret(name, value) {
      const operator = createPkcs11KeyProvider(token);
      await operator.storeSecret(name, value);
      await operator.close();
    },
    unknownMasterKeyId: () => 'thestorage-master-v99',
    async stop() {
      token.cleanup();
    },
  };
};

const azureTarget = (): ProviderTarget => {
  let fake: FakeKeyVault;
  const settings = (): KeyProviderSettings => ({
    kind: 'azure-keyvault',
    vaultUrl: fake.url,
    keyName: 'thestorage-master',
    auth: {
      kind: 'client-credentials',
      tenantId: fake.tenantId,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      authorityUrl: fake.url,
    },
    caFile: undefined,
  });
  return {
    name: 'azure-keyvault',
    async start() {
      fake = await startFakeKeyVault();
    },
    // The factory reads a CA file; the fake's CA is handed over in memory here.
    open: () => {
      const s = settings() as Extract<KeyProviderSettings, { kind: 'azure-keyvault' }>;
      return createAzureKeyVaultKeyProvider({ ...s, ca: fake.caPem, clock });
    },
    putSecret: async (name, value) => fake.setSecret(name, value),
    unknownMasterKeyId: () => `${fake.url}/keys/thestorage-master/${'0'.repeat(32)}`,
    stop: () => fake.close(),
  };
};

const targets: ProviderTarget[] = [
  localTarget(),
  ...(softHsmAvailable() ? [pkcs11Target()] : []),
  azureTarget(),
];

const expectProviderError = async (promise: Promise<unknown>, code: KeyProviderError['code']) => {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(KeyProviderError);
  expect((error as KeyProviderError).code).toBe(code);
  return error as KeyProviderError;
};

describe.each(targets)('key provider contract: $name', (target) => {
  let provider: KeyProvider;

  beforeAll(async () => {
    await target.start();
    provider = target.open();
  });
  afterAll(async () => {
    await provider?.close();
    await target.stop();
  });

  it('SEC-10: the active master key id is stable across calls and across a new provider on the same store', async () => {
    const first = await provider.activeMasterKeyId();
    expect(first).toMatch(/\S/);
    expect(await provider.activeMasterKeyId()).toBe(first);
    const restarted = target.open();
    try {
      expect(await restarted.activeMasterKeyId()).toBe(first);
    } finally {
      await restarted.close();
    }
  });

  it('SEC-10: wrap then unwrap returns a random 32-byte data key, and the wrapped form does not contain it', async () => {
    const id = await provider.activeMasterKeyId();
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrapKey(id, dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(wrapped.length).toBeGreaterThan(dataKey.length);
    expect((await provider.unwrapKey(id, wrapped)).equals(dataKey)).toBe(true);
    await expectProviderError(provider.wrapKey(id, randomBytes(16)), 'refused');
  });

  it('SEC-10: a tampered wrapped key does not unwrap', async () => {
    const id = await provider.activeMasterKeyId();
    const wrapped = await provider.wrapKey(id, randomBytes(32));
    for (const index of [0, Math.floor(wrapped.length / 2), wrapped.length - 1]) {
      const tampered = Buffer.from(wrapped);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      await expectProviderError(provider.unwrapKey(id, tampered), 'unwrap_failed');
    }
  });

  it('SEC-10: unwrapping with an unknown master key id fails with KeyProviderError', async () => {
    const wrapped = await provider.wrapKey(await provider.activeMasterKeyId(), randomBytes(32));
    await expectProviderError(provider.unwrapKey(target.unknownMasterKeyId(), wrapped), 'unknown_master_key');
    await expectProviderError(provider.unwrapKey('no-such-key', wrapped), 'unknown_master_key');
    await expectProviderError(
      provider.wrapKey(target.unknownMasterKeyId(), randomBytes(32)),
      'unknown_master_key',
    );
  });

  it('SEC-10: after rotation the new master key is active and keys wrapped under the old one still unwrap', async () => {
    const oldId = await provider.activeMasterKeyId();
    const dataKey = randomBytes(32);
    const wrappedOld = await provider.wrapKey(oldId, dataKey);
    const newId = await provider.rotateMasterKey();
    expect(newId).not.toBe(oldId);
    expect(await provider.activeMasterKeyId()).toBe(newId);
    expect((await provider.unwrapKey(oldId, wrappedOld)).equals(dataKey)).toBe(true);
    const wrappedNew = await provider.wrapKey(newId, dataKey);
    expect((await provider.unwrapKey(newId, wrappedNew)).equals(dataKey)).toBe(true);
    // A key wrapped under one version is not accepted under another.
    await expect(provider.unwrapKey(newId, wrappedOld)).rejects.toBeInstanceOf(KeyProviderError);
    const restarted = target.open();
    try {
      expect(await restarted.activeMasterKeyId()).toBe(newId);
      expect((await restarted.unwrapKey(oldId, wrappedOld)).equals(dataKey)).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  it('SEC-10: getSecret returns a stored secret and fails for an unknown one', async () => {
    await target.putSecret('database-url', 'postgres://app:s3cret@db.internal/thestorage');
    expect(await provider.getSecret('database-url')).toBe('postgres://app:s3cret@db.internal/thestorage');
    const error = await expectProviderError(provider.getSecret('no-such-secret'), 'unknown_secret');
    expect(error.message).not.toContain('s3cret');
  });
});
