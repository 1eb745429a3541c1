import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { providerTargets } from '../../../../../test/support/key-provider-targets';
import { getSecret, putSecret, type SecretsDeps } from '../../modules/secrets/secrets-service';
import { createRepos } from '../../repos';
import { ManualClock } from '../clock';
import type { DatabaseHandle } from '../db/connect';
import type { OrganizationLinkKeyRow, TenantKeyRow } from '../db/schema';
import { withSystem, withTenant } from '../db/tenant-scope';
import { seedTwoTenants } from '../jobs/testing';
import { SealedValueError } from './envelope';
import { kekLabel } from './keks';
import { type KeyProvider, KeyProviderError } from './key-provider';
import { createKeyring } from './keyring-service';
import { createLinkKeys } from './link-keys';
import { destroyTenantKeys } from './rotation';

const clock = new ManualClock();

/** A backup as the owner takes it: every key row, in memory. */
const backupTenantKeys = (owner: DatabaseHandle) =>
  withSystem(owner, (trx) => trx.selectFrom('tenant_keys').selectAll().execute());

/** A restore as the owner does it: the table is put back exactly as it was in the backup. */
const restoreTenantKeys = (owner: DatabaseHandle, rows: TenantKeyRow[]) =>
  withSystem(owner, async (trx) => {
    await trx.deleteFrom('tenant_keys').execute();
    for (const row of rows) await trx.insertInto('tenant_keys').values(row).execute();
  });

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );

describe.each(
  databaseTargets().flatMap((database) =>
    providerTargets(clock).map((provider) => ({
      database,
      provider,
      name: `${database.name} + ${provider.name}`,
    })),
  ),
)('$name crypto-shredding', ({ database, provider: providerTarget }) => {
  let t: TestDatabase;
  let provider: KeyProvider;

  beforeAll(async () => {
    t = await database.create();
    await providerTarget.start();
    provider = providerTarget.open();
  });
  afterAll(async () => {
    await provider?.close();
    await providerTarget.stop();
    await t?.close();
  });

  it("SEC-12: after A's keys are destroyed, a backup of the key table restored by the owner opens none of A's values; B's open", async () => {
    const { a, b } = await seedTwoTenants(t.handle, clock);
    const keyring = createKeyring({ provider, clock });
    const secrets: SecretsDeps = { repos: createRepos(t.handle), keyring, clock };
    for (const tenantId of [a, b]) {
      await putSecret(secrets, tenantId, 'license.key', `licence of ${tenantId}`);
      await putSecret(secrets, tenantId, 'smtp.password', `smtp of ${tenantId}`);
    }
    const backup = await backupTenantKeys(t.ownerHandle);
    const backedUpA = backup.filter((r) => r.tenant_id === a);
    expect(backedUpA).toHaveLength(1);

    expect(await withTenant(t.handle, a, (trx) => destroyTenantKeys(trx, keyring, a))).toBe(1);
    expect(await provider.findKek(kekLabel('tenant', a))).toBeUndefined();

    await restoreTenantKeys(t.ownerHandle, backup);
    expect(await backupTenantKeys(t.ownerHandle)).toHaveLength(backup.length);

    // A node started on the restored database, with nothing in memory, and its own provider instance.
    const restarted = providerTarget.open();
    try {
      const node = { ...secrets, keyring: createKeyring({ provider: restarted, clock }) };
      for (const name of ['license.key', 'smtp.password']) {
        const err = await failureOf(getSecret(node, a, name));
        expect(err).toBeInstanceOf(SealedValueError);
        expect((err as SealedValueError).code).toBe('key_destroyed');
        expect(await getSecret(node, b, name)).toBe(`${name === 'license.key' ? 'licence' : 'smtp'} of ${b}`);
      }
      // The restored wrapped key itself no longer unwraps: its KEK is gone from the provider.
      const [row] = backedUpA;
      const unwrapErr = await failureOf(
        restarted.unwrapKey(String(row?.master_key_id), Buffer.from(row?.wrapped_key as Buffer)),
      );
      expect(unwrapErr).toBeInstanceOf(KeyProviderError);
      expect((unwrapErr as KeyProviderError).code).toBe('unknown_kek');
    } finally {
      await restarted.close();
    }
  });

  it("SEC-12: after an organization's link key is destroyed, a restored backup of it cannot reproduce any reference", async () => {
    const { a } = await seedTwoTenants(t.handle, clock);
    const organizationId = await withSystem(t.handle, async (trx) =>
      String(
        (
          await trx
            .selectFrom('tenants')
            .select('organization_id')
            .where('id', '=', a)
            .executeTakeFirstOrThrow()
        ).organization_id,
      ),
    );
    const links = createLinkKeys({ provider, clock });
    const reference = await withTenant(t.handle, a, (trx) =>
      links.employeeReference(trx, organizationId, 'entra:tenant:object'),
    );
    const backup: OrganizationLinkKeyRow[] = await withSystem(t.ownerHandle, (trx) =>
      trx
        .selectFrom('organization_link_keys')
        .selectAll()
        .where('organization_id', '=', organizationId)
        .execute(),
    );
    expect(backup).toHaveLength(1);

    await withSystem(t.handle, (trx) => links.destroyOrganizationLinkKey(trx, organizationId));
    await withSystem(t.ownerHandle, async (trx) => {
      await trx.deleteFrom('organization_link_keys').where('organization_id', '=', organizationId).execute();
      for (const row of backup) await trx.insertInto('organization_link_keys').values(row).execute();
    });

    const node = createLinkKeys({ provider, clock });
    const again = await failureOf(
      withTenant(t.handle, a, (trx) => node.employeeReference(trx, organizationId, 'entra:tenant:object')),
    );
    expect(again).toBeInstanceOf(KeyProviderError);
    expect((again as KeyProviderError).code).toBe('unknown_kek');
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
  });
});
