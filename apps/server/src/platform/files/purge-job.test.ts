import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { DAY_MS, ManualClock } from '../clock';
import { createKeyring, type TenantKeyring } from '../crypto/keyring-service';
import { createLocalKeyProvider } from '../crypto/local-key-provider';
import { withSystem, withTenant } from '../db/tenant-scope';
import { enqueueJob, getJob } from '../jobs/queue';
import { recordingLogger, seedTwoTenants } from '../jobs/testing';
import { createJobRunner } from '../jobs/worker';
import { deleteFile, restoreFile, storeFile } from './file-store';
import { FILES_PURGE_JOB, fileJobHandlers } from './purge-job';

describe.each(databaseTargets())('file purge job on $name', (target) => {
  let db: TestDatabase;
  let tenants: { a: string; b: string };
  let keyring: TenantKeyring;
  let keyDir: string;
  const clock = new ManualClock('2026-11-29T10:00:00.000Z');

  const storeInvoice = (tenantId: string) =>
    withTenant(db.handle, tenantId, async (trx) => {
      const body = Readable.from([Buffer.from(`%PDF-1.7\n% ${randomBytes(4).toString('hex')}\n`)]);
      return (
        await storeFile(
          trx,
          keyring,
          { tenantId, purpose: 'invoice', contentType: 'application/pdf', body },
          clock,
        )
      ).id;
    });
  const remove = (tenantId: string, id: string) =>
    withTenant(db.handle, tenantId, (trx) => deleteFile(trx, tenantId, id, clock));
  const remaining = (ids: string[]) =>
    withSystem(db.handle, async (trx) =>
      (await trx.selectFrom('files').select('id').where('id', 'in', ids).execute()).map((r) => r.id).sort(),
    );
  /** Enqueues one purge job and runs it as a node would. */
  const runPurge = async (batchSize?: number) => {
    const job = await withSystem(db.handle, (trx) =>
      enqueueJob(trx, { tenantId: null, kind: FILES_PURGE_JOB, payload: null }, clock),
    );
    const runner = createJobRunner({
      handle: db.handle,
      clock,
      owner: `node-${randomBytes(4).toString('hex')}`,
      pollMs: 5,
      leaseMs: 60_000,
      logger: recordingLogger(),
      handlers: fileJobHandlers({ handle: db.handle, clock, batchSize }),
    });
    expect(await runner.runOnce()).toBe(true);
    return withSystem(db.handle, (trx) => getJob(trx, null, job.id));
  };

  beforeAll(async () => {
    db = await target.create();
    tenants = await seedTwoTenants(db.handle, clock);
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-purge-keys-'));
    keyring = createKeyring({
      provider: createLocalKeyProvider({ file: path.join(keyDir, 'master.key'), clock }),
      clock,
    });
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('DEV-1: a deleted file is purged by the job once its 14 days have passed, not before', async () => {
    const deleted = await storeInvoice(tenants.a);
    const kept = await storeInvoice(tenants.a);
    const restored = await storeInvoice(tenants.b);
    await remove(tenants.a, deleted);
    await remove(tenants.b, restored);
    await withTenant(db.handle, tenants.b, (trx) => restoreFile(trx, tenants.b, restored, clock));
    const all = [deleted, kept, restored].sort();

    clock.advance(14 * DAY_MS - 1);
    const early = await runPurge();
    expect(early).toMatchObject({ status: 'succeeded', result: { purged: 0 } });
    expect(await remaining(all)).toEqual(all);

    clock.advance(1);
    const due = await runPurge();
    expect(due).toMatchObject({
      status: 'succeeded',
      result: { purged: 1 },
      progress: { done: 1, total: 1 },
    });
    expect(await remaining(all)).toEqual([kept, restored].sort());
  });

  it('DEV-1: the purge works through every tenant in batches and reports its progress', async () => {
    const ids: string[] = [];
    for (const tenantId of [tenants.a, tenants.b, tenants.a, tenants.b, tenants.a]) {
      const id = await storeInvoice(tenantId);
      await remove(tenantId, id);
      ids.push(id);
    }
    clock.advance(14 * DAY_MS);
    const job = await runPurge(2);
    expect(job).toMatchObject({
      status: 'succeeded',
      result: { purged: 5 },
      progress: { done: 5, total: 5, message: 'deleted files' },
    });
    expect(await remaining(ids)).toEqual([]);
  });
});
