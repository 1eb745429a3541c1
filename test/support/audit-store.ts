import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import type { AuditActor, NewAuditEvent } from '../../apps/server/src/platform/audit-store/event';
import { migrateAuditStore } from '../../apps/server/src/platform/audit-store/migrate';
import { recordAuditEvent } from '../../apps/server/src/platform/audit-store/outbox';
import { relayAuditOutbox } from '../../apps/server/src/platform/audit-store/relay';
import {
  type AuditDB,
  type AuditStore,
  auditStoreInPostgres,
  immediateTransaction,
  openAuditStoreFile,
} from '../../apps/server/src/platform/audit-store/store';
import { ManualClock } from '../../apps/server/src/platform/clock';
import type { DatabaseHandle } from '../../apps/server/src/platform/db/connect';
import { withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import { createRepos } from '../../apps/server/src/repos';
import type { TestDatabase } from './databases';

export interface TestAuditStore {
  /** As the app uses it: on PostgreSQL the app role (INSERT/SELECT only), on SQLite its own file. */
  store: AuditStore;
  /** The owner's view (PostgreSQL); the same store on SQLite. */
  ownerStore: AuditStore;
  /** SQLite: the audit file. */
  file?: string;
  /**
   * Changes stored events behind the store's back, as an attacker with database access could:
   * PostgreSQL as the owner across tenants, SQLite with the append-only triggers dropped meanwhile.
   */
  tamper(fn: (db: Kysely<AuditDB>) => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

/** The audit store next to a test database: a second SQLite file, or the `audit` schema of the same PostgreSQL database. */
export async function createTestAuditStore(t: TestDatabase): Promise<TestAuditStore> {
  if (t.name === 'postgres') {
    const ownerStore = auditStoreInPostgres(t.ownerHandle);
    const appRole = decodeURIComponent(new URL(t.url!).username);
    await migrateAuditStore(ownerStore, { appRole });
    return {
      store: auditStoreInPostgres(t.handle),
      ownerStore,
      async tamper(fn) {
        await ownerStore.db.transaction().execute(async (trx) => {
          await sql`select set_config('app.system', 'on', true)`.execute(trx);
          await fn(trx);
        });
      },
      close: async () => {},
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-audit-'));
  const file = path.join(dir, 'audit.db');
  const store = openAuditStoreFile(file);
  await migrateAuditStore(store);
  return {
    store,
    ownerStore: store,
    file,
    async tamper(fn) {
      await immediateTransaction(store, async (db) => {
        const { rows } = await sql<{ name: string; sql: string }>`
          select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'events'`.execute(db);
        for (const r of rows) await sql`drop trigger ${sql.id(r.name)}`.execute(db);
        await fn(db);
        for (const r of rows) await sql.raw(r.sql).execute(db);
      });
    },
    async close() {
      await store.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const alex: AuditActor = { id: 'user-alex', email: 'alex@example.com', name: 'Alex Admin' };

/** Writes `count` events of one tenant through the outbox, each in its own transaction, as a service would. */
export async function recordEvents(
  main: DatabaseHandle,
  tenantId: string,
  count: number,
  event: Partial<Omit<NewAuditEvent, 'tenantId'>> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      await withTenant(main, tenantId, (trx) =>
        recordAuditEvent(trx, {
          tenantId,
          occurredAt: new Date('2026-02-09T12:00:00.000Z'),
          actor: alex,
          action: 'device.updated',
          target: { type: 'device', id: `device-${i}` },
          changes: [{ field: 'name', before: `Laptop ${i}`, after: `Laptop ${i + 1}` }],
          requestId: `req-${i}`,
          ...event,
        }),
      ),
    );
  }
  return ids;
}

/** A fresh tenant in the main database with `count` events relayed into its chain. */
export async function tenantWithHistory(
  t: TestDatabase,
  audit: TestAuditStore,
  count: number,
): Promise<string> {
  const slug = `audit-${randomBytes(5).toString('hex')}`;
  const { tenant } = await createOrganizationWithTenant(
    { name: `Org ${slug}`, slug, clock: new ManualClock('2026-02-09T12:00:00.000Z') },
    createRepos(t.handle),
  );
  await recordEvents(t.handle, tenant.id, count);
  await relayAuditOutbox(t.handle, audit.store);
  return tenant.id;
}
