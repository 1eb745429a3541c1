import { type AssigneeInput, ErrorCode } from '@thestorage/contracts';
import type { Insertable } from 'kysely';
import type { FieldChange, NewAuditEvent } from '../../../platform/audit-store/event';
import { newId } from '../../../platform/db/ids';
import type { DevicesTable } from '../../../platform/db/schema';
import { AppError } from '../../../platform/http/errors';
import type { TenantRepos } from '../../../repos';
import { type DeviceFields, derived } from '../repo';
import type { ImportContext, ImportPlan, PlannedFields } from './plan';

export interface ImportActor {
  id: string;
  email: string;
  name: string;
}

export interface WriteOptions {
  tenantId: string;
  now: Date;
  actor: ImportActor;
  requestId: string;
  /** Called after each chunk of devices written (tests use it to stop the process half-way). */
  onChunk?: (written: number) => void | Promise<void>;
}

export interface WriteResult {
  created: number;
  updated: number;
}

type Event = Omit<NewAuditEvent, 'tenantId'>;

const CHUNK = 1_000;

/** How an assignee reads in the history, as the device service writes it. */
const assigneeText = (assignee: AssigneeInput, placeNames: Map<string, string>) =>
  assignee.kind === 'employee'
    ? `employee:${assignee.reference}`
    : assignee.kind === 'place'
      ? `place:${placeNames.get(assignee.placeId) ?? assignee.placeId}`
      : assignee.kind;

/** The history words of a device's fields (the same names as the device service's events). */
function snapshot(fields: PlannedFields, placeNames: Map<string, string>): Record<string, string | null> {
  return {
    name: fields.name,
    serial: fields.serial,
    category: fields.categoryName,
    attributes: Object.keys(fields.attributes).length ? JSON.stringify(fields.attributes) : null,
    status: fields.status,
    assignee: assigneeText(fields.assignee, placeNames),
    barcode: fields.barcode,
    price: fields.price,
    currency: fields.currency,
    vendor: fields.vendorName,
    invoiceNumber: fields.invoiceNumber,
    invoiceDate: fields.invoiceDate,
    poExtension: fields.poExtension,
    warrantyEnd: fields.warrantyEnd,
    tags: fields.tagNames.length ? fields.tagNames.join(', ') : null,
  };
}

function changesOf(
  before: PlannedFields | null,
  after: PlannedFields,
  placeNames: Map<string, string>,
  comment: string | null,
): FieldChange[] {
  const old = before ? snapshot(before, placeNames) : null;
  const now = snapshot(after, placeNames);
  const changes: FieldChange[] = [];
  for (const field in now) {
    const value = now[field] ?? null;
    const previous = old ? (old[field] ?? null) : null;
    if (old ? previous !== value : value !== null) changes.push({ field, before: previous, after: value });
  }
  if (comment) changes.push({ field: 'comment', before: null, after: comment });
  return changes;
}

/**
 * Writes an import plan inside the caller's transaction (DEV-12): new categories, tags and vendors,
 * devices in multi-row INSERTs, their tags and comments, edits of known devices, and one Imported event
 * per device, recorded in bulk. Throws — so the transaction rolls back — when a device changed since
 * the plan read it.
 */
export async function writeImportPlan(
  r: TenantRepos,
  plan: ImportPlan,
  context: ImportContext,
  options: WriteOptions,
): Promise<WriteResult> {
  const { now, actor, requestId } = options;
  const at = now.toISOString();
  const repo = r.deviceImports;
  const events: Event[] = [];
  const event = (action: string, type: string, id: string, changes: FieldChange[]): Event => ({
    occurredAt: now,
    actor,
    action,
    target: { type, id },
    changes,
    requestId,
  });

  // Catalog entries the file names and the tenant lacks.
  const categoryIds = new Map<string, string>();
  for (const category of context.categories.values()) {
    if (category.id) categoryIds.set(category.name.toLowerCase(), category.id);
  }
  const newCategoryRows = plan.newCategories.map((category) => {
    const id = newId();
    categoryIds.set(category.name.toLowerCase(), id);
    events.push(
      event('category.created', 'category', id, [
        { field: 'name', before: null, after: category.name },
        { field: 'attributes', before: null, after: JSON.stringify(category.attributes) },
      ]),
    );
    return {
      id,
      name: category.name,
      name_key: category.name.toLowerCase(),
      attributes: JSON.stringify(category.attributes),
      append_to_name: 0,
      created_at: at,
      updated_at: at,
      version: 1,
    };
  });
  await repo.insertCatalogEntries('categories', newCategoryRows);
  const tagIds = new Map<string, string>();
  for (const tag of context.tags.values()) tagIds.set(tag.name.toLowerCase(), tag.id);
  const newTagRows = plan.newTags.map((name) => {
    const id = newId();
    tagIds.set(name.toLowerCase(), id);
    events.push(
      event('tag.created', 'tag', id, [
        { field: 'name', before: null, after: name },
        { field: 'color', before: null, after: 'gray' },
      ]),
    );
    return {
      id,
      name,
      name_key: name.toLowerCase(),
      color: 'gray',
      created_at: at,
      updated_at: at,
      version: 1,
    };
  });
  await repo.insertCatalogEntries('tags', newTagRows);
  const vendorIds = new Map<string, string>();
  for (const vendor of context.vendors.values()) vendorIds.set(vendor.name.toLowerCase(), vendor.id);
  const newVendorRows = plan.newVendors.map((name) => {
    const id = newId();
    vendorIds.set(name.toLowerCase(), id);
    events.push(event('vendor.created', 'vendor', id, [{ field: 'name', before: null, after: name }]));
    return {
      id,
      name,
      name_key: name.toLowerCase(),
      website: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
  });
  await repo.insertCatalogEntries('vendors', newVendorRows);

  const columnsOf = (fields: PlannedFields): DeviceFields =>
    ({
      name: fields.name,
      serial: fields.serial,
      category_id: fields.categoryName ? (categoryIds.get(fields.categoryName.toLowerCase()) ?? null) : null,
      attribute_values: JSON.stringify(fields.attributes),
      status: fields.status,
      ever_assigned: fields.everAssigned ? 1 : 0,
      assignee_kind: fields.assignee.kind,
      employee_ref: fields.assignee.kind === 'employee' ? fields.assignee.reference : null,
      place_id: fields.assignee.kind === 'place' ? fields.assignee.placeId : null,
      barcode: fields.barcode,
      price: fields.price,
      currency: fields.currency,
      vendor_id: fields.vendorName ? (vendorIds.get(fields.vendorName.toLowerCase()) ?? null) : null,
      invoice_number: fields.invoiceNumber,
      invoice_date: fields.invoiceDate,
      po_extension: fields.poExtension,
      warranty_end: fields.warrantyEnd,
    }) as DeviceFields;
  const tagIdsOf = (fields: PlannedFields) =>
    [...new Set(fields.tagNames.map((name) => tagIds.get(name.toLowerCase())!))].filter(Boolean);

  // New devices: numbers reserved at once, rows written a thousand at a time.
  const creates = plan.creates;
  if (creates.length > 0 || plan.updates.length > 0) await repo.markDevicesChanged();
  const withBarcode = creates.some((c) => c.generateBarcode);
  const { firstNumber, firstBarcodeNumber } =
    creates.length > 0
      ? await repo.allocateRange(creates.length, withBarcode)
      : { firstNumber: 0, firstBarcodeNumber: null };
  const settings = context.settings;
  // SQLite: the devices carry their search rowids, and each chunk is indexed by one statement.
  const firstSearchRowid = creates.length > 0 ? await repo.nextSearchRowid() : null;
  let written = 0;
  for (let start = 0; start < creates.length; start += CHUNK) {
    const chunk = creates.slice(start, start + CHUNK);
    const rows: Insertable<DevicesTable>[] = [];
    const deviceTags: { device_id: string; tag_id: string }[] = [];
    const comments: {
      device_id: string;
      body: string;
      author_id: string;
      author_email: string;
      created_at: string;
    }[] = [];
    chunk.forEach((create, i) => {
      const number = firstNumber + start + i;
      const fields: PlannedFields =
        create.generateBarcode && firstBarcodeNumber !== null
          ? {
              ...create.fields,
              barcode: `${settings.barcode_prefix}${String(firstBarcodeNumber + start + i).padStart(settings.barcode_digits, '0')}`,
            }
          : create.fields;
      const columns = columnsOf(fields);
      const id = newId();
      rows.push({
        id,
        tenant_id: options.tenantId,
        number,
        ...columns,
        ...derived(number, columns),
        ...(firstSearchRowid === null ? {} : { search_rowid: firstSearchRowid + start + i }),
        created_at: at,
        updated_at: at,
        version: 1,
      });
      for (const tagId of tagIdsOf(fields)) deviceTags.push({ device_id: id, tag_id: tagId });
      if (create.comment) {
        comments.push({
          device_id: id,
          body: create.comment,
          author_id: actor.id,
          author_email: actor.email,
          created_at: at,
        });
      }
      events.push(
        event('device.imported', 'device', id, changesOf(null, fields, context.placeNames, create.comment)),
      );
    });
    // The chunk's events go out with it (catalog entries' first): a 100,000-device import never holds
    // 100,000 events, and their objects die young, where garbage collection is cheap.
    await r.audit.recordMany(events.splice(0));
    await repo.insertDevices(rows);
    if (firstSearchRowid !== null) {
      await repo.indexSearch(firstSearchRowid + start, firstSearchRowid + start + chunk.length - 1);
    }
    await repo.insertDeviceTags(deviceTags);
    await repo.insertComments(comments);
    written += chunk.length;
    await options.onChunk?.(written);
  }

  // Known devices: one UPDATE each, refused when the device changed after the plan read it.
  for (const update of plan.updates) {
    const columns = columnsOf(update.fields);
    const ok = await repo.updateDevice(update.device.id, Number(update.device.version), {
      ...columns,
      ...derived(Number(update.device.number), columns),
      updated_at: at,
    });
    if (!ok) {
      throw new AppError(
        ErrorCode.ModifiedBySomeoneElse,
        `Device #${update.device.number} changed while the import ran: check the file again`,
      );
    }
    if (update.tagsChanged) await repo.replaceDeviceTags(update.device.id, tagIdsOf(update.fields));
    if (update.comment) {
      await repo.insertComments([
        {
          device_id: update.device.id,
          body: update.comment,
          author_id: actor.id,
          author_email: actor.email,
          created_at: at,
        },
      ]);
    }
    events.push(
      event(
        'device.imported',
        'device',
        update.device.id,
        changesOf(update.before, update.fields, context.placeNames, update.comment),
      ),
    );
    written += 1;
    if (written % CHUNK === 0) await options.onChunk?.(written);
  }

  await r.audit.recordMany(events);
  return { created: creates.length, updated: plan.updates.length };
}
