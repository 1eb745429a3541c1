import type { DeviceListQuery, DeviceStatus } from '@thestorage/contracts';
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { FieldChange } from '../../platform/audit-store/event';
import type { Dialect } from '../../platform/db/connect';
import { newId } from '../../platform/db/ids';
import { queryTemplate, shapedQueryTemplate } from '../../platform/db/query-template';
import type {
  CategoryRow,
  DB,
  DeviceRow,
  DevicesTable,
  InventorySettingsRow,
  PlaceRow,
  TagRow,
  VendorRow,
} from '../../platform/db/schema';
import {
  ensureInventorySettings,
  type InvoiceSwitches,
  invoiceSwitchesOf,
  markDevicesChanged,
} from '../catalog/repo';
import { type ManualRate, manualRateOf } from '../money/conversion';
import { DEFAULT_CURRENCY } from '../money/money-repo';
import { decodeCursor, encodeCursor, type SortKey } from './cursor';
import type { TenantPlanFields } from './invoice-settings';
import { DeviceTotals } from './totals-cache';

/**
 * The columns a create or an edit sets; everything else (number, stamps, version) the repo owns, and the
 * file pointers change only through `setFile`.
 */
export type DeviceFields = Omit<
  DevicesTable,
  | 'invoice_file_id'
  | 'image_file_id'
  | 'id'
  | 'tenant_id'
  | 'number'
  | 'created_at'
  | 'updated_at'
  | 'version'
  | 'name_key'
  | 'serial_key'
  | 'barcode_key'
  | 'search_text'
>;

/** A stored device's editable columns, to change a few and write them back. */
export function fieldsOf(row: DeviceRow): DeviceFields {
  const {
    id: _id,
    tenant_id: _tenant,
    number: _number,
    created_at: _created,
    updated_at: _updated,
    version: _version,
    name_key: _nameKey,
    serial_key: _serialKey,
    barcode_key: _barcodeKey,
    search_text: _searchText,
    invoice_file_id: _invoiceFile,
    image_file_id: _imageFile,
    ...fields
  } = row;
  return fields;
}

const lower = (value: string | null) => (value === null ? null : value.trim().toLowerCase());

/** `#number name serial barcode`, lower-cased: what list search looks in. */
export const searchTextOf = (number: number, fields: Pick<DeviceFields, 'name' | 'serial' | 'barcode'>) =>
  [`#${number}`, fields.name, fields.serial, fields.barcode]
    .filter((part): part is string => Boolean(part))
    .join(' ')
    .toLowerCase();

/** The columns derived from the fields: lower-cased keys for uniqueness and sorting, the search text. */
export const derived = (number: number, fields: DeviceFields) => ({
  name_key: fields.name.trim().toLowerCase(),
  serial_key: lower(fields.serial),
  barcode_key: lower(fields.barcode),
  search_text: searchTextOf(number, fields),
});

/** What a page of devices refers to, by id: the columns their views show. */
export interface Related {
  categories: Map<string, Pick<CategoryRow, 'id' | 'name' | 'attributes' | 'append_to_name'>>;
  places: Map<string, Pick<PlaceRow, 'id' | 'name'>>;
  vendors: Map<string, Pick<VendorRow, 'id' | 'name'>>;
  tags: Map<string, Pick<TagRow, 'id' | 'name' | 'name_key' | 'color'>>;
  /** Each device's tag ids (devices without tags are not in it). */
  tagIds: Map<string, string[]>;
}

/** What every device view of a request needs from its tenant (DEV-1 invoice switches and plan, prices). */
export interface DeviceViewSettings {
  /** Undefined when the tenant row is gone. */
  tenant: TenantPlanFields | undefined;
  switches: InvoiceSwitches;
  defaultCurrency: string;
  manualRates: ManualRate[];
  /** The tenant's devices version (DEV-9 totals are kept per version); null before any device was written. */
  devicesVersion: number | null;
}

/** Filters that narrow a list; all optional, combined with AND (DEV-9). */
type ListFilters = Pick<
  DeviceListQuery,
  'search' | 'categoryId' | 'status' | 'tagId' | 'assignee' | 'warranty'
>;

/** A calendar day `days` after `day` (both YYYY-MM-DD, UTC). */
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** DEV-9: lists count exactly up to here, then say "more than" — a count that stays cheap at any size. */
export const TOTAL_CAP = 10_000;

/** SQLite searches with at most this many matches are fetched by key from the FTS index. */
const NARROW_SEARCH = 2_000;

/** SQLite: the size of each tenant's range of search rowids (migration 0020). */
export const SEARCH_RANGE = 4_294_967_296;

/** SQLite: the first free search rowid of a tenant's range, from the unique index in one step. */
export const nextSearchRowid = (tenantId: string) =>
  sql<number>`(select coalesce(
      (select max(search_rowid) from devices where search_rowid between base and base + ${sql.lit(SEARCH_RANGE - 1)}),
      base) + 1
    from (select slot * ${sql.lit(SEARCH_RANGE)} as base from device_search_ranges where tenant_id = ${tenantId}))`;

/** DASH-1: warranties ending within this many days count as expiring. */
export const WARRANTY_EXPIRING_DAYS = 90;

/** Escapes LIKE wildcards so a search for `50%` finds that text. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `viewSettings`: read for every page of the list, so built and compiled once (see queryTemplate). */
const viewSettingsQuery = queryTemplate((db, v: { tenantId: string }) =>
  db
    .selectFrom('tenants')
    .leftJoin('inventory_settings', 'inventory_settings.tenant_id', 'tenants.id')
    .leftJoin('money_settings', 'money_settings.tenant_id', 'tenants.id')
    .leftJoin('manual_exchange_rates', 'manual_exchange_rates.tenant_id', 'tenants.id')
    .select([
      'tenants.plan',
      'tenants.trial_ends_at',
      'tenants.cancelled_at',
      'inventory_settings.tenant_id as settings_tenant_id',
      'inventory_settings.invoice_management',
      'inventory_settings.custom_invoice_data',
      'inventory_settings.invoice_uploads',
      'inventory_settings.devices_version',
      'money_settings.default_currency',
      'manual_exchange_rates.currency',
      'manual_exchange_rates.per_eur',
      'manual_exchange_rates.updated_at as rate_updated_at',
    ])
    .where('tenants.id', '=', v.tenantId)
    .orderBy('manual_exchange_rates.currency'),
);

/** What decides the text of a device list query (DEV-9): which filters there are, not their values. */
interface ListShape {
  /** A narrow SQLite search: driven by its FTS matches instead of the tenant's index. */
  narrow: boolean;
  warranty: NonNullable<ListFilters['warranty']> | null;
  category: boolean;
  /** The statuses asked for, each once, sorted: a closed set, written into the query as constants. */
  status: DeviceStatus[];
  tag: boolean;
  assignee: string | null;
  search: boolean;
}

/** The values of a device list query, bound as parameters (see queryTemplate). */
interface ListValues extends Record<string, unknown> {
  tenantId: string;
  today: string;
  expiringUntil: string;
  categoryId: string | undefined;
  tagId: string | undefined;
  assigneeValue: string;
  ftsPhrase: string;
  likePattern: string;
}

const listShapeOf = (filters: ListFilters, narrow: boolean): ListShape => ({
  narrow,
  warranty: filters.warranty ?? null,
  category: !!filters.categoryId,
  status: [...new Set(filters.status ?? [])].sort(),
  tag: !!filters.tagId,
  assignee: filters.assignee?.split(':')[0] ?? null,
  search: !!filters.search?.trim(),
});

/** FTS5 trigram: the whole search as one phrase, i.e. a substring match. */
const ftsPhraseOf = (search: string) => `"${search.replace(/"/g, '""')}"`;

const listValuesOf = (tenantId: string, filters: ListFilters, today: string): ListValues => {
  const search = filters.search?.trim().toLowerCase() ?? '';
  return {
    tenantId,
    today,
    expiringUntil: addDays(today, WARRANTY_EXPIRING_DAYS),
    categoryId: filters.categoryId,
    tagId: filters.tagId,
    assigneeValue: filters.assignee?.split(':')[1] ?? '',
    ftsPhrase: ftsPhraseOf(search),
    likePattern: likePattern(search),
  };
};

/**
 * The tenant condition for lookups by key: SQLite would otherwise walk the tenant's index (every
 * device of the tenant) instead of the key; unary + keeps the condition but not that index.
 */
const tenantKeyCondition = (dialect: Dialect, column: string, tenantId: string) =>
  dialect === 'sqlite'
    ? sql<SqlBool>`+${sql.ref(column)} = ${tenantId}`
    : sql<SqlBool>`${sql.ref(column)} = ${tenantId}`;

/**
 * SQLite: the FTS rowids of this tenant's devices that contain the search. Each tenant's devices have
 * search rowids in a range of their own (migration 0020), so FTS5 keeps to the tenant by itself.
 */
const ftsMatchesOf = (tenantId: string, phrase: string) => {
  const base = sql`(select slot * ${sql.lit(SEARCH_RANGE)} from device_search_ranges where tenant_id = ${tenantId})`;
  return sql`select rowid from devices_fts where devices_fts match ${phrase}
    and rowid between ${base} and ${base} + ${sql.lit(SEARCH_RANGE - 1)}`;
};

/** The devices a list's filters keep (DEV-9): the same query for a page, a count and a template. */
function filteredDevices(db: Kysely<DB>, dialect: Dialect, shape: ListShape, v: ListValues) {
  // A narrow search is driven by its matches (unary + keeps SQLite off the tenant index, which would
  // walk every device of the tenant); the tenant condition still filters every row.
  let q = shape.narrow
    ? db.selectFrom('devices').where(tenantKeyCondition(dialect, 'devices.tenant_id', v.tenantId))
    : db.selectFrom('devices').where('devices.tenant_id', '=', v.tenantId);
  if (shape.warranty === 'unknown') q = q.where('devices.warranty_end', 'is', null);
  else if (shape.warranty === 'valid') q = q.where('devices.warranty_end', '>=', v.today);
  else if (shape.warranty === 'expired') q = q.where('devices.warranty_end', '<', v.today);
  else if (shape.warranty === 'expiring') {
    q = q.where('devices.warranty_end', '>=', v.today).where('devices.warranty_end', '<=', v.expiringUntil);
  }
  if (shape.category) q = q.where('devices.category_id', '=', v.categoryId!);
  if (shape.status.length) q = q.where('devices.status', 'in', shape.status);
  if (shape.tag) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('device_tags')
          .select('device_tags.device_id')
          .whereRef('device_tags.device_id', '=', 'devices.id')
          .where('device_tags.tenant_id', '=', v.tenantId)
          .where('device_tags.tag_id', '=', v.tagId!),
      ),
    );
  }
  if (shape.assignee === 'assigned') q = q.where('devices.assignee_kind', 'in', ['employee', 'place']);
  else if (shape.assignee === 'employee') q = q.where('devices.employee_ref', '=', v.assigneeValue);
  else if (shape.assignee === 'place') q = q.where('devices.place_id', '=', v.assigneeValue);
  else if (shape.assignee) q = q.where('devices.assignee_kind', '=', shape.assignee as 'it' | 'store');
  if (shape.search) {
    if (shape.narrow) {
      q = q.where(sql<SqlBool>`devices.search_rowid in (${ftsMatchesOf(v.tenantId, v.ftsPhrase)})`);
    } else {
      // PostgreSQL answers LIKE '%…%' from the pg_trgm index. SQLite walks the sort order and tests each
      // device's own text (the same substring match as the FTS index) until the page is full: cheaper
      // than building the set of every match first, and the only way for a search under 3 characters.
      q = q.where(sql<SqlBool>`devices.search_text like ${v.likePattern} escape '\\'`);
    }
  }
  return q;
}

/** The column of each sort (keyset-paged on it, then the number). */
const SORT_COLUMNS: Record<SortKey, Expression<unknown>> = {
  number: sql`devices.number`,
  name: sql`devices.name_key`,
  barcode: sql`coalesce(devices.barcode_key, '')`,
  created: sql`devices.created_at`,
  modified: sql`devices.updated_at`,
};

/** One page of a device list: read on every list request, so built and compiled once per shape. */
const devicePageQuery = shapedQueryTemplate(
  (
    db,
    shape: ListShape & { sort: SortKey; order: 'asc' | 'desc'; after: boolean },
    v: ListValues & { afterNumber: number | undefined; afterValue: unknown; limit: number },
    dialect,
  ) => {
    const column = SORT_COLUMNS[shape.sort];
    const direction = shape.order === 'asc' ? sql`asc` : sql`desc`;
    const ordered = <Q extends { orderBy(expression: Expression<unknown>): Q }>(q: Q): Q =>
      shape.sort === 'number'
        ? q.orderBy(sql`devices.number ${direction}`)
        : q.orderBy(sql`${column} ${direction}`).orderBy(sql`devices.number ${direction}`);
    let matches = filteredDevices(db, dialect, shape, v);
    if (shape.after) {
      const op = shape.order === 'asc' ? sql`>` : sql`<`;
      matches =
        shape.sort === 'number'
          ? matches.where(sql<SqlBool>`devices.number ${op} ${v.afterNumber}`)
          : matches.where(
              sql<SqlBool>`(${column}, devices.number) ${op} (${v.afterValue}, ${v.afterNumber})`,
            );
    }
    if (shape.narrow) {
      // SQLite, a narrow search: its matches (up to NARROW_SEARCH) are sorted, not walked in order. Sorting
      // their row ids and sort keys, then reading the page's rows, carries 51 rows instead of every match's
      // 31 columns through the sort ("sn-1a", 1,332 matches at 100,000 devices: 3.6 -> 1.7 ms).
      const page = ordered(matches.select(sql<number>`devices.rowid`.as('rowid'))).limit(v.limit);
      return ordered(
        db.selectFrom('devices').selectAll('devices').where(sql<SqlBool>`devices.rowid in (${page})`),
      );
    }
    return ordered(matches.selectAll('devices')).limit(v.limit);
  },
);

/** SQLite: how many of a tenant's devices contain a search, counted from the FTS index up to `cap`. */
const ftsCountQuery = queryTemplate(
  (_db, v: { tenantId: string; phrase: string; cap: number }) =>
    sql<{ n: number }>`select count(*) as n from (${ftsMatchesOf(v.tenantId, v.phrase)} limit ${v.cap})`,
);

/**
 * `relatedTo`: the categories, places, vendors and tags of a page of devices, one query of at most 8
 * shapes (which of categories, places and vendors the page has; its devices' tags are always asked). The ids go in as one value per kind, a JSON array for SQLite
 * (`json_each`) and an array for PostgreSQL (`= any`), so a page's query has the same text whatever its
 * number of ids: compiled once, and prepared once on PostgreSQL instead of once per combination of counts.
 */
const relatedQuery = shapedQueryTemplate(
  (
    _db,
    shape: { category: boolean; place: boolean; vendor: boolean },
    v: {
      tenantId: string;
      categoryIds: unknown;
      placeIds: unknown;
      vendorIds: unknown;
      deviceIds: unknown;
    },
    dialect,
  ) => {
    const inList = (column: string, ids: unknown) =>
      dialect === 'sqlite'
        ? sql`${sql.ref(column)} in (select value from json_each(${ids}))`
        : sql`${sql.ref(column)} = any(${ids}::uuid[])`;
    const inTenant = (column: string) => tenantKeyCondition(dialect, column, v.tenantId);
    const branches = [
      shape.category &&
        sql`select 'category' as kind, id as owner, id, name, attributes as detail, name as sort_key, append_to_name as flag
              from categories where ${inTenant('categories.tenant_id')} and ${inList('id', v.categoryIds)}`,
      shape.place &&
        sql`select 'place' as kind, id as owner, id, name, name as detail, name as sort_key, 0 as flag
              from places where ${inTenant('places.tenant_id')} and ${inList('id', v.placeIds)}`,
      shape.vendor &&
        sql`select 'vendor' as kind, id as owner, id, name, name as detail, name as sort_key, 0 as flag
              from vendors where ${inTenant('vendors.tenant_id')} and ${inList('id', v.vendorIds)}`,
      // A device's tags: the link rows and the tags they name, both of this tenant.
      sql`select 'tag' as kind, device_tags.device_id as owner, tags.id, tags.name, tags.color as detail, tags.name_key as sort_key, 0 as flag
              from device_tags join tags on tags.id = device_tags.tag_id and ${inTenant('tags.tenant_id')}
             where ${inTenant('device_tags.tenant_id')} and ${inList('device_tags.device_id', v.deviceIds)}`,
    ].filter((branch) => branch !== false);
    return sql<{
      kind: 'category' | 'place' | 'vendor' | 'tag';
      owner: string;
      id: string;
      name: string;
      detail: string;
      sort_key: string;
      flag: number;
    }>`${sql.join(branches, sql` union all `)}`;
  },
);

/** `totals`: list totals kept across requests (DEV-9); without it every list counts. */
export const devicesRepo = (
  trx: Transaction<DB>,
  tenantId: string,
  dialect: Dialect,
  totals?: DeviceTotals,
) => {
  /** The tenant condition for lookups by key (see tenantKeyCondition). */
  const byKeyInTenant = (column: string) => tenantKeyCondition(dialect, column, tenantId);

  /** The search text of a list query, when SQLite answers it from its FTS index (3 characters or more). */
  const ftsSearchOf = (filters: ListFilters) => {
    const search = filters.search?.trim().toLowerCase();
    return dialect === 'sqlite' && search !== undefined && search.length >= 3 ? search : undefined;
  };

  /** How many of this tenant's devices contain the search, counted from the FTS index up to `cap` + 1. */
  const ftsCount = async (search: string, cap: number): Promise<number> => {
    const [row] = await ftsCountQuery.execute(trx, dialect, {
      tenantId,
      phrase: ftsPhraseOf(search),
      cap: cap + 1,
    });
    return Number(row!.n);
  };

  /** The devices these filters keep, built with their values (counts; pages go through devicePageQuery). */
  const filtered = (filters: ListFilters, today: string, narrow = false) =>
    filteredDevices(trx, dialect, listShapeOf(filters, narrow), listValuesOf(tenantId, filters, today));

  /**
   * How many devices match, counted up to TOTAL_CAP + 1. Where SQLite counts from one index alone (no
   * filter, or statuses only), it first asks for the match after the cap (skipping index entries is
   * about three times cheaper than counting them one by one through a subquery) and counts in full only
   * when there is none. A SQLite text search alone is counted in the FTS index (the tenant's rowid range),
   * `searchMatches`; with other filters too, its matches are read by key and tested. Other filters read table rows per
   * match, so they are counted in one pass.
   */
  const countMatches = async (
    filters: ListFilters,
    today: string,
    narrow: boolean,
    searchMatches: number | undefined,
  ): Promise<number> => {
    // Filters that read table rows per match (statuses alone are read from the status index).
    const rowFilters = !!(filters.categoryId || filters.tagId || filters.assignee || filters.warranty);
    if (searchMatches !== undefined && !rowFilters && !filters.status?.length) return searchMatches;
    // Counting a SQLite text search by its matches reads each match once, wherever it is in the tenant.
    const byMatches = narrow || searchMatches !== undefined;
    if (dialect === 'sqlite' && !filters.search?.trim() && !rowFilters) {
      const beyondCap = filtered(filters, today, byMatches)
        .select(sql`${TOTAL_CAP + 1}`.as('n'))
        .limit(1)
        .offset(TOTAL_CAP);
      const all = filtered(filters, today, byMatches).select((eb) => eb.fn.countAll().as('n'));
      const { rows } = await sql<{
        total: number;
      }>`select coalesce((${beyondCap}), (${all})) as total`.execute(trx);
      return Number(rows[0]!.total);
    }
    const counted = await trx
      .selectFrom(
        filtered(filters, today, byMatches)
          .select(sql`1`.as('one'))
          .limit(TOTAL_CAP + 1)
          .as('matches'),
      )
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    return Number(counted.total);
  };

  /**
   * PostgreSQL: runs `read` with the planner told to walk an index in the sort order (no sequential or
   * bitmap scan, no sort), for a broad search whose matches fill a page early; then back to the session's
   * own values (`to default`: the app never changes them for a session). One round trip each way.
   */
  const walkingSortOrder = async <T>(walk: boolean, read: () => Promise<T>): Promise<T> => {
    if (!walk) return read();
    const settings = ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'];
    await sql.raw(settings.map((name) => `set local ${name} = off`).join('; ')).execute(trx);
    const result = await read();
    // (A failed read ends the transaction, and its local settings with it.)
    await sql.raw(settings.map((name) => `set local ${name} to default`).join('; ')).execute(trx);
    return result;
  };

  /**
   * The total kept for these filters at the tenant's current devices version (undefined when none is), and
   * how to keep one. Without a cache or a settings row (no device was ever written) nothing is kept.
   * `known`: the version already read in this transaction (`viewSettings`), null for no settings row.
   */
  const keptTotal = async (filters: ListFilters, today: string, known: number | null | undefined) => {
    const nothingKept = { total: undefined, keep: (_total: number) => {}, searchMatches: undefined };
    if (!totals) return nothingKept;
    const version =
      known !== undefined
        ? known
        : ((
            await trx
              .selectFrom('inventory_settings')
              .select('devices_version')
              .where('tenant_id', '=', tenantId)
              .executeTakeFirst()
          )?.devices_version ?? null);
    if (version === null) return nothingKept;
    // SQLite: a search's FTS match count (up to TOTAL_CAP + 1), kept beside the totals under the same version.
    const matchesKey = (search: string) =>
      DeviceTotals.key(tenantId, Number(version), ['fts-matches', search]);
    const key = DeviceTotals.key(tenantId, Number(version), [
      filters.search?.trim().toLowerCase() ?? '',
      filters.categoryId ?? '',
      [...(filters.status ?? [])].sort(),
      filters.tagId ?? '',
      filters.assignee ?? '',
      filters.warranty ?? '',
      // Warranty filters move with the calendar.
      filters.warranty ? today : '',
    ]);
    return {
      total: totals.get(key),
      keep: (total: number) => totals.set(key, total),
      searchMatches: {
        get: (search: string) => totals.get(matchesKey(search)),
        keep: (search: string, matches: number) => totals.set(matchesKey(search), matches),
      },
    };
  };

  return {
    /** Creates the tenant's settings row on first use; counters and scheme live there. */
    async settings(now: Date): Promise<InventorySettingsRow> {
      await ensureInventorySettings(trx, tenantId, now);
      return trx
        .selectFrom('inventory_settings')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
    },

    /**
     * The tenant's plan, invoice switches, default currency, manual rates and devices version in one query
     * (one row per manual rate, or one without): the same values as `r.tenant.get()`,
     * `inventorySettings.invoiceSwitches()` and `money.defaultCurrency()` / `money.manualRates()`, and like
     * them it creates nothing.
     */
    async viewSettings(): Promise<DeviceViewSettings> {
      const rows = await viewSettingsQuery.execute(trx, dialect, { tenantId });
      const first = rows[0];
      return {
        tenant: first && {
          plan: first.plan,
          trial_ends_at: first.trial_ends_at,
          cancelled_at: first.cancelled_at,
        },
        // No settings row (never saved): the left join gives none of its columns.
        switches: invoiceSwitchesOf(first?.settings_tenant_id != null ? first : undefined),
        defaultCurrency: first?.default_currency ?? DEFAULT_CURRENCY,
        devicesVersion:
          first?.settings_tenant_id != null && first.devices_version !== null
            ? Number(first.devices_version)
            : null,
        manualRates: rows.flatMap((row) =>
          row.currency !== null && row.per_eur !== null && row.rate_updated_at !== null
            ? [
                manualRateOf({
                  currency: row.currency,
                  per_eur: row.per_eur,
                  updated_at: row.rate_updated_at,
                }),
              ]
            : [],
        ),
      };
    },

    /** The next device number (and Company Device ID sequence when asked), reserved in this transaction. */
    async allocateNumbers(withBarcode: boolean): Promise<{ number: number; barcodeNumber: number | null }> {
      const row = await trx
        .updateTable('inventory_settings')
        .set((eb) => ({
          next_device_number: eb('next_device_number', '+', 1),
          ...(withBarcode ? { next_barcode_number: eb('next_barcode_number', '+', 1) } : {}),
        }))
        .where('tenant_id', '=', tenantId)
        .returning(['next_device_number', 'next_barcode_number'])
        .executeTakeFirstOrThrow();
      return {
        number: Number(row.next_device_number) - 1,
        barcodeNumber: withBarcode ? Number(row.next_barcode_number) - 1 : null,
      };
    },

    async insert(number: number, fields: DeviceFields, now: Date): Promise<DeviceRow> {
      const at = now.toISOString();
      const row = {
        id: newId(),
        tenant_id: tenantId,
        number,
        ...fields,
        ...derived(number, fields),
        created_at: at,
        updated_at: at,
        version: 1,
      };
      await trx.insertInto('devices').values(row).execute();
      await markDevicesChanged(trx, [tenantId]);
      return (await this.get(row.id))!;
    },

    get(id: string): Promise<DeviceRow | undefined> {
      return trx
        .selectFrom('devices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** This tenant's devices among these ids (others are simply not there). */
    getMany(ids: readonly string[]): Promise<DeviceRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return trx
        .selectFrom('devices')
        .selectAll()
        .where(byKeyInTenant('devices.tenant_id'))
        .where('id', 'in', [...ids])
        .execute();
    },

    /** Writes the new fields when `version` is still current; undefined when someone else got there first. */
    async update(
      row: DeviceRow,
      fields: DeviceFields,
      version: number,
      now: Date,
    ): Promise<DeviceRow | undefined> {
      const result = await trx
        .updateTable('devices')
        .set({
          ...fields,
          ...derived(Number(row.number), fields),
          updated_at: now.toISOString(),
          version: version + 1,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      await markDevicesChanged(trx, [tenantId]);
      return this.get(row.id);
    },

    /** DEV-1: points the device at another invoice or image file (or none), based on `version` (DEV-6). */
    async setFile(
      row: DeviceRow,
      column: 'invoice_file_id' | 'image_file_id',
      fileId: string | null,
      version: number,
      now: Date,
    ): Promise<DeviceRow | undefined> {
      const result = await trx
        .updateTable('devices')
        .set({ [column]: fileId, updated_at: now.toISOString(), version: version + 1 })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return this.get(row.id);
    },

    async remove(id: string, version: number): Promise<boolean> {
      const result = await trx
        .deleteFrom('devices')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      const removed = Number(result.numDeletedRows) === 1;
      if (removed) await markDevicesChanged(trx, [tenantId]);
      return removed;
    },

    async tagIdsOf(deviceIds: readonly string[]): Promise<Map<string, string[]>> {
      const byDevice = new Map<string, string[]>();
      if (deviceIds.length === 0) return byDevice;
      const rows = await trx
        .selectFrom('device_tags')
        .select(['device_id', 'tag_id'])
        .where(byKeyInTenant('device_tags.tenant_id'))
        .where('device_id', 'in', deviceIds)
        .execute();
      for (const { device_id, tag_id } of rows)
        byDevice.set(device_id, [...(byDevice.get(device_id) ?? []), tag_id]);
      return byDevice;
    },

    async setTags(deviceId: string, tagIds: readonly string[]): Promise<void> {
      await trx
        .deleteFrom('device_tags')
        .where('tenant_id', '=', tenantId)
        .where('device_id', '=', deviceId)
        .execute();
      await markDevicesChanged(trx, [tenantId]);
      if (tagIds.length === 0) return;
      await trx
        .insertInto('device_tags')
        .values(tagIds.map((tag_id) => ({ tenant_id: tenantId, device_id: deviceId, tag_id })))
        .execute();
    },

    /** Which of these ids name rows of this tenant's table (referenced categories, places, tags, vendors). */
    async existing(
      table: 'categories' | 'places' | 'tags' | 'vendors',
      ids: readonly string[],
    ): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await trx
        .selectFrom(table)
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute();
      return new Set(rows.map((r) => r.id));
    },

    /** One of this tenant's categories (its typed attributes decide what a device's values may be). */
    category(id: string): Promise<CategoryRow | undefined> {
      return trx
        .selectFrom('categories')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /**
     * The categories, places, vendors and tags these devices refer to, with each device's tags: one query
     * for a whole page (a list request pays per statement, not per row). The branches share one column
     * list; where a column means nothing to a branch it repeats one of the branch's own columns rather
     * than NULL, so PostgreSQL never has to guess a type across the UNION.
     */
    async relatedTo(rows: readonly DeviceRow[]): Promise<Related> {
      const ids = (pick: (row: DeviceRow) => string | null) => [
        ...new Set(rows.map(pick).filter((id): id is string => id !== null)),
      ];
      const related: Related = {
        categories: new Map(),
        places: new Map(),
        vendors: new Map(),
        tags: new Map(),
        tagIds: new Map(),
      };
      const deviceIds = rows.map((r) => r.id);
      if (deviceIds.length === 0) return related;
      const categoryIds = ids((r) => r.category_id);
      const placeIds = ids((r) => r.place_id);
      const vendorIds = ids((r) => r.vendor_id);
      const list = (ids: readonly string[]) => (dialect === 'sqlite' ? JSON.stringify(ids) : ids);
      const found = await relatedQuery.execute(
        trx,
        dialect,
        {
          category: categoryIds.length > 0,
          place: placeIds.length > 0,
          vendor: vendorIds.length > 0,
        },
        {
          tenantId,
          categoryIds: list(categoryIds),
          placeIds: list(placeIds),
          vendorIds: list(vendorIds),
          deviceIds: list(deviceIds),
        },
      );
      for (const row of found) {
        const id = String(row.id);
        if (row.kind === 'category') {
          related.categories.set(id, {
            id,
            name: row.name,
            attributes: row.detail,
            append_to_name: Number(row.flag),
          });
        } else if (row.kind === 'place') related.places.set(id, { id, name: row.name });
        else if (row.kind === 'vendor') related.vendors.set(id, { id, name: row.name });
        else {
          related.tags.set(id, { id, name: row.name, name_key: row.sort_key, color: row.detail });
          const owner = String(row.owner);
          related.tagIds.set(owner, [...(related.tagIds.get(owner) ?? []), id]);
        }
      }
      return related;
    },

    /** Events of this device still in the outbox (not yet relayed to the audit store), newest first. */
    async pendingEvents(deviceId: string) {
      const rows = await trx
        .selectFrom('audit_outbox')
        .select(['id', 'action', 'occurred_at', 'actor_name', 'actor_email', 'changes'])
        .where('tenant_id', '=', tenantId)
        .where('target_type', '=', 'device')
        .where('target_id', '=', deviceId)
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        action: row.action,
        occurredAt: row.occurred_at,
        actor: { name: row.actor_name, email: row.actor_email },
        changes: JSON.parse(row.changes) as FieldChange[],
      }));
    },

    /** Rows of this tenant's table with these names (case-insensitive): matching a moved device's references. */
    async byNames(table: 'categories' | 'tags' | 'vendors', names: readonly string[]) {
      if (names.length === 0) return [];
      const keys = [...new Set(names.map((n) => n.trim().toLowerCase()))];
      return trx
        .selectFrom(table)
        .select(['id', 'name_key'])
        .where('tenant_id', '=', tenantId)
        .where('name_key', 'in', keys)
        .execute();
    },

    /**
     * DEV-7: hands this tenant's device to another tenant in place (same id, so nothing else points
     * elsewhere): new number and fields, its tags and comments follow. Needs the system scope.
     */
    async transferTo(
      row: DeviceRow,
      target: string,
      number: number,
      fields: DeviceFields,
      tagIds: string[],
      now: Date,
    ) {
      const result = await trx
        .updateTable('devices')
        .set({
          tenant_id: target,
          number,
          ...fields,
          ...derived(number, fields),
          updated_at: now.toISOString(),
          version: Number(row.version) + 1,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx.deleteFrom('device_tags').where('device_id', '=', row.id).execute();
      if (tagIds.length > 0) {
        await trx
          .insertInto('device_tags')
          .values(tagIds.map((tag_id) => ({ tenant_id: target, device_id: row.id, tag_id })))
          .execute();
      }
      await trx
        .updateTable('device_comments')
        .set({ tenant_id: target })
        .where('device_id', '=', row.id)
        .execute();
      await markDevicesChanged(trx, [tenantId, target]);
      return true;
    },

    /** The newest comments of a device. */
    comments(deviceId: string, limit = 100) {
      return trx
        .selectFrom('device_comments')
        .select(['id', 'body', 'author_email', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('device_id', '=', deviceId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    async addComment(deviceId: string, body: string, author: { id: string; email: string }, now: Date) {
      const id = newId();
      await trx
        .insertInto('device_comments')
        .values({
          id,
          tenant_id: tenantId,
          device_id: deviceId,
          body,
          author_id: author.id,
          author_email: author.email,
          created_at: now.toISOString(),
        })
        .execute();
      return id;
    },

    /** One page in the asked order, keyset-paged on (sort value, number); plus the total over all pages. */
    async list(
      query: DeviceListQuery,
      today: string,
      options: {
        count?: boolean;
        /** The devices version this transaction already read (`viewSettings`): not read again. */
        devicesVersion?: number | null;
      } = {},
    ): Promise<{ rows: DeviceRow[]; nextCursor: string | null; total: number; totalCapped: boolean }> {
      const key: SortKey = query.sort;
      // DEV-9: a total kept for the tenant's devices version and these filters is the count's answer. The
      // version is read before anything is counted, so a total is never kept under a newer version than
      // the rows it counted.
      const kept =
        options.count === false ? undefined : await keptTotal(query, today, options.devicesVersion);
      // Index order for plain lists and broad searches; a narrow search sorts at most NARROW_SEARCH rows.
      // Counted once in the FTS index: it decides which, and is the total of a search without other filters.
      // Its count is kept like a total: every page of a search, and every repeat, would count it again.
      const ftsSearch = ftsSearchOf(query);
      let searchMatches = ftsSearch === undefined ? undefined : kept?.searchMatches?.get(ftsSearch);
      if (ftsSearch !== undefined && searchMatches === undefined) {
        const cap = options.count === false || kept?.total !== undefined ? NARROW_SEARCH : TOTAL_CAP;
        searchMatches = await ftsCount(ftsSearch, cap);
        // Kept when it is exact or counted up to the total's cap ("more than NARROW_SEARCH" is neither).
        if (cap === TOTAL_CAP || searchMatches <= cap) kept?.searchMatches?.keep(ftsSearch, searchMatches);
      }
      const narrow = searchMatches !== undefined && searchMatches <= NARROW_SEARCH;
      // PostgreSQL: a search is counted first (when no total is kept), because its planner cannot tell a
      // broad search from a narrow one: under row-level security it may not read the column statistics for
      // LIKE (not leakproof), guesses a handful of matches and sorts them all. A broad one walks the sort order.
      const pgSearch = dialect === 'postgres' && !!query.search?.trim();
      let known = kept?.total;
      if (pgSearch && kept && known === undefined) {
        known = await countMatches(query, today, false, undefined);
        kept.keep(known);
      }
      const after = query.cursor ? decodeCursor(query.cursor, key) : undefined;
      const keys = await walkingSortOrder(pgSearch && known !== undefined && known > NARROW_SEARCH, () =>
        devicePageQuery.execute(
          trx,
          dialect,
          { ...listShapeOf(query, narrow), sort: key, order: query.order, after: !!after },
          {
            ...listValuesOf(tenantId, query, today),
            afterNumber: after?.number,
            afterValue: after?.value,
            limit: query.limit + 1,
          },
        ),
      );
      const shown = keys.slice(0, query.limit);
      const last = shown.at(-1);
      // DEV-9: an exact total up to TOTAL_CAP, then "more than": cheap at any size. A first page that
      // holds every match is its own total (same transaction, same rows), so it needs no count.
      let total = 0;
      if (known !== undefined) total = known;
      else if (!after && keys.length <= query.limit) total = keys.length;
      else if (kept) {
        total = await countMatches(query, today, narrow, searchMatches);
        kept.keep(total);
      }
      return {
        rows: shown,
        nextCursor: keys.length > query.limit && last ? encodeCursor(key, last) : null,
        total: Math.min(total, TOTAL_CAP),
        totalCapped: total > TOTAL_CAP,
      };
    },

    /** How many devices each of these employees holds in this tenant (the Employees page), one query. */
    async countsByEmployee(references: readonly string[]): Promise<Map<string, number>> {
      if (references.length === 0) return new Map();
      const rows = await trx
        .selectFrom('devices')
        .select(['employee_ref', (eb) => eb.fn.countAll<number>().as('count')])
        .where('tenant_id', '=', tenantId)
        .where('employee_ref', 'in', [...references])
        .groupBy('employee_ref')
        .execute();
      return new Map(rows.map((r) => [r.employee_ref!, Number(r.count)]));
    },

    /** DASH-1: counts by status and by assignee kind, and the warranties ending soonest; four small queries. */
    async dashboard(today: string) {
      const until = addDays(today, WARRANTY_EXPIRING_DAYS);
      const expiringQuery = trx
        .selectFrom('devices')
        .where('tenant_id', '=', tenantId)
        .where('warranty_end', '>=', today)
        .where('warranty_end', '<=', until);
      const [byStatus, byAssignee, expiring, soonest] = await Promise.all([
        trx
          .selectFrom('devices')
          .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
          .where('tenant_id', '=', tenantId)
          .groupBy('status')
          .execute(),
        trx
          .selectFrom('devices')
          .select(['assignee_kind', (eb) => eb.fn.countAll<number>().as('count')])
          .where('tenant_id', '=', tenantId)
          .groupBy('assignee_kind')
          .execute(),
        expiringQuery.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
        expiringQuery
          .select(['id', 'number', 'name', 'warranty_end'])
          .orderBy('warranty_end', 'asc')
          .orderBy('number', 'asc')
          .limit(5)
          .execute(),
      ]);
      return {
        byStatus: new Map(byStatus.map((r) => [r.status as DeviceStatus, Number(r.count)])),
        byAssignee: new Map(byAssignee.map((r) => [r.assignee_kind, Number(r.count)])),
        expiringCount: Number(expiring.count),
        soonest: soonest.map((r) => ({
          id: r.id,
          number: Number(r.number),
          name: r.name,
          warrantyEnd: r.warranty_end!,
        })),
      };
    },
  };
};

export type DevicesRepo = ReturnType<typeof devicesRepo>;
