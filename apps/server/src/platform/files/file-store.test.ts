import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ErrorCode } from '@thestorage/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { createRepos } from '../../repos';
import { DAY_MS, ManualClock } from '../clock';
import { readKeyVersion } from '../crypto/envelope';
import { createKeyring, type TenantKeyring } from '../crypto/keyring-service';
import { createLocalKeyProvider } from '../crypto/local-key-provider';
import { destroyTenantKeys, reencryptTenant, rotateTenantDataKey } from '../crypto/rotation';
import { withSystem, withTenant } from '../db/tenant-scope';
import { seedTwoTenants } from '../jobs/testing';
import { FILE_RULES, type FilePurpose } from './file-rules';
import { deleteFile, type NewFile, readFile, restoreFile, storeFile } from './file-store';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A PDF-looking body of exactly `size` bytes with `marker` near the start. */
const pdf = (size: number, marker = 'invoice'): Buffer => {
  const head = Buffer.from(`%PDF-1.7\n% ${marker}\n`);
  return Buffer.concat([head, Buffer.alloc(Math.max(size - head.length, 0), 0x20)]).subarray(0, size);
};

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

/** A 6.25 MB upload of PDF bytes that counts the chunks the reader pulls and notices being closed. */
function countingUpload() {
  const seen = { pulled: 0, closed: false };
  async function* chunks() {
    try {
      while (seen.pulled < 100) {
        seen.pulled++;
        yield seen.pulled === 1 ? pdf(CHUNK) : Buffer.alloc(CHUNK, 0x20);
      }
    } finally {
      seen.closed = true;
    }
  }
  return { seen, body: chunks() };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => err as { code: ErrorCode; message: string },
  );

describe.each(databaseTargets())('encrypted file store on $name', (target) => {
  let db: TestDatabase;
  let tenants: { a: string; b: string };
  let keyring: TenantKeyring;
  let keyDir: string;
  let provider: ReturnType<typeof createLocalKeyProvider>;
  const clock = new ManualClock('2026-11-29T10:00:00.000Z');

  const store = (tenantId: string, input: Omit<NewFile, 'tenantId'>) =>
    withTenant(db.handle, tenantId, (trx) => storeFile(trx, keyring, { ...input, tenantId }, clock));
  const read = (tenantId: string, id: string) =>
    withTenant(db.handle, tenantId, (trx) => readFile(trx, keyring, tenantId, id));
  const invoice = (tenantId: string, bytes: Buffer) =>
    store(tenantId, { purpose: 'invoice', contentType: 'application/pdf', body: Readable.from([bytes]) });
  const rawRow = (id: string) =>
    withSystem(db.ownerHandle, (trx) =>
      trx.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  const fileCount = () =>
    withSystem(db.handle, async (trx) => (await trx.selectFrom('files').select('id').execute()).length);

  beforeAll(async () => {
    db = await target.create();
    tenants = await seedTwoTenants(db.handle, clock);
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-files-keys-'));
    provider = createLocalKeyProvider({ file: path.join(keyDir, 'master.key'), clock });
    keyring = createKeyring({ provider, clock });
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('DEV-1: an invoice PDF is stored and read back byte for byte through the tenant repositories', async () => {
    const bytes = pdf(300_000, 'round trip');
    const repos = createRepos(db.handle);
    const stored = await repos.forTenant(tenants.a).transaction((r) =>
      r.files.store(
        keyring,
        {
          purpose: 'invoice',
          contentType: 'Application/PDF; charset=binary',
          body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
          declaredLength: bytes.length,
          createdBy: 'subject-ref-1',
        },
        clock,
      ),
    );
    expect(stored).toMatchObject({ purpose: 'invoice', contentType: 'application/pdf', size: 300_000 });
    const back = await repos.forTenant(tenants.a).transaction((r) => r.files.read(keyring, stored.id));
    expect(back.contentType).toBe('application/pdf');
    expect(back.size).toBe(300_000);
    expect(back.bytes.equals(bytes)).toBe(true);
  });

  it('DEV-1: an invoice of exactly 2 MB is accepted', async () => {
    const stored = await invoice(tenants.a, pdf(2 * MB));
    expect(stored.size).toBe(2 * MB);
    expect((await read(tenants.a, stored.id)).bytes.length).toBe(2 * MB);
  });

  it('DEV-1: an invoice declared as 2 MB + 1 byte is refused before a byte is read', async () => {
    const before = await fileCount();
    const upload = countingUpload();
    const err = await refusal(
      store(tenants.a, {
        purpose: 'invoice',
        contentType: 'application/pdf',
        body: upload.body,
        declaredLength: 2 * MB + 1,
      }),
    );
    expect(err).toMatchObject({ code: ErrorCode.PayloadTooLarge, message: 'The file is larger than 2 MB' });
    expect(upload.seen.pulled).toBe(0);
    expect(await fileCount()).toBe(before);
  });

  it.each([
    ['lies about its length', 1_000],
    ['sends no length', undefined],
  ])('DEV-1: an upload that %s is cut off as soon as it passes 2 MB', async (_what, declaredLength) => {
    const before = await fileCount();
    const upload = countingUpload();
    const err = await refusal(
      store(tenants.a, {
        purpose: 'invoice',
        contentType: 'application/pdf',
        body: upload.body,
        declaredLength,
      }),
    );
    expect(err).toMatchObject({ code: ErrorCode.PayloadTooLarge, message: 'The file is larger than 2 MB' });
    // 32 chunks of 64 KiB make exactly 2 MB; the 33rd passes the limit and nothing more is pulled.
    expect(upload.seen.pulled).toBe((2 * MB) / CHUNK + 1);
    expect(upload.seen.closed).toBe(true);
    expect(await fileCount()).toBe(before);
  });

  it('DEV-1: a stream that passes the limit is destroyed, not drained', async () => {
    const upload = countingUpload();
    const stream = Readable.from(upload.body);
    const err = await refusal(
      store(tenants.a, { purpose: 'invoice', contentType: 'application/pdf', body: stream }),
    );
    expect(err).toMatchObject({ code: ErrorCode.PayloadTooLarge });
    expect(stream.destroyed).toBe(true);
    expect(upload.seen.closed).toBe(true);
    expect(upload.seen.pulled).toBeLessThan(40);
  });

  it('DEV-1: a file renamed to .pdf, or a type the purpose does not take, is refused', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(1000)]);
    const cases: [FilePurpose, string, Buffer][] = [
      ['invoice', 'application/pdf', exe],
      ['invoice', 'application/pdf', PNG],
      ['invoice', 'application/pdf', Buffer.alloc(0)],
      ['invoice', 'image/png', PNG],
      ['device_image', 'image/jpeg', PNG],
      ['device_image', 'image/gif', Buffer.from('GIF89a')],
      ['device_image', 'image/webp', Buffer.from('RIFF\x04\x00\x00\x00WAVEfmt ')],
    ];
    for (const [purpose, contentType, bytes] of cases) {
      const err = await refusal(store(tenants.a, { purpose, contentType, body: Readable.from([bytes]) }));
      expect(err, `${purpose} ${contentType}`).toMatchObject({ code: ErrorCode.ValidationFailed });
    }
  });

  it('DEV-1: device images may be PNG, JPEG or WebP up to 5 MB', async () => {
    for (const [contentType, bytes] of [
      ['image/png', PNG],
      ['image/jpeg', JPEG],
      ['image/webp', WEBP],
    ] as const) {
      const stored = await store(tenants.b, {
        purpose: 'device_image',
        contentType,
        body: Readable.from([bytes]),
      });
      expect((await read(tenants.b, stored.id)).bytes.equals(bytes)).toBe(true);
    }
    const big = Buffer.concat([PNG, Buffer.alloc(FILE_RULES.device_image.maxBytes + 1 - PNG.length)]);
    const err = await refusal(
      store(tenants.b, { purpose: 'device_image', contentType: 'image/png', body: Readable.from([big]) }),
    );
    expect(err).toMatchObject({ code: ErrorCode.PayloadTooLarge, message: 'The file is larger than 5 MB' });
  });

  it('SEC-9: the stored content is sealed: the raw row and database files never hold the plaintext', async () => {
    const canary = `CANARY-INVOICE-${randomBytes(8).toString('hex')}`;
    const bytes = pdf(50_000, canary);
    const stored = await invoice(tenants.a, bytes);
    const row = await rawRow(stored.id);
    const content = Buffer.from(row!.content);
    expect(row!.size_bytes).toBe(bytes.length);
    expect(content.length).toBeGreaterThan(bytes.length);
    expect(content.includes(canary)).toBe(false);
    expect(content.includes('%PDF-')).toBe(false);
    if (db.file) {
      for (const file of [db.file, `${db.file}-wal`].filter((f) => fs.existsSync(f))) {
        expect(fs.readFileSync(file).includes(canary), file).toBe(false);
      }
    }
    expect((await read(tenants.a, stored.id)).bytes.includes(canary)).toBe(true);
  });

  it('SEC-9: sealed content copied into another file row does not open', async () => {
    const one = await invoice(tenants.a, pdf(1_000, 'one'));
    const two = await invoice(tenants.a, pdf(1_000, 'two'));
    const sealedOne = (await rawRow(one.id))!.content;
    await withTenant(db.handle, tenants.a, (trx) =>
      trx.updateTable('files').set({ content: sealedOne }).where('id', '=', two.id).execute(),
    );
    await expect(read(tenants.a, two.id)).rejects.toThrow();
    expect((await read(tenants.a, one.id)).bytes.includes('one')).toBe(true);
  });

  it('SEC-8: another tenant’s file is not found, and cannot be deleted', async () => {
    const stored = await invoice(tenants.a, pdf(1_000));
    expect(await refusal(read(tenants.b, stored.id))).toMatchObject({ code: ErrorCode.NotFound });
    expect(
      await refusal(withTenant(db.handle, tenants.b, (trx) => deleteFile(trx, tenants.b, stored.id, clock))),
    ).toMatchObject({ code: ErrorCode.NotFound });
    expect(await refusal(read(tenants.a, 'not-a-uuid'))).toMatchObject({ code: ErrorCode.NotFound });
    expect((await read(tenants.a, stored.id)).size).toBe(1_000);
  });

  it('DEV-1: a deleted file is unreadable at once, kept 14 days and restorable within them', async () => {
    const stored = await invoice(tenants.a, pdf(2_000));
    const { purgeAfter } = await withTenant(db.handle, tenants.a, (trx) =>
      deleteFile(trx, tenants.a, stored.id, clock),
    );
    expect(purgeAfter).toBe(new Date(clock.now().getTime() + 14 * DAY_MS).toISOString());
    expect(await refusal(read(tenants.a, stored.id))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await rawRow(stored.id)).toMatchObject({
      deleted_at: clock.now().toISOString(),
      purge_after: purgeAfter,
      version: 2,
    });

    clock.advance(14 * DAY_MS - 1);
    await withTenant(db.handle, tenants.a, (trx) => restoreFile(trx, tenants.a, stored.id, clock));
    expect((await read(tenants.a, stored.id)).size).toBe(2_000);
    expect(await rawRow(stored.id)).toMatchObject({ deleted_at: null, purge_after: null, version: 3 });

    await withTenant(db.handle, tenants.a, (trx) => deleteFile(trx, tenants.a, stored.id, clock));
    clock.advance(14 * DAY_MS);
    expect(
      await refusal(withTenant(db.handle, tenants.a, (trx) => restoreFile(trx, tenants.a, stored.id, clock))),
    ).toMatchObject({ code: ErrorCode.NotFound });
  });

  it('SEC-9: a file sealed under the old data key opens after rotation and is re-sealed by the re-encryption job', async () => {
    const bytes = pdf(20_000, 'rotation');
    const stored = await invoice(tenants.b, bytes);
    const sealedVersion = async () => readKeyVersion(Buffer.from((await rawRow(stored.id))!.content));
    const before = await sealedVersion();
    const deps = { handle: db.handle, provider, keyring, clock, settleMs: 0 };
    const { version } = await rotateTenantDataKey(deps, tenants.b);
    expect(version).toBe(before + 1);
    expect((await read(tenants.b, stored.id)).bytes.equals(bytes)).toBe(true);

    const result = await reencryptTenant(deps, { tenantId: tenants.b });
    expect(result).toMatchObject({ activeVersion: version, unreadableCount: 0 });
    expect(await sealedVersion()).toBe(version);
    expect((await read(tenants.b, stored.id)).bytes.equals(bytes)).toBe(true);
  });

  it('SEC-9: destroying a tenant’s data key makes its files unreadable while other tenants’ still open', async () => {
    const shredded = await seedTwoTenants(db.handle, clock);
    const gone = await invoice(shredded.a, pdf(1_000, 'shredded'));
    const kept = await invoice(shredded.b, pdf(1_000, 'kept'));
    await withTenant(db.handle, shredded.a, (trx) => destroyTenantKeys(trx, keyring, shredded.a));
    await expect(read(shredded.a, gone.id)).rejects.toThrow();
    expect((await read(shredded.b, kept.id)).bytes.includes('kept')).toBe(true);
  });
});
