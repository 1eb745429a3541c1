import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { getSecret, putSecret, type SecretsDeps } from '../../modules/secrets/secrets-service';
import { createRepos } from '../../repos';
import { ManualClock } from '../clock';
import { newId } from '../db/ids';
import { withSystem, withTenant } from '../db/tenant-scope';
import { getJob } from '../jobs/queue';
import { recordingLogger, seedTwoTenants } from '../jobs/testing';
import { createJobRunner, type JobContext } from '../jobs/worker';
import { readKeyVersion, SealedValueError } from './envelope';
import { kekLabel } from './keks';
import type { KeyProvider } from './key-provider';
import { createKeyring, type TenantKeyring } from './keyring-service';
import { createLinkKeys } from './link-keys';
import { createLocalKeyProvider } from './local-key-provider';
import {
  type CryptoDeps,
  cryptoJobHandlers,
  destroyTenantKeys,
  reencryptTenant,
  rotateAllKeks,
  rotateTenantDataKey,
  rotateTenantKek,
} from './rotation';
import type { SealedColumn } from './sealed-columns';
import { sealedColumns } from './sealed-columns';

const BLOBS: SealedColumn = { table: 'sealed_blobs_test', column: 'content', idColumn: 'id', kind: 'bytes' };
const blobContext = (tenantId: string, rowId: string) => ({
  tenantId,
  table: BLOBS.table,
  column: BLOBS.column,
  rowId,
});

describe.each(databaseTargets())('$name key rotation', (target) => {
  let t: TestDatabase;
  let dir: string;
  let provider: KeyProvider;
  let keyring: TenantKeyring;
  let deps: CryptoDeps;
  let secrets: SecretsDeps;
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await target.create();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-rotation-'));
    provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
    keyring = createKeyring({ provider, clock, cacheTtlMs: 60_000 });
    // A second sealed column in the binary format, as the file store will register.
    const blobType = t.name === 'postgres' ? sql`bytea` : sql`blob`;
    await sql`create table sealed_blobs_test (id text primary key, tenant_id text not null, content ${blobType})`.execute(
      t.ownerHandle.db,
    );
    if (t.name === 'postgres') {
      const { rows } = await sql<{ me: string }>`select current_user as me`.execute(t.handle.db);
      await sql`grant select, insert, update on sealed_blobs_test to ${sql.id(rows[0]?.me as string)}`.execute(
        t.ownerHandle.db,
      );
    }
    deps = {
      handle: t.handle,
      provider,
      keyring,
      clock,
      batchSize: 3,
      columns: () => [...sealedColumns(), BLOBS],
    };
    secrets = { repos: createRepos(t.handle), keyring, clock };
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const runner = () =>
    createJobRunner({
      handle: t.handle,
      clock,
      owner: `test-${newId()}`,
      handlers: cryptoJobHandlers(deps),
      pollMs: 10,
      leaseMs: 30_000,
      logger: recordingLogger(),
    });

  /** Runs every due job (earlier tests may have left some); returns how many ran. */
  async function drain(jobs: ReturnType<typeof runner>): Promise<number> {
    let ran = 0;
    while (await jobs.runOnce()) ran += 1;
    return ran;
  }

  const rawSecrets = (tenantId: string) =>
    withTenant(t.handle, tenantId, (trx) =>
      trx
        .selectFrom('tenant_secrets')
        .select(['id', 'name', 'sealed_value'])
        .where('tenant_id', '=', tenantId)
        .execute(),
    );
  const rawBlobs = (tenantId: string) =>
    withTenant(t.handle, tenantId, async (trx) => {
      const { rows } = await sql<{ id: string; content: Buffer }>`
        select id, content from sealed_blobs_test where tenant_id = ${tenantId} order by id`.execute(trx);
      return rows;
    });
  const keyStates = (tenantId: string) =>
    withSystem(t.handle, (trx) =>
      trx
        .selectFrom('tenant_keys')
        .select(['version', 'state'])
        .where('tenant_id', '=', tenantId)
        .orderBy('version')
        .execute(),
    );

  async function writeValues(tenantId: string, secretCount: number, blobCount: number): Promise<void> {
    for (let i = 0; i < secretCount; i++)
      await putSecret(secrets, tenantId, `secret-${i}`, `value ${i} of ${tenantId}`);
    await withTenant(t.handle, tenantId, async (trx) => {
      for (let i = 0; i < blobCount; i++) {
        const id = newId();
        const content = await keyring.sealBytes(trx, blobContext(tenantId, id), Buffer.from(`blob ${i}`));
        await sql`insert into sealed_blobs_test (id, tenant_id, content) values (${id}, ${tenantId}, ${content})`.execute(
          trx,
        );
      }
    });
  }

  async function expectAllReadable(tenantId: string, secretCount: number, blobCount: number): Promise<void> {
    for (let i = 0; i < secretCount; i++) {
      expect(await getSecret(secrets, tenantId, `secret-${i}`)).toBe(`value ${i} of ${tenantId}`);
    }
    const blobs = await rawBlobs(tenantId);
    expect(blobs).toHaveLength(blobCount);
    const opened = await withTenant(t.handle, tenantId, (trx) =>
      Promise.all(
        blobs.map((b) => keyring.openBytes(trx, blobContext(tenantId, b.id), Buffer.from(b.content))),
      ),
    );
    expect(opened.map((b) => b.toString()).sort()).toEqual(
      Array.from({ length: blobCount }, (_, i) => `blob ${i}`).sort(),
    );
  }

  const versionsOf = async (tenantId: string) => [
    ...(await rawSecrets(tenantId)).map((r) => readKeyVersion(r.sealed_value)),
    ...(await rawBlobs(tenantId)).map((r) => readKeyVersion(Buffer.from(r.content))),
  ];

  it('SEC-9: values written under key version 1 still open after rotation to version 2; new writes use 2', async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    await writeValues(a, 4, 2);
    expect(new Set(await versionsOf(a))).toEqual(new Set([1]));
    expect((await rotateTenantDataKey(deps, a)).version).toBe(2);
    expect(await keyStates(a)).toEqual([
      { version: 1, state: 'decrypt_only' },
      { version: 2, state: 'active' },
    ]);
    await expectAllReadable(a, 4, 2);
    await putSecret(secrets, a, 'written-after', 'new value');
    const after = (await rawSecrets(a)).find((r) => r.name === 'written-after');
    expect(readKeyVersion(after?.sealed_value as string)).toBe(2);
  });

  it('SEC-9: after the re-encryption job every value is version 2, and opening a version-1 value fails loudly', async () => {
    const { a, b } = await seedTwoTenants(t.handle, clock);
    await writeValues(a, 7, 3);
    await writeValues(b, 2, 1);
    const oldSecret = (await rawSecrets(a)).find((r) => r.name === 'secret-0');
    const { jobId } = await rotateTenantDataKey(deps, a);

    const jobs = runner();
    expect(await drain(jobs)).toBeGreaterThan(0);
    expect(new Set(await versionsOf(a))).toEqual(new Set([2]));
    const job = await withTenant(t.handle, a, (trx) => getJob(trx, a, jobId));
    expect(job?.status).toBe('succeeded');
    expect(job?.progress).toMatchObject({ done: 10, total: 10 });
    expect(job?.result).toMatchObject({ activeVersion: 2, reencrypted: 10, retiredVersions: [] });
    // Other nodes may still seal with version 1 until their key cache expires: it stays readable until then.
    expect(await keyStates(a)).toEqual([
      { version: 1, state: 'decrypt_only' },
      { version: 2, state: 'active' },
    ]);
    expect(await jobs.runOnce()).toBe(false);

    clock.advance(keyring.cacheTtlMs + 1_000);
    expect(await drain(jobs)).toBeGreaterThan(0);
    expect(await keyStates(a)).toEqual([
      { version: 1, state: 'retired' },
      { version: 2, state: 'active' },
    ]);
    await expectAllReadable(a, 7, 3);

    // A version-1 value (say, from before the job) now fails loudly instead of opening.
    const ctx = {
      tenantId: a,
      table: 'tenant_secrets',
      column: 'sealed_value',
      rowId: oldSecret?.id as string,
    };
    const err = await withTenant(t.handle, a, (trx) =>
      keyring.open(trx, ctx, oldSecret?.sealed_value as string),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealedValueError);
    expect((err as SealedValueError).code).toBe('key_retired');

    // Tenant B was not rotated: its values keep version 1 and open.
    expect(new Set(await versionsOf(b))).toEqual(new Set([1]));
    await expectAllReadable(b, 2, 1);
  });

  it('SEC-9: a re-encryption interrupted after one batch finishes on the next run', async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    await writeValues(a, 8, 0);
    await rotateTenantDataKey(deps, a);
    const crashing: JobContext = {
      signal: new AbortController().signal,
      // Dies at the first report after a batch that did work.
      async reportProgress(progress) {
        if (progress.done > 0) throw new Error('the node died');
      },
    };
    await expect(reencryptTenant(deps, { tenantId: a }, crashing)).rejects.toThrow('the node died');
    const partly = await versionsOf(a);
    expect(partly.filter((v) => v === 2)).toHaveLength(3);
    expect(partly.filter((v) => v === 1)).toHaveLength(5);

    const resumed = await reencryptTenant(deps, { tenantId: a });
    expect(resumed.reencrypted).toBe(5);
    expect(new Set(await versionsOf(a))).toEqual(new Set([2]));
    await expectAllReadable(a, 8, 0);
  });

  it("SEC-9: destroying tenant A's keys makes A's values unreadable while B's still open", async () => {
    const { a, b } = await seedTwoTenants(t.handle, clock);
    await writeValues(a, 3, 1);
    await writeValues(b, 3, 1);
    const destroyed = await withTenant(t.handle, a, (trx) => destroyTenantKeys(trx, keyring, a));
    expect(destroyed).toBe(1);
    expect(await keyStates(a)).toEqual([]);
    expect(await provider.findKek(kekLabel('tenant', a))).toBeUndefined();
    expect(await provider.findKek(kekLabel('tenant', b))).toBeDefined();

    for (const reader of [keyring, createKeyring({ provider, clock })]) {
      const readerSecrets = { ...secrets, keyring: reader };
      for (let i = 0; i < 3; i++) {
        const err = await getSecret(readerSecrets, a, `secret-${i}`).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SealedValueError);
        expect((err as SealedValueError).code).toBe('key_destroyed');
      }
      const [blob] = await rawBlobs(a);
      const err = await withTenant(t.handle, a, (trx) =>
        reader.openBytes(trx, blobContext(a, blob?.id as string), Buffer.from(blob?.content as Buffer)),
      ).catch((e: unknown) => e);
      expect((err as SealedValueError).code).toBe('key_destroyed');
    }
    await expectAllReadable(b, 3, 1);
  });

  it('SEC-12: KEK rotation re-wraps every data key and link key under new KEKs, destroys the old ones, and everything still opens', async () => {
    const { a, b } = await seedTwoTenants(t.handle, clock);
    await writeValues(a, 2, 1);
    await writeValues(b, 2, 1);
    const organizationId = await withSystem(t.handle, async (trx) => {
      const row = await trx
        .selectFrom('tenants')
        .select('organization_id')
        .where('id', '=', a)
        .executeTakeFirst();
      return String(row?.organization_id);
    });
    const links = createLinkKeys({ provider, clock });
    const reference = await withTenant(t.handle, a, (trx) =>
      links.employeeReference(trx, organizationId, 'entra:t:o'),
    );
    const oldKeks = [kekLabel('tenant', a), kekLabel('tenant', b), kekLabel('organization', organizationId)];
    for (const label of oldKeks) expect(await provider.findKek(label)).toBeDefined();

    const { jobId } = await rotateAllKeks(deps);
    expect(await drain(runner())).toBeGreaterThan(0);
    const job = await withSystem(t.handle, (trx) => getJob(trx, null, jobId));
    expect(job?.status).toBe('succeeded');
    expect(job?.result).toMatchObject({ unreadable: 0 });
    expect((job?.result as { tenants?: number } | undefined)?.tenants).toBeGreaterThanOrEqual(2);

    const wrappers = await withSystem(t.handle, async (trx) => ({
      tenantKeys: await trx
        .selectFrom('tenant_keys')
        .select(['tenant_id', 'master_key_id'])
        .where('tenant_id', 'in', [a, b])
        .execute(),
      linkKeys: await trx
        .selectFrom('organization_link_keys')
        .select('master_key_id')
        .where('organization_id', '=', organizationId)
        .where('destroyed_at', 'is', null)
        .execute(),
    }));
    expect(wrappers.tenantKeys).toHaveLength(2);
    for (const row of wrappers.tenantKeys) {
      expect(row.master_key_id).toBe(await provider.findKek(kekLabel('tenant', String(row.tenant_id), 2)));
    }
    expect(wrappers.linkKeys.map((r) => r.master_key_id)).toEqual([
      await provider.findKek(kekLabel('organization', organizationId, 2)),
    ]);
    // The old KEKs are gone: a backup's copies of the keys wrapped under them open nothing.
    for (const label of oldKeks) expect(await provider.findKek(label)).toBeUndefined();

    // A node with nothing cached unwraps under the new KEKs.
    const freshNode = createKeyring({ provider, clock });
    const freshSecrets = { ...secrets, keyring: freshNode };
    for (const tenantId of [a, b]) {
      for (let i = 0; i < 2; i++) {
        expect(await getSecret(freshSecrets, tenantId, `secret-${i}`)).toBe(`value ${i} of ${tenantId}`);
      }
    }
    const freshLinks = createLinkKeys({ provider, clock });
    expect(
      await withTenant(t.handle, a, (trx) => freshLinks.employeeReference(trx, organizationId, 'entra:t:o')),
    ).toBe(reference);
  });

  it('SEC-12: a node that read the key rows before another node rotated the KEK still opens old values', async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    await writeValues(a, 2, 0);
    await rotateTenantDataKey(deps, a);
    // This node knows both versions' rows but has unwrapped only the active one.
    const node = createKeyring({ provider, clock, cacheTtlMs: 60_000 });
    const nodeSecrets = { ...secrets, keyring: node };
    await putSecret(nodeSecrets, a, 'written-on-the-node', 'v2 value');

    const rotation = await rotateTenantKek(deps, a);
    expect(rotation).toMatchObject({ rewrapped: 2, unreadable: 0 });
    expect(await provider.findKek(kekLabel('tenant', a))).toBeUndefined();
    // Version 1 is unwrapped now, under the new KEK, after the old one was destroyed.
    expect(await getSecret(nodeSecrets, a, 'secret-0')).toBe(`value 0 of ${a}`);
    expect(await getSecret(nodeSecrets, a, 'written-on-the-node')).toBe('v2 value');
  });
});
