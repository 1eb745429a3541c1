import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import { isUuid, newId } from '../../platform/db/ids';
import type { DB, InventorySettingsRow } from '../../platform/db/schema';

/** The tenant lists of DEV-2 and DEV-11: one shape, names unique per tenant through `name_key`. */
export type CatalogTable = 'categories' | 'places' | 'tags' | 'vendors';

/** Columns every list row has; the rest (attributes, colour, website) are the list's own. */
type CommonColumn = 'id' | 'tenant_id' | 'name' | 'name_key' | 'created_at' | 'updated_at' | 'version';
export type OwnColumns<T extends CatalogTable> = Omit<Insertable<DB[T]>, CommonColumn>;

/** What every list row has, with the number of devices that use it. */
export interface ListedCommon {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  version: number;
  device_count: number;
}
export type Listed<T extends CatalogTable> = Selectable<DB[T]> & ListedCommon;

/** Where the devices that use a list entry point at it. */
interface DeviceLink {
  table: 'devices' | 'device_tags';
  column: 'category_id' | 'place_id' | 'vendor_id' | 'tag_id';
}

/** Case-insensitive uniqueness: the unique index is on (tenant_id, name_key). */
export const nameKey = (name: string): string => name.trim().toLowerCase();

/**
 * Queries shared by the four lists, bound to one tenant. Kysely cannot type a table chosen at run
 * time, so the queries are typed against `places`: every column they name exists in all four.
 */
function catalogListRepo<T extends CatalogTable>(
  trx: Transaction<DB>,
  tenantId: string,
  table: T,
  link: DeviceLink,
) {
  const t = table as CatalogTable as 'places';
  // An index-only count per row (the link indexes lead with tenant_id and the link column).
  const deviceCount = sql<number>`(select count(*) from ${sql.table(link.table)} as d
    where d.tenant_id = ${sql.ref(`${table}.tenant_id`)} and ${sql.ref(`d.${link.column}`)} = ${sql.ref(`${table}.id`)})`;
  const listed = () =>
    trx
      .selectFrom(t)
      .selectAll(t)
      .select(deviceCount.as('device_count'))
      .where(`${t}.tenant_id`, '=', tenantId);
  const asListed = (row: Record<string, unknown> & { device_count: unknown }): Listed<T> =>
    ({
      ...row,
      version: Number(row.version),
      device_count: Number(row.device_count),
    }) as unknown as Listed<T>;

  const get = async (id: string): Promise<Listed<T> | undefined> => {
    if (!isUuid(id)) return undefined;
    const row = await listed().where(`${t}.id`, '=', id).executeTakeFirst();
    return row && asListed(row);
  };

  return {
    get,

    async list(): Promise<Listed<T>[]> {
      const rows = await listed().orderBy(`${t}.name_key`).orderBy(`${t}.id`).execute();
      return rows.map(asListed);
    },

    async count(): Promise<number> {
      const row = await trx
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** Throws a unique violation when the name is taken in this tenant (any case). */
    async create(name: string, own: OwnColumns<T>, now: Date): Promise<Listed<T>> {
      const at = now.toISOString();
      const row = {
        ...own,
        id: newId(),
        tenant_id: tenantId,
        name,
        name_key: nameKey(name),
        created_at: at,
        updated_at: at,
        version: 1,
      };
      await trx
        .insertInto(t)
        .values(row as Insertable<DB['places']>)
        .execute();
      return { ...row, device_count: 0 } as unknown as Listed<T>;
    },

    /** Optimistic concurrency (DEV-6): changes only the version the caller read; undefined otherwise. */
    async update(
      id: string,
      expectedVersion: number,
      name: string,
      own: OwnColumns<T>,
      now: Date,
    ): Promise<Listed<T> | undefined> {
      if (!isUuid(id)) return undefined;
      const result = await trx
        .updateTable(t)
        .set({
          ...(own as object),
          name,
          name_key: nameKey(name),
          updated_at: now.toISOString(),
          version: expectedVersion + 1,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return get(id);
    },

    /** Deletes only the version the caller read (DEV-6). */
    async remove(id: string, expectedVersion: number): Promise<boolean> {
      if (!isUuid(id)) return false;
      const result = await trx
        .deleteFrom(t)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export type CatalogListRepo<T extends CatalogTable> = ReturnType<typeof catalogListRepo<T>>;

/** DEV-2: categories, devices point at them through `devices.category_id`. */
export const categoriesRepo = (trx: Transaction<DB>, tenantId: string) => ({
  ...catalogListRepo(trx, tenantId, 'categories', { table: 'devices', column: 'category_id' }),
  /**
   * Holds the tenant row until commit, so two creations cannot both pass the plan's category limit
   * on PostgreSQL (SQLite already runs one writer at a time). A non-key column: foreign-key checks of
   * other writers are not blocked.
   */
  async lockForLimit(): Promise<void> {
    await trx
      .updateTable('tenants')
      .set((eb) => ({ name: eb.ref('name') }))
      .where('id', '=', tenantId)
      .execute();
  },
});

/** DEV-11: places; a device assigned to a place has `devices.place_id`. */
export const placesRepo = (trx: Transaction<DB>, tenantId: string) =>
  catalogListRepo(trx, tenantId, 'places', { table: 'devices', column: 'place_id' });

/** DEV-11: tags, applied to devices through `device_tags` (deleting a tag cascades there). */
export const tagsRepo = (trx: Transaction<DB>, tenantId: string) =>
  catalogListRepo(trx, tenantId, 'tags', { table: 'device_tags', column: 'tag_id' });

/** DEV-11: vendors; deleting one sets `devices.vendor_id` to null (the foreign key says so). */
export const vendorsRepo = (trx: Transaction<DB>, tenantId: string) =>
  catalogListRepo(trx, tenantId, 'vendors', { table: 'devices', column: 'vendor_id' });

/** The settings people edit; the device and barcode counters of the same row belong to the devices module. */
export type InventorySettingsFields = Pick<
  InventorySettingsRow,
  | 'default_place_id'
  | 'barcode_mode'
  | 'barcode_prefix'
  | 'barcode_digits'
  | 'invoice_management'
  | 'custom_invoice_data'
  | 'invoice_uploads'
  | 'updated_at'
  | 'version'
>;
const SETTINGS_COLUMNS = [
  'default_place_id',
  'barcode_mode',
  'barcode_prefix',
  'barcode_digits',
  'invoice_management',
  'custom_invoice_data',
  'invoice_uploads',
  'updated_at',
  'version',
] as const;

/** DEV-1: the tenant's invoice switches (each on unless turned off). */
export interface InvoiceSwitches {
  invoiceManagement: boolean;
  customInvoiceData: boolean;
  invoiceUploads: boolean;
}

/**
 * Makes the tenant's settings row with its defaults unless it exists: whoever needs the row first
 * (these settings, or the devices module for its counters) calls this, so both make the same row.
 */
export async function ensureInventorySettings(
  trx: Transaction<DB>,
  tenantId: string,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('inventory_settings')
    .values({
      tenant_id: tenantId,
      default_place_id: null,
      barcode_mode: 'disabled',
      barcode_prefix: '',
      barcode_digits: 6,
      next_device_number: 1,
      next_barcode_number: 1,
      updated_at: now.toISOString(),
      version: 1,
    })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
}

/**
 * DEV-9: raises these tenants' devices version in the caller's transaction, so list totals kept for the
 * old version are not used again. In id order: two transactions that both touch the same two tenants (moves
 * in opposite directions) take the rows' locks in the same order and cannot deadlock. A tenant without a
 * settings row has no devices and no totals kept.
 */
export async function markDevicesChanged(trx: Transaction<DB>, tenantIds: readonly string[]): Promise<void> {
  for (const tenantId of [...new Set(tenantIds)].sort()) {
    await trx
      .updateTable('inventory_settings')
      .set((eb) => ({ devices_version: eb('devices_version', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .execute();
  }
}

/** DEV-1: the invoice switches of a settings row; a tenant that never saved its settings has every switch on. */
export function invoiceSwitchesOf(
  row:
    | {
        invoice_management: number | null;
        custom_invoice_data: number | null;
        invoice_uploads: number | null;
      }
    | undefined,
): InvoiceSwitches {
  return {
    invoiceManagement: row ? Number(row.invoice_management) === 1 : true,
    customInvoiceData: row ? Number(row.custom_invoice_data) === 1 : true,
    invoiceUploads: row ? Number(row.invoice_uploads) === 1 : true,
  };
}

/** DEV-4 default place and DEV-10 barcode scheme: one row per tenant, created on first use. */
export const inventorySettingsRepo = (trx: Transaction<DB>, tenantId: string) => {
  const read = async (): Promise<InventorySettingsFields> => {
    const row = await trx
      .selectFrom('inventory_settings')
      .select(SETTINGS_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return {
      ...row,
      barcode_digits: Number(row.barcode_digits),
      invoice_management: Number(row.invoice_management),
      custom_invoice_data: Number(row.custom_invoice_data),
      invoice_uploads: Number(row.invoice_uploads),
      version: Number(row.version),
    };
  };

  return {
    /** The tenant's settings; the row is made with its defaults the first time anyone reads it. */
    async get(now: Date): Promise<InventorySettingsFields> {
      await ensureInventorySettings(trx, tenantId, now);
      return read();
    },

    /** Without creating the row: null when no default place is set. */
    async defaultPlaceId(): Promise<string | null> {
      const row = await trx
        .selectFrom('inventory_settings')
        .select('default_place_id')
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row?.default_place_id ?? null;
    },

    /** Without creating the row: a tenant that never saved its settings has every switch on. */
    async invoiceSwitches(): Promise<InvoiceSwitches> {
      const row = await trx
        .selectFrom('inventory_settings')
        .select(['invoice_management', 'custom_invoice_data', 'invoice_uploads'])
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return invoiceSwitchesOf(row);
    },

    /** Only the version the caller read is changed (DEV-6); the version counts settings edits only. */
    async update(
      expectedVersion: number,
      fields: Pick<
        InventorySettingsFields,
        'default_place_id' | 'barcode_mode' | 'barcode_prefix' | 'barcode_digits'
      > &
        // Left out (undefined), an invoice switch stays as it is: Kysely leaves undefined values out of SET.
        Partial<
          Pick<InventorySettingsFields, 'invoice_management' | 'custom_invoice_data' | 'invoice_uploads'>
        >,
      now: Date,
    ): Promise<InventorySettingsFields | undefined> {
      const result = await trx
        .updateTable('inventory_settings')
        .set({
          default_place_id: fields.default_place_id,
          barcode_mode: fields.barcode_mode,
          barcode_prefix: fields.barcode_prefix,
          barcode_digits: fields.barcode_digits,
          invoice_management: fields.invoice_management,
          custom_invoice_data: fields.custom_invoice_data,
          invoice_uploads: fields.invoice_uploads,
          updated_at: now.toISOString(),
          version: expectedVersion + 1,
        })
        .where('tenant_id', '=', tenantId)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return read();
    },
  };
};

export type InventorySettingsRepo = ReturnType<typeof inventorySettingsRepo>;
