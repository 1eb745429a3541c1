import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import { systemClock } from '../../apps/server/src/platform/clock';
import { createKeyring } from '../../apps/server/src/platform/crypto/keyring-service';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import { openSqlite } from '../../apps/server/src/platform/db/connect';
import { newId } from '../../apps/server/src/platform/db/ids';
import { migrateToLatest } from '../../apps/server/src/platform/db/migrations';
import { withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import { createRepos } from '../../apps/server/src/repos';

export interface SealFigure {
  values: number;
  /** Seal plus open of one licence key through the keyring (per-tenant data key, bound context, format). */
  sealOpenPerSec: number;
  /** The same plaintext through bare AES-256-GCM (random IV, tag, associated data) in this process. */
  rawSealOpenPerSec: number;
  ratio: number;
}

const LICENCE_KEY = 'XKCD4-HUNTER2-Q8Z7P-M3NV5-2WQ9R';

/** SPEC 9 / SEC-9: what envelope encryption costs a licence key, beside bare AES-GCM in the same process. */
export async function benchSeal(values: number): Promise<SealFigure> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-bench-seal-'));
  const handle = openSqlite(path.join(dir, 'seal.sqlite'));
  try {
    await migrateToLatest(handle);
    const clock = systemClock;
    const keyring = createKeyring({
      provider: createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock }),
      clock,
    });
    const { tenant } = await createOrganizationWithTenant(
      { name: 'Bench Seal', slug: `bench-seal-${process.pid}`, clock },
      createRepos(handle),
    );
    const tenantId = String(tenant.id);
    const contexts = Array.from({ length: values }, () => ({
      tenantId,
      table: 'software_keys',
      column: 'licence_key',
      rowId: newId(),
    }));
    const keyringMs = await withTenant(handle, tenantId, async (trx) => {
      // The first seal creates and unwraps the tenant's data key; the figure is the steady state after it.
      await keyring.open(trx, contexts[0]!, await keyring.seal(trx, contexts[0]!, LICENCE_KEY));
      const started = performance.now();
      for (const ctx of contexts) {
        const sealed = await keyring.seal(trx, ctx, LICENCE_KEY);
        if ((await keyring.open(trx, ctx, sealed)) !== LICENCE_KEY) throw new Error('round trip failed');
      }
      return performance.now() - started;
    });
    const key = randomBytes(32);
    const started = performance.now();
    for (const ctx of contexts) {
      const aad = Buffer.from(`${ctx.tenantId}|${ctx.table}|${ctx.column}|${ctx.rowId}|1`);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 }).setAAD(aad);
      const body = Buffer.concat([cipher.update(LICENCE_KEY, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 }).setAAD(aad);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      if (plain !== LICENCE_KEY) throw new Error('round trip failed');
    }
    const rawMs = performance.now() - started;
    const sealOpenPerSec = Math.round(values / (keyringMs / 1000));
    const rawSealOpenPerSec = Math.round(values / (rawMs / 1000));
    return {
      values,
      sealOpenPerSec,
      rawSealOpenPerSec,
      ratio: Math.round((sealOpenPerSec / rawSealOpenPerSec) * 100) / 100,
    };
  } finally {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
