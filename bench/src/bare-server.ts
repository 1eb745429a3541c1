import { readFileSync } from 'node:fs';
import { deviceListQuerySchema } from '@thestorage/contracts';
import Fastify from 'fastify';
import { devicesPage } from '../../apps/server/src/modules/devices/service';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { systemClock } from '../../apps/server/src/platform/clock';
import { type DatabaseHandle, openPostgres, openSqlite } from '../../apps/server/src/platform/db/connect';
import { withSystem } from '../../apps/server/src/platform/db/tenant-scope';
import type { Actor } from '../../apps/server/src/platform/http/actor';
import { ensureDevCertificate } from '../../apps/server/src/platform/tls/dev-ca';
import { tlsHardening } from '../../apps/server/src/platform/tls/tls-options';
import { createRepos } from '../../apps/server/src/repos';

/**
 * The baseline server of the list figures (issue 8): Fastify with no plugin, on the app's certificate and
 * TLS settings. `/hello` answers a constant; `/raw/devices` runs the device list's repository queries for
 * the demo tenant and returns the same JSON shape — no session, permission, rate limit, CSRF, security
 * headers or response schema. Employee names come from an empty cache (the shape is the same).
 */
export async function bareServer(dataDir: string, database: string) {
  const files = await ensureDevCertificate(dataDir, new Date());
  const handle: DatabaseHandle = database.startsWith('postgres')
    ? openPostgres({ url: database, requireTls: false, max: 10 })
    : openSqlite(database);
  const repos = createRepos(handle);
  const tenant = await withSystem(handle, (trx) =>
    trx
      .selectFrom('tenants')
      .select(['id', 'organization_id'])
      .where('slug', '=', 'demo')
      .executeTakeFirstOrThrow(),
  );
  const actor = { tenantId: String(tenant.id), organizationId: String(tenant.organization_id) } as Actor;
  const deps = {
    repos,
    clock: systemClock,
    directoryCache: createDirectoryCache({
      cache: createMemoryCache({ clock: systemClock }),
      clock: systemClock,
    }),
  };
  const app = Fastify({
    logger: false,
    https: { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile), ...tlsHardening },
  });
  app.get('/hello', async () => ({ hello: 'world' }));
  app.get('/raw/devices', async (request) => {
    // The same query parsing as the real route; only the response goes out without its schema.
    const query = deviceListQuerySchema.parse(request.query);
    return repos.forTenant(actor.tenantId).transaction((r) => devicesPage(deps, r, actor, query));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://localhost:${port}`,
    async close() {
      await app.close();
      await handle.destroy();
    },
  };
}
