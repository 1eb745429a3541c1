import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import {
  checkImport,
  type ImportDeps,
  importJobHandlers,
  runImport,
  uploadImport,
} from '../../apps/server/src/modules/devices/import/service';
import { nextSearchRowid, searchTextOf } from '../../apps/server/src/modules/devices/repo';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import { createOrganizationWithTenant } from '../../apps/server/src/modules/tenants/tenant-service';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { systemClock } from '../../apps/server/src/platform/clock';
import { createKeyring } from '../../apps/server/src/platform/crypto/keyring-service';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import {
  type DatabaseHandle,
  openPostgres,
  openSqlite,
  SQLITE_SPEED_SETTINGS,
} from '../../apps/server/src/platform/db/connect';
import { newId } from '../../apps/server/src/platform/db/ids';
import { migrateToLatest } from '../../apps/server/src/platform/db/migrations';
import { withSystem, withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import type { Actor } from '../../apps/server/src/platform/http/actor';
import { createJobRunner } from '../../apps/server/src/platform/jobs/worker';
import { createRepos } from '../../apps/server/src/repos';
import { freshPostgres } from './devices';

export interface ImportFigure {
  rows: number;
  megabytes: number;
  /** Upload (sealed) and dry run, before the run. */
  uploadMs: number;
  checkMs: number;
  /** The background run: read the file, plan, write everything in one transaction. */
  runMs: number;
  /** The run's CPU time in this process (user + system): steadier than `runMs` when the machine is shared. */
  runCpuMs: number;
  /** The run's own account: reading and planning the file again, then the one writing transaction. */
  planMs: number | null;
  writeMs: number | null;
  rowsPerSec: number;
  /** Upload, dry run and run together: what a person waits for from choosing the file to the last device. */
  endToEndRowsPerSec: number;
  /** The same rows into the same tables by bare prepared statements in one transaction. */
  rawRowsPerSec: number;
  ratio: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

const MODELS = ['MacBook Pro 16', 'ThinkPad T14', 'Latitude 7450', 'iPhone 15', 'Galaxy S24', 'Dell U2723QE'];
const CATEGORIES = ['Laptop', 'Phone', 'Monitor', 'Tablet', 'Dock', 'Headset'];
const STATUSES = ['In-use', 'Used', 'New', 'In-Service', 'Damaged'];
const VENDORS = ['Bechtle', 'CDW', 'Cancom', 'Dell Direct', 'Apple Business'];
const TAGS = ['loaner', 'field', 'remote', 'finance', 'lab', 'spare'];

/** A realistic import file of `count` devices, the same every run. */
export function importCsv(count: number): Buffer {
  const lines = [
    'Name,Serial number,Category,Status,Assigned to,Price,Currency,Vendor,Invoice number,Invoice date,Warranty end,Tags',
  ];
  for (let i = 0; i < count; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0');
    lines.push(
      [
        `${MODELS[i % MODELS.length]} ${i}`,
        `SN${(1_000_000 + i).toString(36).toUpperCase()}`,
        CATEGORIES[i % CATEGORIES.length],
        STATUSES[i % STATUSES.length],
        'IT',
        `${500 + (i % 2_000)}.00`,
        i % 3 ? 'EUR' : 'USD',
        VENDORS[i % VENDORS.length],
        `INV-${2024_000 + Math.floor(i / 10)}`,
        `2024-${month}-15`,
        `2028-${month}-15`,
        `"${TAGS[i % TAGS.length]}, ${TAGS[(i + 2) % TAGS.length]}"`,
      ].join(','),
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** The statuses of the file's status column, as stored. */
const STATUS_KEYS = ['in_use', 'used', 'new', 'in_service', 'damaged'];

/**
 * The baseline: the file's rows — every column, its category and vendor, its two tag links, its Imported
 * event with the same field changes and its search entry — written by bare statements in one transaction,
 * with no parsing, checks or planning. Serials differ (the import's devices are already there).
 */
async function rawWrite(
  handle: DatabaseHandle,
  file: string | null,
  url: string | null,
  tenantId: string,
  count: number,
) {
  const at = new Date().toISOString();
  // The catalog entries the import created, by name.
  const idsOf = (table: 'categories' | 'vendors' | 'tags') =>
    withTenant(handle, tenantId, (trx) =>
      trx.selectFrom(table).select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
    ).then((rows) => new Map(rows.map((r) => [r.name, String(r.id)])));
  const [categories, vendors, tags] = await Promise.all([
    idsOf('categories'),
    idsOf('vendors'),
    idsOf('tags'),
  ]);
  const rows = Array.from({ length: count }, (_, i) => {
    const month = String(1 + (i % 12)).padStart(2, '0');
    const name = `${MODELS[i % MODELS.length]} raw ${i}`;
    const serial = `RAW${i}`;
    const number = 1_000_000 + i;
    const device = {
      id: newId(),
      number,
      name,
      serial,
      category: CATEGORIES[i % CATEGORIES.length]!,
      status: STATUS_KEYS[i % STATUS_KEYS.length]!,
      price: `${500 + (i % 2_000)}.00`,
      currency: i % 3 ? 'EUR' : 'USD',
      vendor: VENDORS[i % VENDORS.length]!,
      invoiceNumber: `INV-${2024_000 + Math.floor(i / 10)}`,
      invoiceDate: `2024-${month}-15`,
      warrantyEnd: `2028-${month}-15`,
      tags: [TAGS[i % TAGS.length]!, TAGS[(i + 2) % TAGS.length]!],
      search: searchTextOf(number, { name, serial, barcode: null }),
    };
    const changes = JSON.stringify(
      Object.entries({
        name,
        serial,
        category: device.category,
        status: device.status,
        assignee: 'it',
        price: device.price,
        currency: device.currency,
        vendor: device.vendor,
        invoiceNumber: device.invoiceNumber,
        invoiceDate: device.invoiceDate,
        warrantyEnd: device.warrantyEnd,
        tags: device.tags.join(', '),
      }).map(([field, after]) => ({ after, before: null, field })),
    );
    return { ...device, changes };
  });
  const deviceValues = (r: (typeof rows)[number]) => [
    r.id,
    tenantId,
    r.number,
    r.name,
    r.name.toLowerCase(),
    r.serial,
    r.serial.toLowerCase(),
    categories.get(r.category) ?? null,
    r.status,
    r.price,
    r.currency,
    vendors.get(r.vendor) ?? null,
    r.invoiceNumber,
    r.invoiceDate,
    r.warrantyEnd,
    r.search,
    at,
    at,
    '{}',
    0,
    'it',
    1,
  ];
  const deviceColumns =
    'id, tenant_id, number, name, name_key, serial, serial_key, category_id, status, price, currency, vendor_id, invoice_number, invoice_date, warranty_end, search_text, created_at, updated_at, attribute_values, ever_assigned, assignee_kind, version';
  const eventValues = (r: (typeof rows)[number]) => [newId(), tenantId, at, r.id, r.changes];
  const eventColumns = 'id, tenant_id, occurred_at, target_id, changes';
  const started = performance.now();
  if (file) {
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    for (const setting of SQLITE_SPEED_SETTINGS) db.pragma(setting);
    // Search rowids given, and the search index filled by one statement, as the importer does it.
    const next = sql`select ${nextSearchRowid(tenantId)} as next`.compile(handle.db);
    const firstRowid = (db.prepare(next.sql).get(...next.parameters) as { next: number }).next;
    const device = db.prepare(
      `insert into devices (${deviceColumns}, attribute_values, ever_assigned, assignee_kind, version, search_rowid)
       values (${deviceColumns
         .split(',')
         .map(() => '?')
         .join(', ')}, '{}', 0, 'it', 1, ?)`,
    );
    const tag = db.prepare('insert into device_tags (device_id, tag_id, tenant_id) values (?, ?, ?)');
    const index = db.prepare(
      'insert into devices_fts(rowid, search_text) select search_rowid, search_text from devices where search_rowid between ? and ?',
    );
    const event = db.prepare(
      `insert into audit_outbox (${eventColumns}, actor_id, actor_email, actor_name, action, target_type, request_id)
       values (?, ?, ?, ?, ?, 'bench', 'bench@example.com', 'Bench', 'device.imported', 'device', 'bench')`,
    );
    db.transaction(() => {
      rows.forEach((r, i) => {
        device.run(...deviceValues(r), firstRowid + i);
        for (const name of r.tags) tag.run(r.id, tags.get(name), tenantId);
        event.run(...eventValues(r));
      });
      index.run(firstRowid, firstRowid + rows.length - 1);
    })();
    db.close();
  } else {
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    // Multi-row statements, as the importer sends them: one round trip per 500 rows.
    const insertMany = async <T>(
      table: string,
      columns: string,
      items: T[],
      values: (item: T) => unknown[],
    ) => {
      for (let start = 0; start < items.length; start += 500) {
        const params: unknown[] = [];
        const tuples = items.slice(start, start + 500).map((item) => {
          const row = values(item);
          const marks = row.map((_, k) => `$${params.length + k + 1}`);
          params.push(...row);
          return `(${marks.join(', ')})`;
        });
        await client.query(`insert into ${table} (${columns}) values ${tuples.join(', ')}`, params);
      }
    };
    await insertMany('devices', deviceColumns, rows, deviceValues);
    await insertMany(
      'device_tags',
      'device_id, tag_id, tenant_id',
      rows.flatMap((r) => r.tags.map((name) => [r.id, tags.get(name), tenantId])),
      (link) => link,
    );
    await insertMany(
      'audit_outbox',
      `${eventColumns}, actor_id, actor_email, actor_name, action, target_type, request_id`,
      rows,
      (r) => [...eventValues(r), 'bench', 'bench@example.com', 'Bench', 'device.imported', 'device', 'bench'],
    );
    await client.query('commit');
    await client.end();
  }
  return performance.now() - started;
}

/**
 * SPEC 9 / DEV-12: a `rows`-row CSV through the real import — upload (sealed), dry run, and the background
 * job that writes everything in one transaction — beside the bare-statement baseline.
 */
export async function benchImport(database: 'sqlite' | 'postgres', rows: number): Promise<ImportFigure> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-bench-import-'));
  const postgres = database === 'postgres' ? await freshPostgres(process.env.BENCH_DATABASE_URL!) : undefined;
  let handle: DatabaseHandle | undefined;
  try {
    const file = path.join(dir, 'bench.sqlite');
    if (postgres) {
      const owner = openPostgres({ url: postgres.ownerUrl, requireTls: false, max: 2 });
      await migrateToLatest(owner, { appRole: new URL(postgres.env.DATABASE_URL).username });
      await owner.destroy();
      handle = openPostgres({ url: postgres.env.DATABASE_URL, requireTls: false, max: 5 });
    } else {
      handle = openSqlite(file);
      await migrateToLatest(handle);
    }
    const clock = systemClock;
    const provider = createLocalKeyProvider({ file: path.join(dir, 'keys.json'), clock });
    const repos = createRepos(handle);
    const { organization, tenant } = await createOrganizationWithTenant(
      { name: 'Bench Import', slug: `bench-import-${process.pid}`, clock },
      repos,
    );
    const deps: ImportDeps = {
      repos,
      clock,
      keyring: createKeyring({ provider, clock }),
      directoryCache: createDirectoryCache({ cache: createMemoryCache({ clock }), clock }),
    };
    const actor: Actor = {
      userId: 'bench',
      email: 'bench@example.com',
      name: 'Bench',
      tenantId: String(tenant.id),
      organizationId: String(organization.id),
      role: 'administrator',
      isPlatformAdmin: false,
    };
    const call = { actor, requestId: 'bench' };
    const bytes = importCsv(rows);
    let started = performance.now();
    const uploaded = await uploadImport(deps, call, {
      fileName: 'bench.csv',
      contentType: 'text/csv',
      body: Readable.from([bytes]),
    });
    const uploadMs = performance.now() - started;
    started = performance.now();
    const checked = await checkImport(deps, call, uploaded.id, uploaded.version);
    const checkMs = performance.now() - started;
    if (checked.problemCount > 0)
      throw new Error(`the bench file has problems: ${JSON.stringify(checked.problems[0])}`);
    const queued = await runImport(deps, call, checked.id, checked.version);
    const runner = createJobRunner({
      handle,
      clock,
      owner: 'bench',
      handlers: importJobHandlers({ ...deps, dialect: handle.dialect }),
      pollMs: 10,
      leaseMs: 60_000,
      logger: { info() {}, warn() {}, error: (obj) => console.error(obj) },
    });
    started = performance.now();
    const cpuBefore = process.cpuUsage();
    await runner.runOnce();
    const runMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const job = await withSystem(handle, (trx) =>
      trx.selectFrom('jobs').select('result').where('id', '=', queued.jobId!).executeTakeFirst(),
    );
    const timing = (job?.result ? JSON.parse(job.result) : {}) as { planMs?: number; writeMs?: number };
    const rawMs = await rawWrite(
      handle,
      postgres ? null : file,
      postgres?.env.DATABASE_URL ?? null,
      actor.tenantId,
      rows,
    );
    // Both wrote every row: the import's devices and the baseline's, each with its two tag links.
    const countOf = (table: 'devices' | 'device_tags') =>
      withTenant(handle!, actor.tenantId, (trx) =>
        trx
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ).then((row) => Number(row.n));
    const written = { devices: await countOf('devices'), links: await countOf('device_tags') };
    if (written.devices !== 2 * rows || written.links !== 4 * rows)
      throw new Error(`the import and its baseline wrote ${JSON.stringify(written)} for ${rows} rows each`);
    const rowsPerSec = Math.round(rows / (runMs / 1000));
    const rawRowsPerSec = Math.round(rows / (rawMs / 1000));
    return {
      rows,
      megabytes: round(bytes.length / 1_048_576, 1),
      uploadMs: Math.round(uploadMs),
      checkMs: Math.round(checkMs),
      runMs: Math.round(runMs),
      runCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      planMs: timing.planMs ?? null,
      writeMs: timing.writeMs ?? null,
      rowsPerSec,
      endToEndRowsPerSec: Math.round(rows / ((uploadMs + checkMs + runMs) / 1000)),
      rawRowsPerSec,
      ratio: round(rowsPerSec / rawRowsPerSec),
    };
  } finally {
    await handle?.destroy();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
