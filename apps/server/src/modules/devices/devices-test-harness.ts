import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { buildTestApp } from '../../../../../test/support/app';
import type { DatabaseTarget, TestDatabase } from '../../../../../test/support/databases';
import type { FieldChange } from '../../platform/audit-store/event';
import { createMemoryCache } from '../../platform/cache/memory-cache';
import { ManualClock } from '../../platform/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { createKeyring } from '../../platform/crypto/keyring-service';
import { createLinkKeys } from '../../platform/crypto/link-keys';
import { createLocalKeyProvider } from '../../platform/crypto/local-key-provider';
import { openSqliteBulkReader } from '../../platform/db/connect';
import { newId } from '../../platform/db/ids';
import type { DevicesTable } from '../../platform/db/schema';
import { withTenant } from '../../platform/db/tenant-scope';
import type { Role } from '../../platform/http/permissions';
import { createRepos } from '../../repos';
import { userRef } from '../auth/access';
import { createDirectoryCache, type DirectoryCache } from '../directory/cache/directory-cache';
import type { DirectoryEntry } from '../directory/cache/directory-entry';
import { generatePeople } from '../directory/cache/test-people';
import { createOrganizationWithTenant } from '../tenants/tenant-service';
import { searchTextOf } from './repo';

export const START = '2026-03-01T09:00:00.000Z';
export const ADMIN_USER = '0190a1b2-3333-7000-8000-000000000001';

export interface Response {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read as the assertions need
  body: any;
}

export interface DevicesHarness {
  t: TestDatabase;
  app: FastifyInstance;
  clock: ManualClock;
  directoryCache: DirectoryCache;
  keyring: Keyring;
  /** Organization 1 has tenants A and A2 (the signed-in user is a global Administrator there); B is another organization. */
  tenantA: string;
  tenantA2: string;
  tenantB: string;
  organizationOf(tenantId: string): string;
  /** Employees of organization 1, in the 14-day cache. */
  people: DirectoryEntry[];
  signIn(role: Role, tenantId?: string): void;
  call(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<Response>;
  /** PUTs a raw file (DEV-1 uploads): the bytes as the body with their content type. */
  upload(url: string, bytes: Buffer, contentType: string): Promise<Response>;
  /** GETs a file: status, headers and the raw bytes. */
  download(
    url: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }>;
  /**
   * Statements run through the app's bulk reader (exports) so far: on SQLite its own connection
   * (`openSqliteBulkReader`, as the server opens it), on PostgreSQL the same pool.
   */
  bulkReads(): number;
  /** Audit events (outbox) of a tenant for one target, oldest first. */
  eventsOf(tenantId: string, targetId: string): Promise<{ action: string; changes: FieldChange[] }[]>;
  close(): Promise<void>;
}

/**
 * Counts the statements run through a Kysely instance it is plugged into (`db.withPlugin(counter.plugin)`),
 * as their results come back: query templates run compiled queries, which skip `transformQuery`.
 */
export function statementCounter() {
  const counter = {
    count: 0,
    plugin: {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        counter.count++;
        return args.result;
      },
    } satisfies KyselyPlugin,
  };
  return counter;
}

/** The whole app with the directory wired (devices need its cache), on one test database. */
export async function startDevicesHarness(target: DatabaseTarget): Promise<DevicesHarness> {
  const t = await target.create();
  const clock = new ManualClock(START);
  const repos = createRepos(t.handle);
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thestorage-devices-'));
  const provider = createLocalKeyProvider({ file: path.join(keyDir, 'keys.json'), clock });
  const directoryCache = createDirectoryCache({ cache: createMemoryCache({ clock }), clock });
  const keyring = createKeyring({ provider, clock });
  const reader = t.name === 'sqlite' ? openSqliteBulkReader(t.file!, t.handle) : t.handle;
  const bulkReads = statementCounter();
  const { app, setActor } = await buildTestApp(t.handle, {
    bulkReader: { ...reader, db: reader.db.withPlugin(bulkReads.plugin) },
    clock,
    directory: {
      keyring,
      directoryCache,
      linkKeys: createLinkKeys({ provider, clock }),
    },
  });
  const organizations = new Map<string, string>();
  const suffix = Math.random().toString(36).slice(2, 8);
  const first = await createOrganizationWithTenant(
    { name: 'Devices One', slug: `dev-a-${suffix}`, tenantName: 'Berlin', clock },
    repos,
  );
  const organization1 = String(first.organization.id);
  const tenantA = String(first.tenant.id);
  const tenantA2 = await repos.system.transaction(async (r) => {
    const second = await r.tenants.create(
      {
        organizationId: organization1,
        slug: `dev-a2-${suffix}`,
        name: 'Boston',
        plan: 'free',
        trialEndsAt: new Date(Date.parse(START) + 30 * 86_400_000),
      },
      clock.now(),
    );
    // The signed-in user is a global Administrator of organization 1: both tenants are theirs.
    await r.membershipsOf(tenantA).add(
      {
        subjectRef: userRef(ADMIN_USER),
        email: 'ada@example.com',
        role: 'administrator',
        isGlobal: true,
        status: 'registered',
      },
      clock.now(),
    );
    return String(second.id);
  });
  const other = await createOrganizationWithTenant(
    { name: 'Devices Two', slug: `dev-b-${suffix}`, clock },
    repos,
  );
  const tenantB = String(other.tenant.id);
  organizations.set(tenantA, organization1);
  organizations.set(tenantA2, organization1);
  organizations.set(tenantB, String(other.organization.id));

  const people = generatePeople(5);
  await directoryCache.replaceAll(organization1, people);

  return {
    t,
    app,
    clock,
    directoryCache,
    keyring,
    tenantA,
    tenantA2,
    tenantB,
    people,
    organizationOf: (tenantId) => organizations.get(tenantId)!,
    signIn(role, tenantId = tenantA) {
      setActor({
        userId: ADMIN_USER,
        email: 'ada@example.com',
        name: 'Ada Admin',
        tenantId,
        organizationId: organizations.get(tenantId)!,
        role,
        isPlatformAdmin: false,
      });
    },
    async call(method, url, payload) {
      const res = await app.inject({ method, url: `/api/v1${url}`, payload });
      return { status: res.statusCode, body: res.body ? res.json() : null };
    },
    async upload(url, bytes, contentType) {
      const res = await app.inject({
        method: 'PUT',
        url: `/api/v1${url}`,
        headers: { 'content-type': contentType },
        payload: bytes,
      });
      return { status: res.statusCode, body: res.body ? res.json() : null };
    },
    async download(url, headers = {}) {
      const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
      return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
    },
    async eventsOf(tenantId, targetId) {
      const rows = await withTenant(t.handle, tenantId, (trx) =>
        trx
          .selectFrom('audit_outbox')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('target_id', '=', targetId)
          .execute(),
      );
      return rows
        .sort((x, y) => String(x.id).localeCompare(String(y.id)))
        .map((row) => ({ action: row.action, changes: JSON.parse(row.changes) as FieldChange[] }));
    },
    bulkReads: () => bulkReads.count,
    async close() {
      await app.close();
      if (reader !== t.handle) await reader.destroy();
      await t.close();
      fs.rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** A device row as the API would write it (no search rowid: the insert trigger gives one), for tests that write thousands directly (the API would take minutes). */
export function deviceRowFor(
  tenantId: string,
  number: number,
  name: string,
  extra: Partial<DevicesTable> = {},
): DevicesTable {
  const fields = { name, serial: null, barcode: null };
  return {
    id: newId(),
    tenant_id: tenantId,
    number,
    ...fields,
    name_key: name.toLowerCase(),
    serial_key: null,
    barcode_key: null,
    category_id: null,
    attribute_values: '{}',
    status: 'new',
    ever_assigned: 0,
    assignee_kind: 'it',
    employee_ref: null,
    place_id: null,
    price: null,
    currency: null,
    vendor_id: null,
    invoice_number: null,
    invoice_date: null,
    po_extension: null,
    warranty_end: null,
    invoice_file_id: null,
    image_file_id: null,
    search_text: searchTextOf(number, fields),
    created_at: START,
    updated_at: START,
    version: 1,
    ...extra,
  };
}
