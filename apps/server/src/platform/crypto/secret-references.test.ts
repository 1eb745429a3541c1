import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadKeyProviderSettings } from '../../config';
import { ManualClock } from '../clock';
import { createKeyProvider } from './key-provider-factory';
import { createLocalKeyProvider } from './local-key-provider';
import { resolveSecretReferences } from './secret-references';

const clock = new ManualClock();

const problemsOf = async (promise: Promise<unknown>): Promise<string[]> => {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
};

describe('secret: references in the configuration', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-secret-refs-'));
    const provider = createLocalKeyProvider({ file: path.join(dataDir, 'keys', 'master.json'), clock });
    await provider.storeSecret('db', 'postgres://app:s3cret@db.internal:5432/thestorage');
    await provider.storeSecret('cache', 'rediss://:t0ken@cache.internal:6380');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('SEC-10: boot resolves secret:NAME through the key provider before loading the configuration', async () => {
    const rawEnv = {
      DATA_DIR: dataDir,
      DATABASE_URL: 'secret:db',
      REDIS_URL: 'secret:cache',
      HOST: 'secret:not-a-secret',
    };
    const settings = loadKeyProviderSettings(rawEnv);
    const provider = createKeyProvider(settings, { clock });
    const env = await resolveSecretReferences(rawEnv, provider);
    expect(rawEnv.DATABASE_URL).toBe('secret:db');
    const config = loadConfig(env);
    expect(config.database).toMatchObject({
      kind: 'postgres',
      url: 'postgres://app:s3cret@db.internal:5432/thestorage',
    });
    expect(config.cache).toMatchObject({ kind: 'redis', url: 'rediss://:t0ken@cache.internal:6380' });
    expect(config.keyProvider).toEqual(settings);
    // Only secret-bearing variables are references; others keep their text.
    expect(config.host).toBe('secret:not-a-secret');
  });

  it('SEC-10: every unresolvable reference is reported at once, without any secret value', async () => {
    const provider = createLocalKeyProvider({ file: path.join(dataDir, 'keys', 'master.json'), clock });
    const problems = await problemsOf(
      resolveSecretReferences(
        {
          DATABASE_URL: 'secret:missing-db',
          DATABASE_MIGRATION_URL: 'secret:db',
          REDIS_URL: 'secret:missing-cache',
          REDIS_URL_FILE: 'secret:cache',
          AZURE_CLIENT_SECRET: 'secret:db',
        },
        provider,
      ),
    );
    expect(problems).toEqual([
      'DATABASE_URL: secret "missing-db" is not in the local key provider',
      'REDIS_URL: secret "missing-cache" is not in the local key provider',
      'REDIS_URL_FILE names a file, not a secret: give the reference as REDIS_URL=secret:cache',
      expect.stringMatching(
        /^AZURE_CLIENT_SECRET cannot be a secret: reference: the key provider .* AZURE_CLIENT_SECRET_FILE$/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('s3cret');
  });

  it("SEC-10: the key provider's own settings cannot be secret: references", () => {
    let error: unknown;
    try {
      loadKeyProviderSettings({
        KEY_PROVIDER: 'pkcs11',
        PKCS11_MODULE: '/lib/hsm.so',
        PKCS11_TOKEN_LABEL: 't',
        PKCS11_PIN: 'secret:pin',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PKCS11_PIN cannot be a secret: reference: the key provider that resolves them is built from it; give it directly or as PKCS11_PIN_FILE',
    ]);
  });
});
