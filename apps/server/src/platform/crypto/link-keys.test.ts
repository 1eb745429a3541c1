import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../../../../test/support/databases';
import { ManualClock } from '../clock';
import { withSystem, withTenant } from '../db/tenant-scope';
import { seedTwoTenants } from '../jobs/testing';
import { kekLabel } from './keks';
import type { KeyProvider } from './key-provider';
import { createLinkKeys } from './link-keys';
import { createLocalKeyProvider } from './local-key-provider';

describe.each(databaseTargets())('$name link keys', (target) => {
  let t: TestDatabase;
  let dir: string;
  let provider: KeyProvider;
  const clock = new ManualClock();

  beforeAll(async () => {
    t = await target.create();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-link-keys-'));
    provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh organization with one tenant; returns both ids. */
  async function organization(): Promise<{ organizationId: string; tenantId: string }> {
    const { a } = await seedTwoTenants(t.handle, clock);
    const row = await withSystem(t.handle, (trx) =>
      trx.selectFrom('tenants').select('organization_id').where('id', '=', a).executeTakeFirstOrThrow(),
    );
    return { organizationId: String(row.organization_id), tenantId: a };
  }

  it('SEC-6: the same identity gets the same reference within an organization, on every node', async () => {
    const org = await organization();
    const nodeA = createLinkKeys({ provider, clock });
    const nodeB = createLinkKeys({ provider, clock });
    const reference = (node: typeof nodeA, identity: string) =>
      withTenant(t.handle, org.tenantId, (trx) => node.employeeReference(trx, org.organizationId, identity));
    const first = await reference(nodeA, 'entra:tenant-1:object-1');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await reference(nodeA, 'entra:tenant-1:object-1')).toBe(first);
    expect(await reference(nodeB, 'entra:tenant-1:object-1')).toBe(first);
    expect(await reference(nodeA, 'entra:tenant-1:object-2')).not.toBe(first);
    // Never the identity itself, nor a plain hash of it.
    expect(first).not.toContain('object-1');
  });

  it('SEC-6: the same identity gets different references in different organizations', async () => {
    const [one, two] = [await organization(), await organization()];
    const links = createLinkKeys({ provider, clock });
    const inOne = await withTenant(t.handle, one.tenantId, (trx) =>
      links.employeeReference(trx, one.organizationId, 'google:1234567890'),
    );
    const inTwo = await withTenant(t.handle, two.tenantId, (trx) =>
      links.employeeReference(trx, two.organizationId, 'google:1234567890'),
    );
    expect(inOne).not.toBe(inTwo);
  });

  it('SEC-6: after the link key and its KEK are destroyed the old reference can no longer be reproduced', async () => {
    const org = await organization();
    const links = createLinkKeys({ provider, clock });
    const reference = (node: typeof links) =>
      withTenant(t.handle, org.tenantId, (trx) =>
        node.employeeReference(trx, org.organizationId, 'entra:t:o'),
      );
    const before = await reference(links);

    const destroyed = await withSystem(t.handle, (trx) =>
      links.destroyOrganizationLinkKey(trx, org.organizationId),
    );
    expect(destroyed).toBe(1);
    const stored = await withSystem(t.handle, (trx) =>
      trx
        .selectFrom('organization_link_keys')
        .selectAll()
        .where('organization_id', '=', org.organizationId)
        .execute(),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.wrapped_key).toBeNull();
    expect(stored[0]?.destroyed_at).not.toBeNull();
    expect(await provider.findKek(kekLabel('organization', org.organizationId))).toBeUndefined();

    // This node and a node that never saw the old key both derive something else now.
    expect(await reference(links)).not.toBe(before);
    expect(await reference(createLinkKeys({ provider, clock }))).not.toBe(before);
    const versions = await withSystem(t.handle, (trx) =>
      trx
        .selectFrom('organization_link_keys')
        .select(['version', 'destroyed_at', 'master_key_id'])
        .where('organization_id', '=', org.organizationId)
        .orderBy('version')
        .execute(),
    );
    expect(versions.map((v) => [v.version, v.destroyed_at === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    // The new link key has a new KEK, under a label never used before (a vault may keep old names taken).
    expect(versions[1]?.master_key_id).toBe(
      await provider.findKek(kekLabel('organization', org.organizationId, 2)),
    );
  });
});
