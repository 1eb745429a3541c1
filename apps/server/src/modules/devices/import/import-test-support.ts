import type { DeviceImport } from '@thestorage/contracts';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { withTenant } from '../../../platform/db/tenant-scope';
import { createJobRunner, type JobRunner } from '../../../platform/jobs/worker';
import { createRepos } from '../../../repos';
import type { DevicesHarness, Response } from '../devices-test-harness';
import { type ImportRunHooks, importJobHandlers } from './service';

export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Quotes a CSV cell when it must be. */
const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
export const csvOf = (rows: readonly (readonly string[])[]) =>
  Buffer.from(`${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`, 'utf8');

export async function xlsxOf(rows: readonly (readonly (string | number | Date | null)[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Devices');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The import API of the harness's app, as the signed-in person, plus a job runner for the run. */
export function importClient(h: DevicesHarness, hooks: ImportRunHooks = {}) {
  const runner: JobRunner = createJobRunner({
    handle: h.t.handle,
    clock: h.clock,
    owner: 'import-test',
    handlers: importJobHandlers({
      repos: createRepos(h.t.handle),
      clock: h.clock,
      keyring: h.keyring,
      directoryCache: h.directoryCache,
      dialect: h.t.handle.dialect,
      hooks,
    }),
    pollMs: 10,
    leaseMs: 60_000,
    logger: { info() {}, warn() {}, error() {} },
  });

  const client = {
    runner,
    async upload(bytes: Buffer, fileName: string, contentType = CSV): Promise<Response> {
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/device-imports?fileName=${encodeURIComponent(fileName)}`,
        headers: { 'content-type': contentType },
        payload: bytes,
      });
      return { status: res.statusCode, body: res.body ? res.json() : null };
    },
    async uploaded(bytes: Buffer, fileName: string, contentType = CSV): Promise<DeviceImport> {
      const res = await client.upload(bytes, fileName, contentType);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    async check(item: DeviceImport): Promise<DeviceImport> {
      const res = await h.call('POST', `/device-imports/${item.id}/check`, { version: item.version });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    async map(item: DeviceImport, columns: { index: number; field: string }[]): Promise<DeviceImport> {
      const res = await h.call('PUT', `/device-imports/${item.id}/mapping`, {
        version: item.version,
        columns,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
    /** Starts the run and lets the job runner take it; returns the import as it ended. */
    async run(item: DeviceImport): Promise<DeviceImport> {
      const res = await h.call('POST', `/device-imports/${item.id}/run`, { version: item.version });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.jobId).toBeTruthy();
      while (await runner.runOnce()) {
        /* every due job */
      }
      return (await h.call('GET', `/device-imports/${item.id}`)).body;
    },
    /** Upload, check (expecting no problem), run: the import as it ended. */
    async importAll(bytes: Buffer, fileName: string, contentType = CSV): Promise<DeviceImport> {
      const checked = await client.check(await client.uploaded(bytes, fileName, contentType));
      expect(checked.problems, JSON.stringify(checked.problems.slice(0, 5))).toEqual([]);
      expect(checked.status).toBe('checked');
      return client.run(checked);
    },
  };
  return client;
}

/** How many devices, Imported events and device versions a tenant has: "changed nothing" compares these. */
export async function tenantState(h: DevicesHarness, tenantId: string) {
  return withTenant(h.t.handle, tenantId, async (trx) => {
    const devices = await trx
      .selectFrom('devices')
      .select(['id', 'version', 'status', 'assignee_kind', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .execute();
    const events = await trx
      .selectFrom('audit_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('action', 'like', 'device.%')
      .executeTakeFirstOrThrow();
    const catalog = await Promise.all(
      (['categories', 'tags', 'vendors'] as const).map((table) =>
        trx
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .executeTakeFirstOrThrow(),
      ),
    );
    return {
      devices: devices.map((d) => `${d.id}:${d.version}:${d.status}:${d.assignee_kind}`).join('|'),
      count: devices.length,
      deviceEvents: Number(events.n),
      catalog: catalog.map((c) => Number(c.n)),
    };
  });
}
