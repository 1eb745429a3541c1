import { type Insertable, sql, type Transaction } from 'kysely';
import type { Clock } from '../../../platform/clock';
import { insertRows } from '../../../platform/db/bulk-insert';
import type { Dialect } from '../../../platform/db/connect';
import { newId } from '../../../platform/db/ids';
import type {
  DB,
  DeviceImportRow,
  DeviceImportsTable,
  DeviceRow,
  DevicesTable,
} from '../../../platform/db/schema';
import { enqueueJob } from '../../../platform/jobs/queue';
import { markDevicesChanged } from '../../catalog/repo';
import { nextSearchRowid } from '../repo';

export const DEVICE_IMPORT_JOB = 'devices.import';
/** Daily: imports uploaded or checked but never run for 14 days lose their file. */
export const DEVICE_IMPORT_EXPIRY_JOB = 'devices.import.expire';

/** Imports of every tenant still holding a file they were never run with, last touched before `before`. */
export const abandonedImports = (trx: Transaction<DB>) => (before: string, limit: number) =>
  trx
    .selectFrom('device_imports')
    .select(['id', 'tenant_id'])
    .where('status', 'in', ['uploaded', 'checked'])
    .where('file_id', 'is not', null)
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();

/** The tenant's import records (DEV-12) and the bulk writes of a run, bound to one tenant. */
export const deviceImportsRepo = (trx: Transaction<DB>, tenantId: string, dialect: Dialect) => {
  const insertChunked = <T extends keyof DB & string>(table: T, rows: readonly Insertable<DB[T]>[]) =>
    insertRows(trx, table, rows as readonly Record<string, unknown>[]);
  return {
    get(id: string): Promise<DeviceImportRow | undefined> {
      return trx
        .selectFrom('device_imports')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    recent(limit: number): Promise<DeviceImportRow[]> {
      return trx
        .selectFrom('device_imports')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    /** An earlier import of the same bytes that went through, if any. */
    completedWithHash(hash: string, exceptId: string): Promise<DeviceImportRow | undefined> {
      return trx
        .selectFrom('device_imports')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('content_hash', '=', hash)
        .where('status', '=', 'completed')
        .where('id', '!=', exceptId)
        .orderBy('finished_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async insert(row: Omit<DeviceImportsTable, 'tenant_id' | 'version'>): Promise<void> {
      await trx
        .insertInto('device_imports')
        .values({ ...row, tenant_id: tenantId, version: 1 })
        .execute();
    },

    /** Writes the change when `version` is still current; false when someone else got there first. */
    async update(
      id: string,
      version: number,
      change: Partial<Omit<DeviceImportsTable, 'id' | 'tenant_id' | 'version'>>,
    ): Promise<boolean> {
      const result = await trx
        .updateTable('device_imports')
        .set({ ...change, version: version + 1 })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async devicesByKey(column: 'serial_key' | 'barcode_key', keys: readonly string[]) {
      const found = new Map<string, DeviceRow>();
      if (keys.length === 0) return found;
      const rows = await trx
        .selectFrom('devices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where(column, 'in', [...keys])
        .execute();
      for (const row of rows) found.set(row[column]!, row);
      return found;
    },

    /** The comment texts devices already have, so a second identical import adds none. */
    async commentsOf(deviceIds: readonly string[]) {
      const found = new Map<string, Set<string>>();
      if (deviceIds.length === 0) return found;
      const rows = await trx
        .selectFrom('device_comments')
        .select(['device_id', 'body'])
        .where('tenant_id', '=', tenantId)
        .where('device_id', 'in', [...deviceIds])
        .execute();
      for (const { device_id, body } of rows) {
        const set = found.get(device_id) ?? new Set<string>();
        set.add(body);
        found.set(device_id, set);
      }
      return found;
    },

    /** Reserves `count` device numbers (and Company Device ID numbers) at once; returns the first of each. */
    async allocateRange(count: number, withBarcode: boolean) {
      const row = await trx
        .updateTable('inventory_settings')
        .set((eb) => ({
          next_device_number: eb('next_device_number', '+', count),
          ...(withBarcode ? { next_barcode_number: eb('next_barcode_number', '+', count) } : {}),
        }))
        .where('tenant_id', '=', tenantId)
        .returning(['next_device_number', 'next_barcode_number'])
        .executeTakeFirstOrThrow();
      return {
        firstNumber: Number(row.next_device_number) - count,
        firstBarcodeNumber: withBarcode ? Number(row.next_barcode_number) - count : null,
      };
    },

    insertDevices: (rows: readonly Insertable<DevicesTable>[]) => insertChunked('devices', rows),

    /** DEV-9: once for the whole run (one transaction), so list totals of the tenant are counted again. */
    markDevicesChanged: () => markDevicesChanged(trx, [tenantId]),

    /** SQLite: the first free search rowid of the tenant, for devices that the import indexes itself (null on PostgreSQL). */
    async nextSearchRowid(): Promise<number | null> {
      if (dialect !== 'sqlite') return null;
      // The tenant's own range of rowids (migration 0020), so searches keep to the tenant in the FTS index.
      const row = await sql<{ next: number }>`select ${nextSearchRowid(tenantId)} as next`.execute(trx);
      return Number(row.rows[0]!.next);
    },

    /** SQLite: indexes these devices for text search in one statement (one FTS5 segment, not one per row). */
    async indexSearch(fromRowid: number, toRowid: number): Promise<void> {
      if (dialect !== 'sqlite') return;
      await sql`insert into devices_fts(rowid, search_text)
        select search_rowid, search_text from devices
         where tenant_id = ${tenantId} and search_rowid between ${fromRowid} and ${toRowid}`.execute(trx);
    },
    insertDeviceTags: (rows: readonly { device_id: string; tag_id: string }[]) =>
      insertChunked(
        'device_tags',
        rows.map((r) => ({ ...r, tenant_id: tenantId })),
      ),
    async replaceDeviceTags(deviceId: string, tagIds: readonly string[]) {
      await trx
        .deleteFrom('device_tags')
        .where('tenant_id', '=', tenantId)
        .where('device_id', '=', deviceId)
        .execute();
      if (tagIds.length > 0) {
        await trx
          .insertInto('device_tags')
          .values(tagIds.map((tag_id) => ({ tenant_id: tenantId, device_id: deviceId, tag_id })))
          .execute();
      }
    },
    insertComments: (
      rows: readonly {
        device_id: string;
        body: string;
        author_id: string;
        author_email: string;
        created_at: string;
      }[],
    ) =>
      insertChunked(
        'device_comments',
        rows.map((r) => ({ ...r, id: newId(), tenant_id: tenantId })),
      ),

    /** An imported edit of a known device, only if nobody changed it since the plan read it. */
    async updateDevice(id: string, version: number, columns: Partial<DevicesTable>): Promise<boolean> {
      const result = await trx
        .updateTable('devices')
        .set({ ...columns, version: version + 1 })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The run's job; asking twice for the same import gives the same job. */
    async enqueueRun(importId: string, payload: unknown, clock: Clock): Promise<string> {
      const job = await enqueueJob(
        trx,
        {
          tenantId,
          kind: DEVICE_IMPORT_JOB,
          payload,
          maxAttempts: 3,
          uniqueKey: `device-import:${importId}`,
        },
        clock,
      );
      return job.id;
    },

    /** Every category, place, tag and vendor of the tenant by name: what import rows refer to. */
    async catalog() {
      const [categories, places, tags, vendors] = await Promise.all([
        trx
          .selectFrom('categories')
          .select(['id', 'name', 'attributes', 'append_to_name'])
          .where('tenant_id', '=', tenantId)
          .execute(),
        trx.selectFrom('places').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
        trx.selectFrom('tags').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
        trx.selectFrom('vendors').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
      ]);
      return { categories, places, tags, vendors };
    },

    insertCatalogEntries: async (
      table: 'categories' | 'tags' | 'vendors',
      rows: readonly Record<string, string | number | null>[],
    ) => insertChunked(table, rows.map((r) => ({ ...r, tenant_id: tenantId })) as never),
  };
};

export type DeviceImportsRepo = ReturnType<typeof deviceImportsRepo>;
