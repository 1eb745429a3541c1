import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import { credentialSecretName } from '../../apps/server/src/modules/directory/sync/connections-repo';
import { createConnectorFactory } from '../../apps/server/src/modules/directory/sync/connector-factory';
import { runDirectorySync } from '../../apps/server/src/modules/directory/sync/directory-sync';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { systemClock } from '../../apps/server/src/platform/clock';
import { createKeyring } from '../../apps/server/src/platform/crypto/keyring-service';
import { createLinkKeys } from '../../apps/server/src/platform/crypto/link-keys';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import { openSqlite } from '../../apps/server/src/platform/db/connect';
import { migrateToLatest } from '../../apps/server/src/platform/db/migrations';
import { createRepos } from '../../apps/server/src/repos';
import { entraConnectionTo, startFakeMicrosoftGraph } from '../../test/fakes/microsoft-graph';

export interface DirectorySyncFigure {
  users: number;
  ms: number;
  usersPerMin: number;
}

/**
 * SPEC 9 / DIR-1: a first (full) sync of `users` Entra users through the real sync code — token, Graph
 * paging over HTTPS, employee references, the 14-day cache — from the local Graph fake.
 */
export async function benchDirectorySync(users: number): Promise<DirectorySyncFigure> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-bench-sync-'));
  const graph = await startFakeMicrosoftGraph();
  const handle = openSqlite(path.join(dir, 'sync.sqlite'));
  try {
    await migrateToLatest(handle);
    graph.seedUsers(users);
    const clock = systemClock;
    const provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
    const keyring = createKeyring({ provider, clock });
    const repos = createRepos(handle);
    const { organization, tenant } = await createOrganizationWithTenant(
      { name: 'Bench Sync', slug: `bench-sync-${process.pid}`, clock },
      repos,
    );
    const connection = entraConnectionTo(graph);
    const connectionId = await repos.forTenant(String(tenant.id)).transaction(async (r) => {
      const { after } = await r.directoryConnections.save(
        {
          organizationId: String(organization.id),
          kind: connection.kind,
          settings: connection.settings,
          syncTime: '02:00',
          syncTimeZone: 'UTC',
        },
        clock.now(),
      );
      await r.secrets.put(
        keyring,
        credentialSecretName(String(after.id)),
        connection.credential,
        clock.now(),
      );
      return String(after.id);
    });
    const deps = {
      repos,
      keyring,
      clock,
      linkKeys: createLinkKeys({ provider, clock }),
      directoryCache: createDirectoryCache({ cache: createMemoryCache({ clock }), clock }),
      // The fake listens on loopback with its own CA (production reaches only public addresses).
      connectorFor: createConnectorFactory({
        caPem: graph.caPem,
        addresses: { allowPrivateAddresses: true },
      }),
    };
    const started = performance.now();
    const result = await runDirectorySync(
      deps,
      { tenantId: String(tenant.id), connectionId },
      { signal: new AbortController().signal, reportProgress: async () => {} },
    );
    const ms = performance.now() - started;
    if (result.status !== 'healthy' || result.count !== users) {
      throw new Error(`the sync did not read every user: ${JSON.stringify(result)}`);
    }
    return { users, ms: Math.round(ms), usersPerMin: Math.round(users / (ms / 60_000)) };
  } finally {
    await handle.destroy();
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
