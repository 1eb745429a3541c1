import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './config';

const hsm = {
  KEY_PROVIDER: 'pkcs11',
  PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so',
  PKCS11_TOKEN_LABEL: 'thestorage',
  PKCS11_PIN: '1234',
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('configuration', () => {
  it('CFG-1: the embedded default needs nothing: HTTPS on 8443, SQLite, memory cache, dev CA', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'embedded',
      port: 8443,
      host: 'localhost',
      tls: { source: 'dev-ca' },
      database: { kind: 'sqlite' },
      cache: { kind: 'memory' },
    });
    expect(config.dataDir).toBe(path.resolve('data'));
  });

  it('CFG-1: production lists every missing setting at once', () => {
    const problems = problemsOf({ MODE: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('DATABASE_URL is required'),
        expect.stringContaining('REDIS_URL is required'),
        expect.stringContaining('TLS_CERT_FILE and TLS_KEY_FILE are required'),
        expect.stringContaining('KEY_PROVIDER is required when MODE=production'),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('CFG-1: malformed values are all reported by name', () => {
    const problems = problemsOf({ PORT: 'eighty', MODE: 'staging', DATABASE_URL: 'mysql://x' });
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/MODE/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
  });

  it('CFG-1: a certificate needs its key, and TRUST_PROXY is production-only', () => {
    expect(problemsOf({ TLS_CERT_FILE: '/x/cert.pem' })).toEqual([
      'TLS_CERT_FILE and TLS_KEY_FILE must be given together',
    ]);
    expect(problemsOf({ TRUST_PROXY: '1' })[0]).toMatch(/TRUST_PROXY is only for MODE=production/);
    const proxied = loadConfig({
      MODE: 'production',
      TRUST_PROXY: '1',
      DATABASE_URL: 'postgres://app@db/thestorage',
      REDIS_URL: 'rediss://cache:6380',
      ...hsm,
    });
    expect(proxied.tls).toEqual({ source: 'proxy' });
    expect(proxied.host).toBe('0.0.0.0');
  });

  it('SEC-10: secrets can come from files (X_FILE), never both ways at once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-config-'));
    const file = path.join(dir, 'database-url');
    writeFileSync(file, 'postgres://app:s3cret@db.internal:5432/thestorage?sslmode=verify-full\n');
    const config = loadConfig({ DATABASE_URL_FILE: file });
    expect(config.database).toMatchObject({
      kind: 'postgres',
      url: 'postgres://app:s3cret@db.internal:5432/thestorage?sslmode=verify-full',
    });
    expect(problemsOf({ DATABASE_URL_FILE: file, DATABASE_URL: 'postgres://a@b/c' })).toEqual([
      'DATABASE_URL and DATABASE_URL_FILE are both set: give only one',
    ]);
    expect(problemsOf({ REDIS_URL_FILE: path.join(dir, 'missing') })[0]).toMatch(
      /REDIS_URL_FILE: cannot read .*ENOENT/,
    );
  });

  it('SPEC 9: PostgreSQL statements are prepared unless DATABASE_PREPARED_STATEMENTS turns it off', () => {
    const url = 'postgres://app@db.internal:5432/thestorage';
    expect(loadConfig({ DATABASE_URL: url }).database).toMatchObject({ preparedStatements: true });
    expect(loadConfig({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: '0' }).database).toMatchObject({
      preparedStatements: false,
    });
    expect(problemsOf({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'maybe' })[0]).toMatch(
      /DATABASE_PREPARED_STATEMENTS/,
    );
  });

  it('SEC-10: connection strings are shown without their password', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/x?password=p2')).toBe(
      'postgres://app:***@db:5432/x?password=***',
    );
    expect(redactUrl('rediss://cache:6380')).toBe('rediss://cache:6380');
  });

  it('SEC-10: the embedded default keeps master keys in DATA_DIR/keys/master.json', () => {
    expect(loadConfig({ DATA_DIR: '/srv/thestorage' }).keyProvider).toEqual({
      kind: 'local',
      file: path.join(path.resolve('/srv/thestorage'), 'keys', 'master.json'),
    });
  });

  it('SEC-10: production refuses the local key file and takes a PKCS#11 token', () => {
    const production = {
      MODE: 'production',
      TRUST_PROXY: '1',
      DATABASE_URL: 'postgres://a@b/c',
      REDIS_URL: 'rediss://c',
    };
    expect(problemsOf({ ...production, KEY_PROVIDER: 'local' })).toEqual([
      expect.stringMatching(
        /^KEY_PROVIDER=local is refused when MODE=production.*use pkcs11 or azure-keyvault$/,
      ),
    ]);
    expect(loadConfig({ ...production, ...hsm }).keyProvider).toEqual({
      kind: 'pkcs11',
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      tokenLabel: 'thestorage',
      pin: '1234',
    });
  });

  it('SEC-10: every missing or misplaced key-provider setting is listed', () => {
    expect(problemsOf({ KEY_PROVIDER: 'pkcs11' })).toEqual([
      'PKCS11_MODULE is required when KEY_PROVIDER=pkcs11',
      'PKCS11_TOKEN_LABEL is required when KEY_PROVIDER=pkcs11',
      'PKCS11_PIN is required when KEY_PROVIDER=pkcs11',
    ]);
    expect(
      problemsOf({ PKCS11_MODULE: '/lib/hsm.so', AZURE_KEYVAULT_URL: 'https://v.vault.azure.net' }),
    ).toEqual([
      'PKCS11_MODULE is set but KEY_PROVIDER is local',
      'AZURE_KEYVAULT_URL is set but KEY_PROVIDER is local',
    ]);
    expect(problemsOf({ KEY_PROVIDER: 'azure-keyvault', AZURE_TENANT_ID: 't' })).toEqual([
      'AZURE_KEYVAULT_URL is required when KEY_PROVIDER=azure-keyvault',
      expect.stringMatching(/^AZURE_CLIENT_ID is required for Key Vault client credentials/),
      expect.stringMatching(/^AZURE_CLIENT_SECRET is required for Key Vault client credentials/),
    ]);
    expect(
      problemsOf({
        KEY_PROVIDER: 'azure-keyvault',
        AZURE_KEYVAULT_URL: 'https://v.vault.azure.net',
        IDENTITY_HEADER: 'h',
      }),
    ).toEqual([expect.stringMatching(/^IDENTITY_ENDPOINT and IDENTITY_HEADER must be given together/)]);
    const malformed = problemsOf({
      KEY_PROVIDER: 'hsm',
      AZURE_KEYVAULT_URL: 'http://v.vault.azure.net',
      AZURE_AUTHORITY_URL: 'http://login.example',
      AZURE_KEYVAULT_KEY_NAME: 'no spaces',
      PKCS11_TOKEN_LABEL: 'x'.repeat(33),
    });
    for (const name of [
      'KEY_PROVIDER',
      'AZURE_KEYVAULT_URL',
      'AZURE_AUTHORITY_URL',
      'AZURE_KEYVAULT_KEY_NAME',
      'PKCS11_TOKEN_LABEL',
    ]) {
      expect(malformed.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
    }
    expect(malformed.find((p) => p.startsWith('AZURE_KEYVAULT_URL:'))).toMatch(/https:\/\//);
  });

  it('SEC-10: Azure Key Vault takes client credentials, or the managed identity when no secret is given', () => {
    const vault = { KEY_PROVIDER: 'azure-keyvault', AZURE_KEYVAULT_URL: 'https://v.vault.azure.net' };
    expect(
      loadConfig({ ...vault, AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' })
        .keyProvider,
    ).toEqual({
      kind: 'azure-keyvault',
      vaultUrl: 'https://v.vault.azure.net',
      keyName: 'thestorage-kek',
      auth: {
        kind: 'client-credentials',
        tenantId: 't',
        clientId: 'c',
        clientSecret: 's',
        authorityUrl: undefined,
      },
      caFile: undefined,
    });
    expect(
      loadConfig({ ...vault, IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: 'h' })
        .keyProvider,
    ).toMatchObject({
      auth: { kind: 'managed-identity', endpoint: 'http://127.0.0.1:41741/msi/token', header: 'h' },
    });
    expect(loadConfig(vault).keyProvider).toMatchObject({
      auth: { kind: 'managed-identity', endpoint: undefined },
    });
  });

  it('SEC-10: the PIN and Azure secrets can come from files, and key-provider settings are never secret: references', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-config-'));
    writeFileSync(path.join(dir, 'pin'), '4321\n');
    writeFileSync(path.join(dir, 'client-secret'), 'az-s3cret\n');
    const { PKCS11_PIN: _pin, ...hsmWithoutPin } = hsm;
    expect(
      loadConfig({ ...hsmWithoutPin, PKCS11_PIN_FILE: path.join(dir, 'pin') }).keyProvider,
    ).toMatchObject({
      pin: '4321',
    });
    const vault = {
      KEY_PROVIDER: 'azure-keyvault',
      AZURE_KEYVAULT_URL: 'https://v.vault.azure.net',
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
    };
    expect(
      loadConfig({ ...vault, AZURE_CLIENT_SECRET_FILE: path.join(dir, 'client-secret') }).keyProvider,
    ).toMatchObject({ auth: { clientSecret: 'az-s3cret' } });
    expect(problemsOf({ ...hsm, PKCS11_PIN_FILE: path.join(dir, 'pin') })).toEqual([
      'PKCS11_PIN and PKCS11_PIN_FILE are both set: give only one',
    ]);
    expect(
      problemsOf({ ...vault, AZURE_CLIENT_SECRET: 'secret:azure', AZURE_KEYVAULT_KEY_NAME: 'secret:k' }),
    ).toEqual([
      expect.stringMatching(/^AZURE_KEYVAULT_KEY_NAME cannot be a secret: reference/),
      expect.stringMatching(/^AZURE_CLIENT_SECRET cannot be a secret: reference.*AZURE_CLIENT_SECRET_FILE$/),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('sign-in configuration', () => {
  it('SEC-3: the service-wide provider registrations need both client id and secret, all problems listed', () => {
    expect(problemsOf({ ENTRA_CLIENT_ID: 'a', GOOGLE_CLIENT_SECRET: 'b' })).toEqual([
      'ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET must be given together',
      'GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be given together',
    ]);
    const config = loadConfig({ ENTRA_CLIENT_ID: 'a', ENTRA_CLIENT_SECRET: 'b' });
    expect(config.access.entra).toEqual({ clientId: 'a', clientSecret: 'b' });
    expect(config.access.google).toBeUndefined();
  });

  it('SEC-3: platform administrators are named by issuer and subject; the dev provider is off in production', () => {
    expect(problemsOf({ PLATFORM_ADMINS: 'alice@example.com' })[0]).toMatch(/is not issuer\|subject/);
    expect(loadConfig({ PLATFORM_ADMINS: 'https://login.example/v2.0|abc' }).access.platformAdmins).toEqual([
      'https://login.example/v2.0|abc',
    ]);
    expect(loadConfig({}).access.devIdentityProvider).toBe(true);
  });
});
