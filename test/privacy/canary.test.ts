import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getSecret,
  putSecret,
  type SecretsDeps,
} from '../../apps/server/src/modules/secrets/secrets-service';
import { ManualClock } from '../../apps/server/src/platform/clock';
import { createKeyring } from '../../apps/server/src/platform/crypto/keyring-service';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import {
  type CryptoDeps,
  cryptoJobHandlers,
  rotateTenantDataKey,
} from '../../apps/server/src/platform/crypto/rotation';
import { withSystem, withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import { seedTwoTenants } from '../../apps/server/src/platform/jobs/testing';
import { createJobRunner } from '../../apps/server/src/platform/jobs/worker';
import { loggerOptions } from '../../apps/server/src/platform/log/logger';
import { createRepos } from '../../apps/server/src/repos';
import { databaseTargets, type TestDatabase } from '../support/databases';

const PG_DUMP = ['/usr/lib/postgresql/15/bin/pg_dump'].find((p) => fs.existsSync(p)) ?? 'pg_dump';

/**
 * A backup as the database owner would take it: tables FORCE row-level security, so the owner dumps
 * through the policy with the platform-wide scope switched on.
 */
function pgDump(ownerUrl: string): string {
  return execFileSync(PG_DUMP, ['--enable-row-security', '--no-owner', `--dbname=${ownerUrl}`], {
    env: { ...process.env, PGOPTIONS: '-c app.system=on' },
    maxBuffer: 256 * 1024 * 1024,
  }).toString('utf8');
}

/** Raw bytes of the SQLite database and its write-ahead log as they are now (no checkpoint). */
function sqliteFiles(file: string): { name: string; bytes: Buffer }[] {
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));
}

describe.each(databaseTargets())('$name canary', (target) => {
  let t: TestDatabase;
  let dir: string;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino(loggerOptions('trace'), sink);
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await target.create();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-canary-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-9: a sealed licence key never reaches disk or logs in clear', async () => {
    const canary = `LICENSE-CANARY-${randomBytes(12).toString('hex')}`;
    // Written in clear on purpose (a tenant name is not a secret): proves each search can find a string.
    const control = `CLEAR-CONTROL-${randomBytes(12).toString('hex')}`;
    const provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
    const keyring = createKeyring({ provider, clock });
    const secrets: SecretsDeps = { repos: createRepos(t.handle), keyring, clock, logger };
    const crypto: CryptoDeps = { handle: t.handle, provider, keyring, clock };
    const { a } = await seedTwoTenants(t.handle, clock);
    await withSystem(t.handle, (trx) =>
      trx.updateTable('tenants').set({ name: control }).where('id', '=', a).execute(),
    );

    await putSecret(secrets, a, 'license.key', canary);
    // Every path that touches the value and logs: rotation, the re-encryption job (run twice: walk, then retire).
    await rotateTenantDataKey(crypto, a);
    const jobs = createJobRunner({
      handle: t.handle,
      clock,
      owner: `canary-${randomBytes(4).toString('hex')}`,
      handlers: cryptoJobHandlers(crypto),
      pollMs: 10,
      leaseMs: 30_000,
      logger,
    });
    expect(await jobs.runOnce()).toBe(true);
    clock.advance(keyring.cacheTtlMs + 1_000);
    expect(await jobs.runOnce()).toBe(true);
    // A failed open is logged with its error, as a feature would.
    const sealed = await withTenant(t.handle, a, (trx) =>
      trx
        .selectFrom('tenant_secrets')
        .select(['id', 'sealed_value'])
        .where('name', '=', 'license.key')
        .executeTakeFirstOrThrow(),
    );
    const misplaced = { tenantId: a, table: 'tenant_secrets', column: 'sealed_value', rowId: 'another-row' };
    const err = await withTenant(t.handle, a, (trx) =>
      keyring.open(trx, misplaced, sealed.sealed_value),
    ).catch((e: unknown) => e);
    logger.error({ err, tenantId: a }, 'cannot open a tenant secret');
    // A careless debug line naming secret-bearing fields is redacted.
    logger.debug(
      { licenseKey: canary, secret: { plaintext: canary, sealedValue: sealed.sealed_value } },
      'debug dump',
    );

    // Through the API the licence key is there in clear: the searches below could find it.
    expect(await getSecret(secrets, a, 'license.key')).toBe(canary);
    expect(sealed.sealed_value).toMatch(/^ts1\.2\./);

    const log = lines.join('');
    expect(log).toContain('tenant secret stored');
    expect(log).toContain('job succeeded');
    expect(log).toContain('cannot open a tenant secret');
    expect(log).not.toContain(canary);
    expect(log).not.toContain(sealed.sealed_value);

    if (t.name === 'sqlite') {
      const files = sqliteFiles(t.file as string);
      expect(files.map((f) => f.name)).toContain('thestorage.sqlite-wal');
      const all = Buffer.concat(files.map((f) => f.bytes));
      expect(all.includes(Buffer.from(control))).toBe(true);
      expect(all.includes(Buffer.from(sealed.sealed_value))).toBe(true);
      for (const file of files) expect(file.bytes.includes(Buffer.from(canary)), file.name).toBe(false);
    } else {
      const dump = pgDump(t.ownerUrl as string);
      expect(dump).toContain(control);
      expect(dump).toContain(sealed.sealed_value);
      expect(dump).not.toContain(canary);
    }
  });
});
