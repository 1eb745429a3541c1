import {
  type AssigneeInput,
  type CreateDeviceRequest,
  type Device,
  type DeviceListQuery,
  type DevicePage,
  type DeviceStatus,
  ErrorCode,
  type UpdateDeviceRequest,
} from '@thestorage/contracts';
import type { FieldChange } from '../../platform/audit-store/event';
import type { Clock } from '../../platform/clock';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DeviceRow, InventorySettingsRow } from '../../platform/db/schema';
import type { Actor } from '../../platform/http/actor';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos, TenantRepos } from '../../repos';
import type { DirectoryCache } from '../directory/cache/directory-cache';
import { type EcbRateCache, ecbRatesOf, tenantConversion } from '../money/tenant-conversion';
import { validateAttributeValues } from './attributes';
import { fileIdsOf } from './file-views';
import { invoiceStateFrom, invoiceStateOf, withoutHiddenInvoiceFields } from './invoice-settings';
import { type DeviceFields, type DeviceViewSettings, fieldsOf } from './repo';
import { attributesOfCategory, deviceView } from './view';

export interface DeviceServiceDeps {
  repos: Repos;
  clock: Clock;
  directoryCache: DirectoryCache;
  /** The app's one-minute cache of the ECB's rates (DEV-1 converted prices); without it they are read each time. */
  ecbRates?: EcbRateCache;
}

/** Who asks, and the request id their events carry. */
export interface DeviceCall {
  actor: Actor;
  requestId: string;
}

export const staleVersion = () =>
  new AppError(ErrorCode.ModifiedBySomeoneElse, 'Modified by someone else: reload to see their changes');

/** DEV-5: a manual status change that has its own history event; any other change is "Modified". */
const STATUS_EVENTS: Partial<Record<DeviceStatus, string>> = {
  charity: 'device.set_as_charity',
  discarded: 'device.set_to_discarded',
  missing: 'device.marked_as_missing',
};

const ASSIGN_EVENTS = {
  employee: 'device.assigned_to_employee',
  place: 'device.assigned_to_place',
  it: 'device.assigned_to_it',
} as const;

/** How an assignee reads in the history: `it`, `place:<name>` or `employee:<reference>` (resolved on display). */
function assigneeLabel(
  row: Pick<DeviceRow, 'assignee_kind' | 'employee_ref' | 'place_id'>,
  placeName?: string,
) {
  if (row.assignee_kind === 'employee') return `employee:${row.employee_ref}`;
  if (row.assignee_kind === 'place') return `place:${placeName ?? row.place_id}`;
  return row.assignee_kind;
}

/**
 * DEV-4: assigning to an employee or a place sets In-use; back to IT sets Used, or keeps the status of a
 * device that was never assigned (a new device stays New).
 */
export function statusAfterAssignment(
  assignee: AssigneeInput['kind'],
  current: DeviceStatus,
  everAssigned: boolean,
): DeviceStatus {
  if (assignee === 'employee' || assignee === 'place') return 'in_use';
  return everAssigned ? 'used' : current;
}

function assigneeColumns(assignee: AssigneeInput) {
  return {
    assignee_kind: assignee.kind,
    employee_ref: assignee.kind === 'employee' ? assignee.reference : null,
    place_id: assignee.kind === 'place' ? assignee.placeId : null,
  };
}

/** References a device makes must name rows of this tenant; another tenant's id is simply not found. */
async function assertReferences(
  r: TenantRepos,
  refs: {
    categoryId?: string | null;
    vendorId?: string | null;
    placeId?: string | null;
    tagIds?: readonly string[];
  },
) {
  const check = async (
    table: 'categories' | 'places' | 'tags' | 'vendors',
    what: string,
    ids: readonly string[],
  ) => {
    const found = await r.devices.existing(table, ids);
    if (ids.some((id) => !found.has(id))) throw notFound(what);
  };
  if (refs.categoryId) await check('categories', 'Category', [refs.categoryId]);
  if (refs.vendorId) await check('vendors', 'Vendor', [refs.vendorId]);
  if (refs.placeId) await check('places', 'Place', [refs.placeId]);
  if (refs.tagIds?.length) await check('tags', 'Tag', [...new Set(refs.tagIds)]);
}

async function categoryAttributes(r: TenantRepos, categoryId: string | null) {
  if (!categoryId) return null;
  const row = await r.devices.category(categoryId);
  return row ? attributesOfCategory(row.attributes) : null;
}

/** The barcode a new device gets under the tenant's scheme (DEV-10). */
function barcodeFor(
  settings: InventorySettingsRow,
  typed: string | null | undefined,
  sequence: number | null,
) {
  if (settings.barcode_mode === 'company_id' && sequence !== null) {
    return `${settings.barcode_prefix}${String(sequence).padStart(settings.barcode_digits, '0')}`;
  }
  if (settings.barcode_mode === 'asset_id') return typed ?? null;
  return null;
}

/** DEV-10: people type barcodes only in the Asset ID scheme; Company Device IDs are generated. */
function assertTypedBarcodeAllowed(
  settings: InventorySettingsRow,
  typed: string | null,
  stored: string | null,
) {
  if (typed === null || typed === stored || settings.barcode_mode === 'asset_id') return;
  const message =
    settings.barcode_mode === 'company_id'
      ? 'Barcodes are generated in the Company Device ID scheme'
      : 'Barcodes are turned off for this tenant (Settings → Inventory)';
  throw new AppError(ErrorCode.ValidationFailed, message, { details: [{ path: 'barcode', message }] });
}

/** Unique serial or barcode taken: say which, change nothing. */
function translateUniqueViolation(err: unknown): never {
  if (isUniqueViolation(err)) {
    const text = String((err as Error).message);
    const field = /barcode/.test(text) ? 'barcode' : /serial/.test(text) ? 'serial' : 'number';
    const label = field === 'barcode' ? 'barcode' : field === 'serial' ? 'serial number' : 'number';
    throw new AppError(ErrorCode.Conflict, `Another device of this tenant already has this ${label}`, {
      details: { field },
      cause: err,
    });
  }
  throw err;
}

export const auditActor = (actor: Actor) => ({ id: actor.userId, email: actor.email, name: actor.name });

/**
 * DEV-9: one page of the device list as the API shows it. The view settings are read first: their query
 * carries the devices version the list's kept totals are keyed by, so the list does not read it again.
 */
export async function devicesPage(
  deps: DeviceServiceDeps,
  r: TenantRepos,
  actor: Actor,
  query: DeviceListQuery,
): Promise<DevicePage> {
  const settings = await r.devices.viewSettings();
  const page = await r.devices.list(query, deps.clock.now().toISOString().slice(0, 10), {
    devicesVersion: settings.devicesVersion,
  });
  return {
    devices: await viewsOf(deps, r, actor, page.rows, settings),
    nextCursor: page.nextCursor,
    total: page.total,
    totalCapped: page.totalCapped,
  };
}

/**
 * Renders devices for the API, resolving employee references through the 14-day cache. `settings`: the
 * tenant's view settings when this transaction has read them already.
 */
export async function viewsOf(
  deps: DeviceServiceDeps,
  r: TenantRepos,
  actor: Actor,
  rows: readonly DeviceRow[],
  known?: DeviceViewSettings,
) {
  const related = await r.devices.relatedTo(rows);
  const references = [...new Set(rows.flatMap((row) => (row.employee_ref ? [row.employee_ref] : [])))];
  const people = references.length
    ? await deps.directoryCache.lookup(actor.organizationId, references)
    : new Map();
  const now = deps.clock.now();
  // The plan, invoice switches and the tenant's rates come in one query for the whole page.
  const [settings, files] = await Promise.all([
    known ?? r.devices.viewSettings(),
    r.files.describe(fileIdsOf(rows)),
  ]);
  const invoice = invoiceStateFrom(settings.switches, settings.tenant, now);
  // DEV-1: rates are read once for the whole page, and the ECB's only when some device has a price in a currency.
  const conversion = rows.some((row) => row.price !== null && row.currency !== null)
    ? tenantConversion(
        settings.defaultCurrency,
        settings.manualRates,
        await ecbRatesOf(r.money, deps.ecbRates),
      )
    : null;
  return rows.map((row) =>
    deviceView(row, related, people, now, { invoice: invoice.settings, files }, conversion),
  );
}

/** DEV-8: a deleted device's invoice and image go to the file store's bin: kept 14 days, then purged. */
async function binDeviceFiles(r: TenantRepos, row: DeviceRow, clock: Clock) {
  const files = await r.files.describe(fileIdsOf([row]));
  for (const file of files.values()) {
    if (file.deletedAt === null) await r.files.delete(file.id, clock);
  }
}

/** DEV-1/DEV-4: a new device gets the next number, the default place (else IT) and status New. */
export async function createDevice(
  deps: DeviceServiceDeps,
  call: DeviceCall,
  request: CreateDeviceRequest,
): Promise<Device> {
  const now = deps.clock.now();
  const { actor } = call;
  try {
    return await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
      const settings = await r.devices.settings(now);
      const input = withoutHiddenInvoiceFields(request, await invoiceStateOf(r, now));
      assertTypedBarcodeAllowed(settings, input.barcode ?? null, null);
      const assignee: AssigneeInput =
        input.assignee ??
        (settings.default_place_id ? { kind: 'place', placeId: settings.default_place_id } : { kind: 'it' });
      await assertReferences(r, {
        categoryId: input.categoryId,
        vendorId: input.vendorId,
        placeId: assignee.kind === 'place' ? assignee.placeId : null,
        tagIds: input.tagIds,
      });
      const attributes = validateAttributeValues(
        await categoryAttributes(r, input.categoryId ?? null),
        input.attributes ?? {},
      );
      // Placing a new device at the default place is where it starts, not an assignment.
      const explicitlyAssigned = input.assignee !== undefined && input.assignee.kind !== 'it';
      const { number, barcodeNumber } = await r.devices.allocateNumbers(
        settings.barcode_mode === 'company_id',
      );
      const fields: DeviceFields = {
        name: input.name,
        serial: input.serial ?? null,
        category_id: input.categoryId ?? null,
        attribute_values: JSON.stringify(attributes),
        status: input.status ?? (explicitlyAssigned ? 'in_use' : 'new'),
        ever_assigned: explicitlyAssigned ? 1 : 0,
        ...assigneeColumns(assignee),
        barcode: barcodeFor(settings, input.barcode, barcodeNumber),
        price: input.price ?? null,
        currency: input.currency ?? null,
        vendor_id: input.vendorId ?? null,
        invoice_number: input.invoiceNumber ?? null,
        invoice_date: input.invoiceDate ?? null,
        po_extension: input.poExtension ?? null,
        warranty_end: input.warrantyEnd ?? null,
      };
      const row = await r.devices.insert(number, fields, now);
      const tagIds = [...new Set(input.tagIds ?? [])];
      await r.devices.setTags(row.id, tagIds);
      const [view] = await viewsOf(deps, r, actor, [row]);
      await r.audit.record({
        occurredAt: now,
        actor: auditActor(actor),
        action: 'device.created',
        target: { type: 'device', id: row.id },
        changes: historyFields(null, view!),
        requestId: call.requestId,
      });
      return view!;
    });
  } catch (err) {
    translateUniqueViolation(err);
  }
}

/** The fields a history event compares, in the words the history shows (names, not ids). */
function historySnapshot(view: Device): Record<string, string | null> {
  return {
    name: view.name,
    serial: view.serial,
    category: view.category?.name ?? null,
    attributes: Object.keys(view.attributes).length ? JSON.stringify(view.attributes) : null,
    status: view.status,
    assignee:
      view.assignee.kind === 'employee'
        ? `employee:${view.assignee.reference}`
        : view.assignee.kind === 'place'
          ? `place:${view.assignee.placeName}`
          : view.assignee.kind,
    barcode: view.barcode,
    price: view.price,
    currency: view.currency,
    vendor: view.vendor?.name ?? null,
    invoiceNumber: view.invoiceNumber,
    invoiceDate: view.invoiceDate,
    poExtension: view.poExtension,
    warrantyEnd: view.warrantyEnd,
    tags: view.tags.length ? view.tags.map((t) => t.name).join(', ') : null,
  };
}

/** Field-by-field before → after (DEV-5); `before` null lists the initial values of a new device. */
export function historyFields(before: Device | null, after: Device): FieldChange[] {
  const old = before ? historySnapshot(before) : {};
  const now = historySnapshot(after);
  return Object.keys(now)
    .filter((field) => (before ? old[field] !== now[field] : now[field] !== null))
    .map((field) => ({ field, before: old[field] ?? null, after: now[field] ?? null }));
}

export async function loadForWrite(r: TenantRepos, id: string, version: number) {
  const row = await r.devices.get(id);
  if (!row) throw notFound('Device');
  if (Number(row.version) !== version) throw staleVersion();
  return row;
}

/** DEV-1/DEV-6: an edit of the fields sent, based on the version read; status changes get their own event. */
export async function updateDevice(
  deps: DeviceServiceDeps,
  call: DeviceCall,
  id: string,
  request: UpdateDeviceRequest,
): Promise<Device> {
  const now = deps.clock.now();
  const { actor } = call;
  try {
    return await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
      const row = await loadForWrite(r, id, request.version);
      const input = withoutHiddenInvoiceFields(request, await invoiceStateOf(r, now));
      const [before] = await viewsOf(deps, r, actor, [row]);
      const settings = await r.devices.settings(now);
      await assertReferences(r, {
        categoryId: input.categoryId,
        vendorId: input.vendorId,
        tagIds: input.tagIds,
      });
      const categoryId = input.categoryId === undefined ? row.category_id : input.categoryId;
      const categoryChanged = categoryId !== row.category_id;
      // A new category starts from the values sent; otherwise the values sent replace the stored ones.
      const attributes =
        input.attributes === undefined && !categoryChanged
          ? (JSON.parse(row.attribute_values) as Record<string, string | number>)
          : validateAttributeValues(await categoryAttributes(r, categoryId), input.attributes ?? {});
      if (input.barcode !== undefined) assertTypedBarcodeAllowed(settings, input.barcode, row.barcode);
      const sent = <T>(value: T | undefined, stored: T) => (value === undefined ? stored : value);
      const fields: DeviceFields = {
        ...fieldsOf(row),
        name: sent(input.name, row.name),
        serial: sent(input.serial, row.serial),
        category_id: categoryId,
        attribute_values: JSON.stringify(attributes),
        status: sent(input.status, row.status),
        barcode: sent(input.barcode, row.barcode),
        price: sent(input.price, row.price),
        currency: sent(input.currency, row.currency),
        vendor_id: sent(input.vendorId, row.vendor_id),
        invoice_number: sent(input.invoiceNumber, row.invoice_number),
        invoice_date: sent(input.invoiceDate, row.invoice_date),
        po_extension: sent(input.poExtension, row.po_extension),
        warranty_end: sent(input.warrantyEnd, row.warranty_end),
      };
      const updated = await r.devices.update(row, fields, input.version, now);
      if (!updated) throw staleVersion();
      if (input.tagIds !== undefined) await r.devices.setTags(id, [...new Set(input.tagIds)]);
      const [after] = await viewsOf(deps, r, actor, [updated]);
      await recordEdit(r, call, now, before!, after!);
      return after!;
    });
  } catch (err) {
    translateUniqueViolation(err);
  }
}

/** One edit's events: a status with its own event type, applied tags, and "Modified" for the rest. */
async function recordEdit(r: TenantRepos, call: DeviceCall, now: Date, before: Device, after: Device) {
  const changes = historyFields(before, after);
  const record = (action: string, fieldChanges: FieldChange[]) =>
    r.audit.record({
      occurredAt: now,
      actor: auditActor(call.actor),
      action,
      target: { type: 'device', id: after.id },
      changes: fieldChanges,
      requestId: call.requestId,
    });
  let rest = changes;
  const statusEvent = STATUS_EVENTS[after.status];
  if (statusEvent && before.status !== after.status) {
    await record(
      statusEvent,
      changes.filter((c) => c.field === 'status'),
    );
    rest = rest.filter((c) => c.field !== 'status');
  }
  const added = after.tags.filter((t) => !before.tags.some((b) => b.id === t.id));
  if (added.length > 0) {
    await record(
      'device.tag_applied',
      rest.filter((c) => c.field === 'tags'),
    );
    rest = rest.filter((c) => c.field !== 'tags');
  }
  if (rest.length > 0) await record('device.modified', rest);
}

/** DEV-4: to an employee, a place or IT, with the automatic status; the picker found the employee. */
export async function assignDevice(
  deps: DeviceServiceDeps,
  call: DeviceCall,
  id: string,
  assignee: AssigneeInput,
  version: number,
): Promise<Device> {
  const now = deps.clock.now();
  const { actor } = call;
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const row = await loadForWrite(r, id, version);
    if (assignee.kind === 'place') await assertReferences(r, { placeId: assignee.placeId });
    const [before] = await viewsOf(deps, r, actor, [row]);
    const status = statusAfterAssignment(assignee.kind, row.status as DeviceStatus, row.ever_assigned === 1);
    const updated = await r.devices.update(
      row,
      {
        ...fieldsOf(row),
        ...assigneeColumns(assignee),
        status,
        ever_assigned: row.ever_assigned === 1 || assignee.kind !== 'it' ? 1 : 0,
      },
      version,
      now,
    );
    if (!updated) throw staleVersion();
    const [after] = await viewsOf(deps, r, actor, [updated]);
    await r.audit.record({
      occurredAt: now,
      actor: auditActor(actor),
      action: ASSIGN_EVENTS[assignee.kind],
      target: { type: 'device', id },
      changes: historyFields(before!, after!),
      requestId: call.requestId,
    });
    return after!;
  });
}

/** DEV-8: irreversible; comments and tags go with the device, the tenant's audit log keeps "Deleted". */
export async function deleteDevice(deps: DeviceServiceDeps, call: DeviceCall, id: string, version: number) {
  const now = deps.clock.now();
  const { actor } = call;
  await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    const row = await loadForWrite(r, id, version);
    const [before] = await viewsOf(deps, r, actor, [row]);
    await binDeviceFiles(r, row, deps.clock);
    if (!(await r.devices.remove(id, version))) throw staleVersion();
    await r.audit.record({
      occurredAt: now,
      actor: auditActor(actor),
      action: 'device.deleted',
      target: { type: 'device', id },
      changes: [
        { field: 'number', before: Number(row.number), after: null },
        ...historyFields(null, before!).map((c) => ({ field: c.field, before: c.after, after: null })),
      ],
      requestId: call.requestId,
    });
  });
}

/** DEV-5: a comment is kept with the device and noted in its history. */
export async function addComment(deps: DeviceServiceDeps, call: DeviceCall, id: string, body: string) {
  const now = deps.clock.now();
  const { actor } = call;
  return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
    if (!(await r.devices.get(id))) throw notFound('Device');
    const commentId = await r.devices.addComment(id, body, { id: actor.userId, email: actor.email }, now);
    await r.audit.record({
      occurredAt: now,
      actor: auditActor(actor),
      action: 'device.comment_added',
      target: { type: 'device', id },
      changes: [{ field: 'comment', before: null, after: body }],
      requestId: call.requestId,
    });
    return commentId;
  });
}

export { assigneeLabel };
