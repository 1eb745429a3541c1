import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyProviderSettings } from '../../apps/server/src/config';
import type { Clock } from '../../apps/server/src/platform/clock';
import { createAzureKeyVaultKeyProvider } from '../../apps/server/src/platform/crypto/azure-keyvault-key-provider';
import type { KeyProvider } from '../../apps/server/src/platform/crypto/key-provider';
import { createKeyProvider } from '../../apps/server/src/platform/crypto/key-provider-factory';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import { createPkcs11KeyProvider } from '../../apps/server/src/platform/crypto/pkcs11-key-provider';
import { type FakeKeyVault, startFakeKeyVault } from '../fakes/azure-keyvault';
import { createSoftHsmToken, type SoftHsmToken, softHsmAvailable } from './softhsm';

/** One key store; `open()` is a new provider instance on it, as after a restart or on another node. */
export interface ProviderTarget {
  name: KeyProviderSettings['kind'];
  start(): Promise<void>;
  open(): KeyProvider;
  putSecret(name: string, value: string): Promise<void>;
  stop(): Promise<void>;
}

const localTarget = (clock: Clock): ProviderTarget => {
  let dir = '';
  const file = () => path.join(dir, 'keys', 'master.json');
  return {
    name: 'local',
    async start() {
      dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-local-keys-'));
    },
    open: () => createKeyProvider({ kind: 'local', file: file() }, { clock }),
    putSecret: (name, value) => createLocalKeyProvider({ file: file(), clock }).storeSecret(name, value),
    async stop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const pkcs11Target = (clock: Clock): ProviderTarget => {
  let token: SoftHsmToken;
  return {
    name: 'pkcs11',
    async start() {
      token = createSoftHsmToken();
    },
    open: () =>
      createKeyProvider(
        { kind: 'pkcs11', modulePath: token.modulePath, tokenLabel: token.tokenLabel, pin: token.pin },
        { clock },
      ),
    async putSecret(name, value) {
      const operator = createPkcs11KeyProvider(token);
      await operator.storeSecret(name, value);
      await operator.close();
    },
    async stop() {
      token.cleanup();
    },
  };
};

/** The Key Vault target also exposes its fake, to look at the vault's side. */
export interface AzureTarget extends ProviderTarget {
  readonly fake: FakeKeyVault;
}

export const azureTarget = (clock: Clock): AzureTarget => {
  let fake: FakeKeyVault;
  return {
    name: 'azure-keyvault',
    get fake() {
      return fake;
    },
    async start() {
      fake = await startFakeKeyVault();
    },
    // The factory reads a CA file; the fake's CA is handed over in memory here.
    open: () =>
      createAzureKeyVaultKeyProvider({
        vaultUrl: fake.url,
        auth: {
          kind: 'client-credentials',
          tenantId: fake.tenantId,
          clientId: fake.clientId,
          clientSecret: fake.clientSecret,
          authorityUrl: fake.url,
        },
        ca: fake.caPem,
        clock,
      }),
    putSecret: async (name, value) => fake.setSecret(name, value),
    stop: () => fake.close(),
  };
};

/** Every key provider this machine can test: local, PKCS#11 on SoftHSM2 (when installed), Key Vault's fake. */
export const providerTargets = (clock: Clock): ProviderTarget[] => [
  localTarget(clock),
  ...(softHsmAvailable() ? [pkcs11Target(clock)] : []),
  azureTarget(clock),
];
