import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildTestApp } from '../../../../../../test/support/app';
import type { TestDatabase } from '../../../../../../test/support/databases';
import type { AppDeps } from '../../../app';
import { createMemoryCache } from '../../../platform/cache/memory-cache';
import type { ManualClock } from '../../../platform/clock';
import { createKeyring } from '../../../platform/crypto/keyring-service';
import { createLinkKeys } from '../../../platform/crypto/link-keys';
import { createLocalKeyProvider } from '../../../platform/crypto/local-key-provider';
import { withTenant } from '../../../platform/db/tenant-scope';
import type { Actor } from '../../../platform/http/actor';
import type { Role } from '../../../platform/http/permissions';
import { createJobRunner, type JobLogger } from '../../../platform/jobs';
import { createRepos } from '../../../repos';
import { createOrganizationWithTenant } from '../../tenants/tenant-service';
import { createDirectoryCache, type DirectoryCache } from '../cache/directory-cache';
import { createConnectorFactory } from './connector-factory';
import { directoryJobHandlers } from './directory-sync';

export interface DirectoryHarness {
  app: FastifyInstance;
  directoryCache: DirectoryCache;
  organizationId: string;
  tenantId: string;
  /** Every response body the harness saw, to prove no credential ever leaves the server. */
  bodies: string[];
  as(role: Role, tenant?: { tenantId: string; organizationId: string }): void;
  call(options: InjectOptions): Promise<{ status: number; body: unknown; text: string }>;
  /** Runs the queued jobs due now; returns how many ran. */
  runJobs(): Promise<number>;
  newOrganization(slug: string): Promise<{ tenantId: string; organizationId: string }>;
  sealedCredentialsOf(tenantId: string): Promise<string[]>;
  close(): Promise<void>;
}

const silent: JobLogger = { info() {}, warn() {}, error() {} };

/**
 * The directory routes and the sync job on one test database: a memory cache on the test's ManualClock,
 * a local key provider, the fakes' CA trusted, Retry-After waits skipped.
 */
export async function startDirectoryHarness(
  t: TestDatabase,
  clock: ManualClock,
  options: { caPem: string; logger?: JobLogger; appLogger?: AppDeps['logger'] },
): Promise<DirectoryHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-directory-'));
  const provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
  const keyring = createKeyring({ provider, clock });
  const linkKeys = createLinkKeys({ provider, clock });
  const directoryCache = createDirectoryCache({ cache: createMemoryCache({ clock }), clock });
  const repos = createRepos(t.handle);
  const { app, setActor } = await buildTestApp(t.handle, {
    clock,
    // The fakes listen on loopback: this harness lets connections reach it (production does not).
    directory: { keyring, directoryCache, linkKeys, addresses: { allowPrivateAddresses: true } },
    ...(options.appLogger ? { logger: options.appLogger } : {}),
  });
  const logger = options.logger ?? silent;
  const runner = createJobRunner({
    handle: t.handle,
    clock,
    owner: `directory-test-${randomBytes(4).toString('hex')}`,
    handlers: directoryJobHandlers({
      repos,
      keyring,
      clock,
      linkKeys,
      directoryCache,
      connectorFor: createConnectorFactory({
        caPem: options.caPem,
        sleep: async () => {},
        addresses: { allowPrivateAddresses: true },
      }),
      logger,
    }),
    pollMs: 10,
    leaseMs: 60_000,
    logger,
  });

  const newOrganization = async (slug: string) => {
    const created = await createOrganizationWithTenant(
      { name: `Directory ${slug}`, slug: `${slug}-${randomBytes(3).toString('hex')}`, clock },
      repos,
    );
    return { tenantId: String(created.tenant.id), organizationId: String(created.organization.id) };
  };
  const home = await newOrganization('directory');
  const bodies: string[] = [];

  return {
    app,
    directoryCache,
    ...home,
    bodies,
    as(role, tenant = home) {
      const actor: Actor = {
        userId: '0190a1b2-2222-7000-8000-000000000001',
        email: 'admin@example.com',
        name: 'Ada Admin',
        ...tenant,
        role,
        isPlatformAdmin: false,
      };
      setActor(actor);
    },
    async call(request) {
      const res = await app.inject(request);
      bodies.push(res.body);
      return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
    },
    async runJobs() {
      let ran = 0;
      while (await runner.runOnce()) ran++;
      return ran;
    },
    newOrganization,
    sealedCredentialsOf: (tenantId) =>
      withTenant(t.handle, tenantId, (trx) =>
        trx
          .selectFrom('tenant_secrets')
          .select('sealed_value')
          .where('tenant_id', '=', tenantId)
          .where('name', 'like', 'directory-connection:%')
          .execute(),
      ).then((rows) => rows.map((r) => r.sealed_value)),
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
