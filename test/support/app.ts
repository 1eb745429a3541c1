import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from '../../apps/server/src/app';
import { migrateAuditStore } from '../../apps/server/src/platform/audit-store/migrate';
import { openAuditStoreFile } from '../../apps/server/src/platform/audit-store/store';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { ManualClock } from '../../apps/server/src/platform/clock';
import type { DatabaseHandle } from '../../apps/server/src/platform/db/connect';
import type { Actor } from '../../apps/server/src/platform/http/actor';

/**
 * The HTTP app for inject() tests: embedded mode, a memory cache, an audit store in its own temporary
 * file (unless the test passes one), no web build, and an actor the test chooses through `setActor`.
 */
export async function buildTestApp(
  database: DatabaseHandle,
  overrides: Partial<AppDeps> = {},
): Promise<{ app: FastifyInstance; setActor(actor: Actor | null): void; clock: ManualClock }> {
  const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock();
  let actor: Actor | null = null;
  let auditStore = overrides.auditStore;
  let auditDir: string | undefined;
  if (!auditStore) {
    auditDir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-app-audit-'));
    auditStore = openAuditStoreFile(path.join(auditDir, 'audit.db'));
    await migrateAuditStore(auditStore);
  }
  const ownAudit = overrides.auditStore ? undefined : { store: auditStore, dir: auditDir! };
  const app = await buildApp({
    config: { mode: 'embedded', trustProxy: false, webDistDir: '/nonexistent-web-dist' },
    version: '0.0.0-test',
    clock,
    database,
    cache: createMemoryCache({ clock }),
    tlsStatus: () => ({ source: 'dev-ca', notAfter: null, daysLeft: null, expiresSoon: false }),
    resolveActor: async () => actor,
    ...overrides,
    auditStore,
  });
  if (ownAudit) {
    app.addHook('onClose', async () => {
      await ownAudit.store.destroy();
      rmSync(ownAudit.dir, { recursive: true, force: true });
    });
  }
  return {
    app,
    clock,
    setActor(next) {
      actor = next;
    },
  };
}
