import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  checkImport,
  type ImportDeps,
  importJobHandlers,
  runImport,
  uploadImport,
} from '../../apps/server/src/modules/devices/import/service';
import { searchTextOf } from '../../apps/server/src/modules/devices/repo';
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
import { withSystem } from '../../apps/server/src/platform/db/tenant-scope';
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

/** The baseline: the same devices, events and search entries by prepared statements, no parsing or checks. */
async function rawWrite(
  handle: DatabaseHandle,
  file: string | null,
  url: string | null,
  tenantId: string,
  count: number,
) {
  const at = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, i) => {
    const name = `${MODELS[i % MODELS.length]} raw ${i}`;
    const serial = `RAW${i}`;
    const number = 1_000_000 + i;
    return {
      id: newId(),
      number,
      name,
      serial,
      search: searchTextOf(number, { name, serial, barcode: null }),
      changes: JSON.stringify([{ field: 'name', before: null, after: name }]),
    };
  });
  const started = performance.now();
  if (file) {
    const db = new Database(file);
    db.pragma('busy_timeout = 5000');
    for (const setting of SQLITE_SPEED_SETTINGS) db.pragma(setting);
    // Search rowids given, and the search index filled by one statement, as the importer does it.
    const firstRowid = (
      db.prepare('select coalesce(max(search_rowid), 0) + 1 as next from devices').get() as { next: number }
    ).next;
    const device = db.prepare(
      `insert into devices (id, tenant_id, number, name, name_key, serial, serial_key, attribute_values, status,
        ever_assigned, assignee_kind, search_text, created_at, updated_at, version, search_rowid)
       values (?, ?, ?, ?, ?, ?, ?, '{}', 'new', 0, 'it', ?, ?, ?, 1, ?)`,
    );
    const index = db.prepare(
      'insert into devices_fts(rowid, search_text) select search_rowid, search_text from devices where search_rowid >= ?',
    );
    const event = db.prepare(
      `insert into audit_outbox (id, tenant_id, occurred_at, actor_id, actor_email, actor_name, action, target_type,
        target_id, changes, request_id) values (?, ?, ?, 'bench', 'bench@example.com', 'Bench', 'device.imported',
        'device', ?, ?, 'bench')`,
    );
    db.transaction(() => {
      rows.forEach((r, i) => {
        device.run(
          r.id,
          tenantId,
          r.number,
          r.name,
          r.name.toLowerCase(),
          r.serial,
          r.serial.toLowerCase(),
          r.search,
          at,
          at,
          firstRowid + i,
        );
        event.run(newId(), tenantId, at, r.id, r.changes);
      });
      index.run(firstRowid);
    })();
    db.close();
  } else {
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    // Multi-row statements, as the importer sends them: one round trip per 500 rows.
    const insertMany = async (
      table: string,
      columns: string,
      values: (r: (typeof rows)[number]) => unknown[],
    ) => {
      for (let start = 0; start < rows.length; start += 500) {
        const params: unknown[] = [];
        const tuples = rows.slice(start, start + 500).map((r) => {
          const row = values(r);
          const marks = row.map((_, k) => `$${params.length + k + 1}`);
          params.push(...row);
          return `(${marks.join(', ')})`;
        });
        await client.query(`insert into ${table} (${columns}) values ${tuples.join(', ')}`, params);
      }
    };
    await insertMany(
      'devices',
      'id, tenant_id, number, name, name_key, serial, serial_key, attribute_values, status, ever_assigned, assignee_kind, search_text, created_at, updated_at, version',
      (r) => [
        r.id,
        tenantId,
        r.number,
        r.name,
        r.name.toLowerCase(),
        r.serial,
        r.serial.toLowerCase(),
        '{}',
        'new',
        0,
        'it',
        r.search,
        at,
        at,
        1,
      ],
    );
    await insertMany(
      'audit_outbox',
      'id, tenant_id, occurred_at, actor_id, actor_email, actor_name, action, target_type, target_id, changes, request_id',
      (r) => [
        newId(),
        tenantId,
        at,
        'bench',
        'bench@example.com',
        'Bench',
        'device.imported',
        'device',
        r.id,
        r.changes,
        'bench',
      ],
    );
    await client.query('commit');
    await client.end();
  }
  void handle;
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
