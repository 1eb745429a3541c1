import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkImport,
  getImport,
  type ImportDeps,
  importJobHandlers,
  runImport,
  uploadImport,
} from '../../apps/server/src/modules/devices/import/service';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { ManualClock } from '../../apps/server/src/platform/clock';
import { createKeyring } from '../../apps/server/src/platform/crypto/keyring-service';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import { withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import type { Actor } from '../../apps/server/src/platform/http/actor';
import { createJobRunner } from '../../apps/server/src/platform/jobs/worker';
import { createRepos } from '../../apps/server/src/repos';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { REPO_ROOT } from '../support/process';

const ROWS = 20_000;

/** Runs the child until it says it is half-way through the import's transaction, then SIGKILLs it. */
function runAndKill(env: Record<string, string>): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/reliability/import-crash-child.ts'],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child never got half-way; output:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!killed && /^half-way \d+$/m.test(output)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`the child exited by itself; output:\n${output}`));
      else resolve({ signal, output });
    });
  });
}

describe.each(databaseTargets())('a device import killed half-way on $name', (target) => {
  let t: TestDatabase;
  let keyDir: string;
  let deps: ImportDeps;
  let actor: Actor;

  beforeAll(async () => {
    t = await target.create();
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-import-crash-'));
    // The child runs on the real clock; this side's clock starts now and is moved past the child's lease.
    const clock = new ManualClock(new Date().toISOString());
    const provider = createLocalKeyProvider({ file: path.join(keyDir, 'keys.json'), clock });
    const repos = createRepos(t.handle);
    const { organization, tenant } = await createOrganizationWithTenant(
      { name: 'Import Crash', slug: `import-crash-${randomBytes(4).toString('hex')}`, clock },
      repos,
    );
    deps = {
      repos,
      clock,
      keyring: createKeyring({ provider, clock }),
      directoryCache: createDirectoryCache({ cache: createMemoryCache({ clock }), clock }),
    };
    actor = {
      userId: 'user-import-crash',
      email: 'crash@example.com',
      name: 'Crash Tester',
      tenantId: String(tenant.id),
      organizationId: String(organization.id),
      role: 'administrator',
      isPlatformAdmin: false,
    };
  });
  afterAll(async () => {
    await t?.close();
    if (keyDir) fs.rmSync(keyDir, { recursive: true, force: true });
  });

  const state = () =>
    withTenant(t.handle, actor.tenantId, async (trx) => ({
      devices: Number(
        (
          await trx
            .selectFrom('devices')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', actor.tenantId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      events: Number(
        (
          await trx
            .selectFrom('audit_outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', actor.tenantId)
            .where('action', 'like', 'device.%')
            .executeTakeFirstOrThrow()
        ).n,
      ),
      categories: Number(
        (
          await trx
            .selectFrom('categories')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', actor.tenantId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
      numbers:
        (
          await trx
            .selectFrom('inventory_settings')
            .select('next_device_number')
            .where('tenant_id', '=', actor.tenantId)
            .executeTakeFirst()
        )?.next_device_number ?? 1,
    }));

  it('DEV-12: the process dying mid-run leaves the tenant exactly as before, and the retry completes', async () => {
    const lines = ['Name,Serial number,Category'];
    for (let i = 0; i < ROWS; i++) lines.push(`Crash laptop ${i},CR-${i},${i % 2 ? 'Laptop' : 'Tablet'}`);
    const call = { actor, requestId: 'req-import-crash' };
    const uploaded = await uploadImport(deps, call, {
      fileName: 'crash.csv',
      contentType: 'text/csv',
      body: Readable.from([Buffer.from(lines.join('\n'))]),
    });
    const checked = await checkImport(deps, call, uploaded.id, uploaded.version);
    expect(checked.status).toBe('checked');
    const queued = await runImport(deps, call, checked.id, checked.version);
    expect(queued.status).toBe('queued');
    const before = await state();

    const crash = await runAndKill({
      ...(t.name === 'postgres' ? { CRASH_DB_URL: t.url! } : { CRASH_DB_FILE: t.file! }),
      CRASH_KEY_FILE: path.join(keyDir, 'keys.json'),
      CRASH_AFTER: String(ROWS / 2),
    });
    expect(crash.signal).toBe('SIGKILL');
    expect(crash.output).toMatch(/half-way 1\d{4}/);

    // Half the devices were written in the dead transaction: none of them, no event, no category, no number.
    expect(await state()).toEqual(before);
    expect((await getImport(deps, actor, checked.id)).status).toBe('running');

    // Once the dead runner's lease has expired, another runner takes the job again and completes it.
    (deps.clock as ManualClock).advance(5 * 60_000);
    const runner = createJobRunner({
      handle: t.handle,
      clock: deps.clock,
      owner: 'import-crash-retry',
      handlers: importJobHandlers({ ...deps, dialect: t.handle.dialect }),
      pollMs: 10,
      leaseMs: 60_000,
      logger: { info() {}, warn() {}, error() {} },
    });
    expect(await runner.runOnce()).toBe(true);
    const done = await getImport(deps, actor, checked.id);
    expect(done.status).toBe('completed');
    expect(done.summary).toMatchObject({ rows: ROWS, create: ROWS });
    const after = await state();
    expect(after.devices - before.devices).toBe(ROWS);
    expect(after.events - before.events).toBe(ROWS);
    expect(after.categories - before.categories).toBe(2);
    expect(Number(after.numbers) - Number(before.numbers)).toBe(ROWS);
  }, 120_000);
});
