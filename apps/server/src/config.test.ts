import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './config';

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
      ]),
    );
    expect(problems).toHaveLength(3);
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

  it('SEC-10: connection strings are shown without their password', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/x?password=p2')).toBe(
      'postgres://app:***@db:5432/x?password=***',
    );
    expect(redactUrl('rediss://cache:6380')).toBe('rediss://cache:6380');
  });
});
