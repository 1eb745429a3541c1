import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type CategoryAttribute,
  type DeviceImport,
  ErrorCode,
  IMPORT_CONTENT_TYPES,
  type ImportColumn,
  type ImportFormat,
  type ImportProblem,
  type ImportSummary,
  type UpdateImportMappingRequest,
} from '@thestorage/contracts';
import { type Clock, DAY_MS } from '../../../platform/clock';
import type { Keyring } from '../../../platform/crypto/keyring';
import { newId } from '../../../platform/db/ids';
import type { DeviceImportRow } from '../../../platform/db/schema';
import { checkContent, normalizeContentType, readWithinLimit } from '../../../platform/files/file-rules';
import type { Actor } from '../../../platform/http/actor';
import { AppError, notFound, validationFailed } from '../../../platform/http/errors';
import type { Job } from '../../../platform/jobs/job';
import type { JobContext, JobHandler } from '../../../platform/jobs/worker';
import type { Repos, TenantRepos } from '../../../repos';
import type { DirectoryCache } from '../../directory/cache/directory-cache';
import { limitOf } from '../../tenants/plans';
import { invoiceStateOf } from '../invoice-settings';
import { staleVersion } from '../service';
import { automaticMapping } from './columns';
import { DEVICE_IMPORT_EXPIRY_JOB, DEVICE_IMPORT_JOB } from './imports-repo';
import {
  type ImportContext,
  type ImportPlan,
  type ParsedFile,
  type PlannedCategory,
  parseFile,
  planImport,
} from './plan';
import { previewOf, readRows } from './read-rows';
import { type ImportActor, writeImportPlan } from './write';

export interface ImportDeps {
  repos: Repos;
  clock: Clock;
  directoryCache: DirectoryCache;
  keyring: Keyring;
}

export interface ImportCall {
  actor: Actor;
  requestId: string;
}

interface ImportJobPayload {
  importId: string;
  organizationId: string;
  actor: ImportActor;
  requestId: string;
}

/** Test hooks of the run: called after each chunk of devices written inside the transaction. */
export interface ImportRunHooks {
  onChunk?: (written: number) => void | Promise<void>;
}

const RECENT_IMPORTS = 20;

const auditActor = (actor: Actor): ImportActor => ({
  id: actor.userId,
  email: actor.email,
  name: actor.name,
});

function formatOf(fileName: string, contentType: string): ImportFormat {
  const type = normalizeContentType(contentType);
  if (type === IMPORT_CONTENT_TYPES.xlsx) return 'xlsx';
  if (type === IMPORT_CONTENT_TYPES.csv) return 'csv';
  throw new AppError(ErrorCode.ValidationFailed, 'Upload a CSV (.csv) or Excel workbook (.xlsx)', {
    details: { fileName, accepted: Object.values(IMPORT_CONTENT_TYPES) },
  });
}

function viewOf(row: DeviceImportRow, warnings: string[] = []): DeviceImport {
  return {
    id: row.id,
    fileName: row.file_name,
    format: row.format,
    size: Number(row.size_bytes),
    status: row.status,
    columns: JSON.parse(row.columns) as ImportColumn[],
    problems: JSON.parse(row.problems) as ImportProblem[],
    problemCount: Number(row.problem_count),
    warnings,
    summary: row.summary ? (JSON.parse(row.summary) as ImportSummary) : null,
    jobId: row.job_id,
    createdBy: row.created_by_email,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    version: Number(row.version),
  };
}

/** Said before a run: the same bytes went in before, and rows without serial or barcode would be added again. */
async function warningsOf(r: TenantRepos, row: DeviceImportRow): Promise<string[]> {
  if (row.status === 'completed') return [];
  const earlier = await r.deviceImports.completedWithHash(row.content_hash, row.id);
  if (!earlier) return [];
  return [
    `This file was already imported on ${earlier.finished_at?.slice(0, 10)} by ${earlier.created_by_email}. ` +
      'Rows with a serial number or barcode change nothing the second time; rows without either add new devices.',
  ];
}

async function load(r: TenantRepos, id: string): Promise<DeviceImportRow> {
  const row = await r.deviceImports.get(id);
  if (!row) throw notFound('Import');
  return row;
}

const attributeNamesOf = (categories: readonly { attributes: string }[]) =>
  new Set(
    categories.flatMap((c) =>
      (JSON.parse(c.attributes) as CategoryAttribute[]).map((a) => a.name.toLowerCase()),
    ),
  );

/** DEV-12: stores the file sealed (SEC-9), reads its header row and proposes a mapping. */
export async function uploadImport(
  deps: ImportDeps,
  call: ImportCall,
  input: {
    fileName: string;
    contentType: string;
    body: AsyncIterable<Buffer | Uint8Array | string>;
    declaredLength?: number;
  },
): Promise<DeviceImport> {
  const format = formatOf(input.fileName, input.contentType);
  const bytes = await readWithinLimit('device_import', input.body);
  checkContent(IMPORT_CONTENT_TYPES[format], bytes);
  let preview: Awaited<ReturnType<typeof previewOf>>;
  try {
    preview = await previewOf(format, bytes);
  } catch (err) {
    throw new AppError(ErrorCode.ValidationFailed, `The file cannot be read as ${format.toUpperCase()}`, {
      cause: err,
    });
  }
  if (preview.headers.every((h) => h === '')) {
    throw validationFailed('The file has no header row: the first row names the columns', [
      { path: 'file', message: 'No header row' },
    ]);
  }
  const now = deps.clock.now().toISOString();
  const { actor } = call;
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const { categories } = await r.deviceImports.catalog();
    const fields = automaticMapping(preview.headers, attributeNamesOf(categories));
    const columns: ImportColumn[] = preview.headers.map((header, index) => ({
      index,
      header,
      field: fields[index]!,
      sample: preview.samples[index] ?? null,
    }));
    const stored = await r.files.store(
      deps.keyring,
      {
        purpose: 'device_import',
        contentType: IMPORT_CONTENT_TYPES[format],
        body: Readable.from([bytes]),
        createdBy: actor.userId,
      },
      deps.clock,
    );
    const id = newId();
    const row = {
      id,
      file_id: stored.id,
      file_name: input.fileName,
      format,
      size_bytes: bytes.length,
      content_hash: createHash('sha256').update(bytes).digest('hex'),
      columns: JSON.stringify(columns),
      status: 'uploaded' as const,
      problems: '[]',
      problem_count: 0,
      summary: null,
      job_id: null,
      created_by: actor.userId,
      created_by_email: actor.email,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    await r.deviceImports.insert(row);
    await r.audit.record({
      occurredAt: deps.clock.now(),
      actor: auditActor(actor),
      action: 'device_import.uploaded',
      target: { type: 'device_import', id },
      changes: [
        { field: 'fileName', before: null, after: input.fileName },
        { field: 'size', before: null, after: bytes.length },
      ],
      requestId: call.requestId,
    });
    const saved = await load(r, id);
    return viewOf(saved, await warningsOf(r, saved));
  });
}

export async function listImports(deps: ImportDeps, actor: Actor): Promise<DeviceImport[]> {
  return deps.repos
    .forTenant(actor.tenantId)
    .transaction(async (r) => (await r.deviceImports.recent(RECENT_IMPORTS)).map((row) => viewOf(row)));
}

export async function getImport(deps: ImportDeps, actor: Actor, id: string): Promise<DeviceImport> {
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const row = await load(r, id);
    return viewOf(row, await warningsOf(r, row));
  });
}

const editable = (row: DeviceImportRow) => {
  if (row.status !== 'uploaded' && row.status !== 'checked') {
    throw new AppError(ErrorCode.Conflict, 'This import has already run; upload the file again to change it');
  }
};

/** The manual mapping step: one field per column of the file; the dry run must then run again. */
export async function setMapping(
  deps: ImportDeps,
  call: ImportCall,
  id: string,
  input: UpdateImportMappingRequest,
): Promise<DeviceImport> {
  const { actor } = call;
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const row = await load(r, id);
    if (Number(row.version) !== input.version) throw staleVersion();
    editable(row);
    const columns = JSON.parse(row.columns) as ImportColumn[];
    const fieldByIndex = new Map(input.columns.map((c) => [c.index, c.field]));
    const problems: { path: string; message: string }[] = [];
    for (const index of fieldByIndex.keys()) {
      if (!columns.some((c) => c.index === index))
        problems.push({ path: `columns.${index}`, message: 'No such column' });
    }
    const next = columns.map((c) => ({ ...c, field: fieldByIndex.get(c.index) ?? c.field }));
    const taken = new Map<string, string>();
    for (const column of next) {
      if (column.field === 'attribute' || column.field === 'ignore') continue;
      const other = taken.get(column.field);
      if (other !== undefined) {
        problems.push({
          path: `columns.${column.index}`,
          message: `"${column.header}" and "${other}" cannot both be ${column.field}`,
        });
      }
      taken.set(column.field, column.header);
    }
    if (problems.length > 0) throw validationFailed(problems[0]!.message, problems);
    const changes = next
      .filter((c, i) => c.field !== columns[i]!.field)
      .map((c) => ({ field: `column:${c.header}`, before: columns[c.index]!.field, after: c.field }));
    const now = deps.clock.now();
    const ok = await r.deviceImports.update(id, input.version, {
      columns: JSON.stringify(next),
      status: 'uploaded',
      problems: '[]',
      problem_count: 0,
      summary: null,
      updated_at: now.toISOString(),
    });
    if (!ok) throw staleVersion();
    if (changes.length > 0) {
      await r.audit.record({
        occurredAt: now,
        actor: auditActor(actor),
        action: 'device_import.mapped',
        target: { type: 'device_import', id },
        changes,
        requestId: call.requestId,
      });
    }
    const saved = await load(r, id);
    return viewOf(saved, await warningsOf(r, saved));
  });
}

/** What the tenant holds that the rows refer to, read once per check or run. */
async function contextOf(r: TenantRepos, now: Date): Promise<ImportContext> {
  const settings = await r.devices.settings(now);
  const { categories, places, tags, vendors } = await r.deviceImports.catalog();
  const tenant = await r.tenant.get();
  if (!tenant) throw notFound('Tenant');
  const limit = limitOf(
    { plan: tenant.plan, trialEndsAt: tenant.trial_ends_at, cancelledAt: tenant.cancelled_at },
    'categories',
    now,
  );
  const byName = <T extends { name: string }>(rows: readonly T[]) =>
    new Map(rows.map((row) => [row.name.toLowerCase(), row]));
  return {
    settings,
    invoice: (await invoiceStateOf(r, now)).settings,
    categories: new Map(
      categories.map((c): [string, PlannedCategory] => [
        c.name.toLowerCase(),
        {
          id: c.id,
          name: c.name,
          attributes: JSON.parse(c.attributes) as CategoryAttribute[],
          appendToName: Number(c.append_to_name) === 1,
        },
      ]),
    ),
    categoriesLeft: limit === null ? null : Math.max(0, limit - categories.length),
    categoryLimitMessage: `Limit reached: the plan allows ${limit} categories`,
    places: byName(places),
    tags: byName(tags),
    vendors: byName(vendors),
    placeNames: new Map(places.map((p) => [p.id, p.name])),
  };
}

/**
 * The dry run's reading of a file, kept for the run that usually follows it: reading and parsing is most of
 * a plan's time (100,000 rows: ≈ 2.5 s of ≈ 3 s), and depends only on the file and the mapping, so the run
 * re-plans against the tenant as it is then without parsing again. One file at a time, in this process,
 * for 15 minutes; a run on another node, a later run or a changed mapping parses the file again.
 */
const parsedFiles = (() => {
  const KEEP_MS = 15 * 60_000;
  let kept: { key: string; file: ParsedFile; timer: NodeJS.Timeout } | null = null;
  const drop = () => {
    if (kept) clearTimeout(kept.timer);
    kept = null;
  };
  return {
    keyOf: (tenantId: string, row: DeviceImportRow) => `${tenantId}:${row.file_id}:${row.columns}`,
    keep(key: string, file: ParsedFile) {
      drop();
      kept = { key, file, timer: setTimeout(drop, KEEP_MS).unref() };
    },
    /** The kept reading of this file and mapping, once: the run that takes it is its last use. */
    take(key: string): ParsedFile | null {
      if (kept?.key !== key) return null;
      const { file } = kept;
      drop();
      return file;
    },
  };
})();

/** Reads the sealed file (or takes the dry run's reading) and plans against the tenant as it is now. Writes nothing. */
async function planOf(
  deps: ImportDeps,
  tenantId: string,
  organizationId: string,
  row: DeviceImportRow,
  use: { onProgress?: (rows: number) => Promise<void>; keepReading?: boolean } = {},
): Promise<{ plan: ImportPlan; context: ImportContext; fileRead: boolean }> {
  const tenant = deps.repos.forTenant(tenantId);
  const now = deps.clock.now();
  const key = parsedFiles.keyOf(tenantId, row);
  const kept = use.keepReading ? null : parsedFiles.take(key);
  const { bytes, context } = await tenant.transaction(async (r) => {
    if (!row.file_id)
      throw new AppError(ErrorCode.Conflict, 'The file of this import is gone; upload it again');
    // The file is read only when its reading is not kept (it is still there: the check above).
    const file = kept ? null : await r.files.read(deps.keyring, row.file_id);
    return { bytes: file?.bytes ?? null, context: await contextOf(r, now) };
  });
  const lookups = {
    devicesBySerial: (keys: readonly string[]) =>
      tenant.transaction((r) => r.deviceImports.devicesByKey('serial_key', keys)),
    devicesByBarcode: (keys: readonly string[]) =>
      tenant.transaction((r) => r.deviceImports.devicesByKey('barcode_key', keys)),
    tagIdsOf: (ids: readonly string[]) => tenant.transaction((r) => r.devices.tagIdsOf(ids)),
    commentsOf: (ids: readonly string[]) => tenant.transaction((r) => r.deviceImports.commentsOf(ids)),
    employees: (userNames: readonly string[]) =>
      deps.directoryCache.findByUserNames(organizationId, userNames),
  };
  const columns = JSON.parse(row.columns) as ImportColumn[];
  const parsed = kept ?? (await parseFile(readRows(row.format, bytes!), columns, use.onProgress));
  const plan = await planImport(parsed, columns, context, lookups);
  if (use.keepReading && plan.problemCount === 0) parsedFiles.keep(key, parsed);
  return { plan, context, fileRead: !kept };
}

/** DEV-12: the dry run — every problem with its row and column, and what the run would do. */
export async function checkImport(deps: ImportDeps, call: ImportCall, id: string, version: number) {
  const { actor } = call;
  const tenant = deps.repos.forTenant(actor.tenantId);
  const row = await tenant.transaction((r) => load(r, id));
  if (Number(row.version) !== version) throw staleVersion();
  editable(row);
  const { plan } = await planOf(deps, actor.tenantId, actor.organizationId, row, { keepReading: true });
  return tenant.transaction(async (r) => {
    const now = deps.clock.now();
    const ok = await r.deviceImports.update(id, version, {
      status: plan.problemCount === 0 ? 'checked' : 'uploaded',
      problems: JSON.stringify(plan.problems),
      problem_count: plan.problemCount,
      summary: JSON.stringify(plan.summary),
      updated_at: now.toISOString(),
    });
    if (!ok) throw staleVersion();
    await r.audit.record({
      occurredAt: now,
      actor: auditActor(actor),
      action: 'device_import.checked',
      target: { type: 'device_import', id },
      changes: [
        { field: 'problems', before: null, after: plan.problemCount },
        { field: 'rows', before: null, after: plan.summary.rows },
      ],
      requestId: call.requestId,
    });
    const saved = await load(r, id);
    return viewOf(saved, await warningsOf(r, saved));
  });
}

/** DEV-12: queues the run of a checked import; asking again returns the same import and job. */
export async function runImport(deps: ImportDeps, call: ImportCall, id: string, version: number) {
  const { actor } = call;
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const row = await load(r, id);
    if (row.status === 'queued' || row.status === 'running' || row.status === 'completed') return viewOf(row);
    if (Number(row.version) !== version) throw staleVersion();
    if (row.status !== 'checked') {
      throw new AppError(
        ErrorCode.ImportNotChecked,
        'Check the file first: an import runs only when its dry run found no problem',
      );
    }
    const payload: ImportJobPayload = {
      importId: id,
      organizationId: actor.organizationId,
      actor: auditActor(actor),
      requestId: call.requestId,
    };
    const jobId = await r.deviceImports.enqueueRun(id, payload, deps.clock);
    const now = deps.clock.now();
    const ok = await r.deviceImports.update(id, version, {
      status: 'queued',
      job_id: jobId,
      updated_at: now.toISOString(),
    });
    if (!ok) throw staleVersion();
    await r.audit.record({
      occurredAt: now,
      actor: auditActor(actor),
      action: 'device_import.started',
      target: { type: 'device_import', id },
      changes: [{ field: 'status', before: 'checked', after: 'queued' }],
      requestId: call.requestId,
    });
    return viewOf(await load(r, id));
  });
}

/**
 * The run (a background job): plans again against the tenant as it is now, then writes every device in
 * ONE transaction together with the import's new status — all or nothing (DEV-12). A process that dies
 * half-way leaves nothing; the job's lease expires and another runner starts it again. A run that finds
 * problems (the tenant changed since the check) ends as failed with them listed, changing nothing.
 */
export async function runImportJob(
  deps: ImportDeps,
  job: Job<ImportJobPayload>,
  ctx: JobContext,
  hooks: ImportRunHooks = {},
  dialect: 'sqlite' | 'postgres' = 'sqlite',
): Promise<unknown> {
  const { importId, organizationId, actor, requestId } = job.payload;
  const tenantId = job.tenantId!;
  const tenant = deps.repos.forTenant(tenantId);
  const row = await tenant.transaction(async (r) => {
    const current = await load(r, importId);
    if (current.status === 'queued') {
      await r.deviceImports.update(importId, Number(current.version), {
        status: 'running',
        updated_at: deps.clock.now().toISOString(),
      });
      return load(r, importId);
    }
    return current;
  });
  if (row.status !== 'running') return { status: row.status };
  const total = row.summary ? (JSON.parse(row.summary) as ImportSummary).rows : null;
  // A failed run ends the import: its file is deleted (purged after 14 days) and the failure audited.
  const finish = (change: Parameters<TenantRepos['deviceImports']['update']>[2]) =>
    tenant.transaction(async (r) => {
      const current = await load(r, importId);
      await r.deviceImports.update(importId, Number(current.version), { ...change, file_id: null });
      if (current.file_id) await r.files.delete(current.file_id, deps.clock);
      await r.audit.record({
        occurredAt: deps.clock.now(),
        actor,
        action: 'device_import.failed',
        target: { type: 'device_import', id: importId },
        changes: [{ field: 'problems', before: null, after: change.problem_count ?? null }],
        requestId,
      });
    });
  try {
    await ctx.reportProgress({ done: 0, total, message: 'Reading the file' });
    const started = performance.now();
    const { plan, context, fileRead } = await planOf(deps, tenantId, organizationId, row, {
      onProgress: (rows) =>
        ctx.reportProgress({
          done: Math.floor(rows / 2),
          total,
          message: `Checked ${rows.toLocaleString('en')} rows`,
        }),
    });
    const now = deps.clock.now();
    if (plan.problemCount > 0) {
      await finish({
        status: 'failed',
        problems: JSON.stringify(plan.problems),
        problem_count: plan.problemCount,
        summary: JSON.stringify(plan.summary),
        updated_at: now.toISOString(),
        finished_at: now.toISOString(),
      });
      return { status: 'failed', problems: plan.problemCount };
    }
    await ctx.reportProgress({
      done: Math.floor(plan.summary.rows / 2),
      total,
      message: `Writing ${(plan.creates.length + plan.updates.length).toLocaleString('en')} devices`,
    });
    // SQLite has one connection: a progress write would wait behind this transaction, so only PostgreSQL reports.
    const changed = plan.creates.length + plan.updates.length;
    const planned = performance.now();
    const result = await tenant.transaction(async (r) => {
      const written = await writeImportPlan(r, plan, context, {
        tenantId,
        now,
        actor,
        requestId,
        onChunk: async (count) => {
          await hooks.onChunk?.(count);
          if (dialect === 'postgres' && total) {
            await ctx.reportProgress({
              done: Math.floor(total / 2 + (count / Math.max(changed, 1)) * (total / 2)),
              total,
              message: `Written ${count.toLocaleString('en')} of ${changed.toLocaleString('en')} devices`,
            });
          }
        },
      });
      const current = await load(r, importId);
      const summary: ImportSummary = { ...plan.summary, create: written.created, update: written.updated };
      await r.deviceImports.update(importId, Number(current.version), {
        status: 'completed',
        problems: '[]',
        problem_count: 0,
        summary: JSON.stringify(summary),
        updated_at: now.toISOString(),
        finished_at: now.toISOString(),
        file_id: null,
      });
      // The file has done its job: deleted now, purged after the 14-day window like every file.
      if (row.file_id) await r.files.delete(row.file_id, deps.clock);
      await r.audit.record({
        occurredAt: now,
        actor,
        action: 'device_import.completed',
        target: { type: 'device_import', id: importId },
        changes: [
          { field: 'created', before: null, after: written.created },
          { field: 'updated', before: null, after: written.updated },
        ],
        requestId,
      });
      return written;
    });
    await ctx.reportProgress({ done: total ?? changed, total, message: 'Done' });
    // The job's result says where the time went: reading (unless the dry run's was kept) and planning, then writing.
    return {
      ...result,
      fileRead,
      planMs: Math.round(planned - started),
      writeMs: Math.round(performance.now() - planned),
    };
  } catch (err) {
    // A refusal the tenant can act on ends the import; anything else is retried while attempts remain.
    const final = err instanceof AppError || job.attempts >= job.maxAttempts;
    if (final) {
      const now = deps.clock.now().toISOString();
      const message =
        err instanceof AppError
          ? err.message
          : 'The import stopped on an internal error; nothing was changed';
      await finish({
        status: 'failed',
        problems: JSON.stringify([
          { row: 1, column: null, code: err instanceof AppError ? err.code : 'internal_error', message },
        ]),
        problem_count: 1,
        updated_at: now,
        finished_at: now,
      });
      if (err instanceof AppError) return { status: 'failed', error: err.code };
    }
    throw err;
  }
}

/** How long an uploaded file waits for its run before it is deleted (then purged 14 days later, as any file). */
export const ABANDONED_IMPORT_DAYS = 14;

/**
 * DEV-12, SEC-5: a file uploaded for import holds employees' e-mail addresses and the company's devices;
 * one that is never run is not kept for ever. Daily, imports uploaded or checked but untouched for 14 days
 * end `failed` with the problem `expired`, their file deleted, audited as done by the system.
 */
export async function expireAbandonedImports(
  deps: Pick<ImportDeps, 'repos' | 'clock'>,
  ctx: Pick<JobContext, 'signal'>,
): Promise<{ expired: number }> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - ABANDONED_IMPORT_DAYS * DAY_MS).toISOString();
  let expired = 0;
  const seen = new Set<string>();
  while (!ctx.signal.aborted) {
    const due = (await deps.repos.system.transaction((r) => r.abandonedImports(before, 100))).filter(
      (d) => !seen.has(String(d.id)),
    );
    if (due.length === 0) break;
    for (const { id, tenant_id: tenantId } of due) {
      seen.add(String(id));
      const done = await deps.repos.forTenant(String(tenantId)).transaction(async (r) => {
        const row = await load(r, String(id));
        // Touched since the list was read (a new mapping, a check, a run): not abandoned after all.
        if (!['uploaded', 'checked'].includes(row.status) || !row.file_id || row.updated_at >= before)
          return false;
        const problem: ImportProblem = {
          row: 1,
          column: null,
          code: 'expired',
          message: `Not run within ${ABANDONED_IMPORT_DAYS} days: the file was deleted. Upload it again to import it.`,
        };
        const ok = await r.deviceImports.update(String(id), Number(row.version), {
          status: 'failed',
          problems: JSON.stringify([problem]),
          problem_count: 1,
          file_id: null,
          updated_at: now.toISOString(),
          finished_at: now.toISOString(),
        });
        if (!ok) return false;
        await r.files.delete(row.file_id, deps.clock);
        await r.audit.record({
          occurredAt: now,
          actor: { id: 'system', email: '', name: 'Import expiry' },
          action: 'device_import.expired',
          target: { type: 'device_import', id: String(id) },
          changes: [{ field: 'status', before: row.status, after: 'failed' }],
          requestId: `job:${DEVICE_IMPORT_EXPIRY_JOB}`,
        });
        return true;
      });
      if (done) expired += 1;
    }
  }
  return { expired };
}

export const importJobHandlers = (
  deps: ImportDeps & { dialect: 'sqlite' | 'postgres'; hooks?: ImportRunHooks },
): Record<string, JobHandler> => ({
  [DEVICE_IMPORT_JOB]: (job, ctx) => runImportJob(deps, job, ctx, deps.hooks, deps.dialect),
  [DEVICE_IMPORT_EXPIRY_JOB]: (_job, ctx) => expireAbandonedImports(deps, ctx),
});
