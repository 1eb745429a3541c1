import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../../platform/clock';
import { readKeyVersion, SealedValueError } from '../../platform/crypto/envelope';
import { createKeyring } from '../../platform/crypto/keyring-service';
import { createLocalKeyProvider } from '../../platform/crypto/local-key-provider';
import { withTenant } from '../../platform/db/tenant-scope';
import { AppError } from '../../platform/http/errors';
import { seedTwoTenants } from '../../platform/jobs/testing';
import { createRepos } from '../../repos';
import { deleteSecret, getSecret, listSecrets, putSecret, type SecretsDeps } from './secrets-service';

describe.each(databaseTargets())('$name tenant secrets', (target) => {
  let t: TestDatabase;
  let dir: string;
  let deps: SecretsDeps;
  let tenants: { a: string; b: string };
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await target.create();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-secrets-'));
    const provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
    deps = { repos: createRepos(t.handle), keyring: createKeyring({ provider, clock }), clock };
    tenants = await seedTwoTenants(t.handle, clock);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const rawRows = (tenantId: string) =>
    withTenant(t.handle, tenantId, (trx) =>
      trx
        .selectFrom('tenant_secrets')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('name')
        .execute(),
    );

  it('SEC-9: a tenant secret is stored sealed and reads back in clear only through the service', async () => {
    const { a } = tenants;
    const info = await putSecret(deps, a, 'smtp.password', 'p@ss-w0rd-for-smtp');
    expect(info).toMatchObject({ name: 'smtp.password', version: 1 });
    const [row] = await rawRows(a);
    expect(row?.sealed_value).toMatch(/^ts1\.1\./);
    expect(row?.sealed_value).not.toContain('p@ss');
    expect(await getSecret(deps, a, 'smtp.password')).toBe('p@ss-w0rd-for-smtp');
    expect(await getSecret(deps, a, 'smtp.unknown')).toBeUndefined();
  });

  it('SEC-9: replacing a secret keeps its row and bumps its version; deleting removes it', async () => {
    const { a } = tenants;
    const first = await putSecret(deps, a, 'oidc.clientSecret', 'first');
    clock.advance(1000);
    const second = await putSecret(deps, a, 'oidc.clientSecret', 'second');
    expect(second).toMatchObject({ id: first.id, version: 2, createdAt: first.createdAt });
    expect(second.updatedAt).not.toBe(first.updatedAt);
    expect(await getSecret(deps, a, 'oidc.clientSecret')).toBe('second');
    expect((await listSecrets(deps, a)).map((s) => s.name)).toContain('oidc.clientSecret');
    expect(await deleteSecret(deps, a, 'oidc.clientSecret')).toBe(true);
    expect(await deleteSecret(deps, a, 'oidc.clientSecret')).toBe(false);
    expect(await getSecret(deps, a, 'oidc.clientSecret')).toBeUndefined();
  });

  it("SEC-9: one tenant never sees another tenant's secret", async () => {
    const { a, b } = tenants;
    await putSecret(deps, a, 'directory.credentials', 'only for A');
    expect(await getSecret(deps, b, 'directory.credentials')).toBeUndefined();
    expect((await listSecrets(deps, b)).map((s) => s.name)).not.toContain('directory.credentials');
  });

  it('SEC-9: a sealed value copied into another secret row does not open there', async () => {
    const { a } = tenants;
    await putSecret(deps, a, 'copy.source', 'the real secret');
    await putSecret(deps, a, 'copy.target', 'something else');
    await withTenant(t.handle, a, async (trx) => {
      const source = await trx
        .selectFrom('tenant_secrets')
        .select('sealed_value')
        .where('name', '=', 'copy.source')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('tenant_secrets')
        .set({ sealed_value: source.sealed_value })
        .where('name', '=', 'copy.target')
        .execute();
    });
    const err = await getSecret(deps, a, 'copy.target').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SealedValueError);
    expect((err as SealedValueError).code).toBe('authentication_failed');
    expect((err as Error).message).not.toContain('the real secret');
  });

  it('SEC-9: names and values are validated before anything is stored', async () => {
    const { a } = tenants;
    for (const name of ['', ' spaces ', 'x'.repeat(101), 'semi;colon']) {
      await expect(putSecret(deps, a, name, 'v')).rejects.toBeInstanceOf(AppError);
    }
    await expect(putSecret(deps, a, 'empty.value', '')).rejects.toMatchObject({ code: 'validation_failed' });
    const all = await rawRows(a);
    expect(all.every((r) => readKeyVersion(r.sealed_value) === 1)).toBe(true);
    expect(all.map((r) => r.name)).not.toContain('empty.value');
  });
});
