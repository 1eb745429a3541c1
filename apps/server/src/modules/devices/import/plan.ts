import {
  type AssigneeInput,
  ATTRIBUTE_TYPES,
  type CategoryAttribute,
  createDeviceRequestSchema,
  DEVICE_STATUS_STYLE,
  DEVICE_STATUSES,
  type DeviceInvoiceSettings,
  type DeviceStatus,
  type ImportColumn,
  type ImportField,
  type ImportProblem,
  type ImportSummary,
  MAX_CATEGORY_ATTRIBUTES,
  MAX_LISTED_IMPORT_PROBLEMS,
} from '@thestorage/contracts';
import type { z } from 'zod';
import type { DeviceRow, InventorySettingsRow } from '../../../platform/db/schema';
import type { DirectoryEntry } from '../../directory/cache/directory-entry';
import { turnedOff } from '../invoice-settings';
import { statusAfterAssignment } from '../service';
import { headerKey } from './columns';
import type { FileRow } from './read-rows';

/** A category as the import sees it: existing (with an id) or to be created by this import. */
export interface PlannedCategory {
  id: string | null;
  name: string;
  attributes: CategoryAttribute[];
  appendToName: boolean;
}

/** What the tenant holds that rows refer to, keyed by lower-cased name. */
export interface ImportContext {
  settings: InventorySettingsRow;
  /** DEV-1: which invoice parts the tenant has on (and in its plan); hidden fields take no values. */
  invoice: DeviceInvoiceSettings;
  categories: Map<string, PlannedCategory>;
  /** How many categories the tenant may still add (null: no limit). */
  categoriesLeft: number | null;
  categoryLimitMessage: string;
  places: Map<string, { id: string; name: string }>;
  tags: Map<string, { id: string; name: string }>;
  vendors: Map<string, { id: string; name: string }>;
  /** Place names by id, for history text. */
  placeNames: Map<string, string>;
}

/** What the plan asks the database and the directory once the rows are read. */
export interface ImportLookups {
  devicesBySerial(keys: readonly string[]): Promise<Map<string, DeviceRow>>;
  devicesByBarcode(keys: readonly string[]): Promise<Map<string, DeviceRow>>;
  tagIdsOf(deviceIds: readonly string[]): Promise<Map<string, string[]>>;
  commentsOf(deviceIds: readonly string[]): Promise<Map<string, Set<string>>>;
  employees(userNames: readonly string[]): Promise<Map<string, DirectoryEntry>>;
}

/** The device columns an import sets; numbers, keys and stamps are the writer's. */
export interface PlannedFields {
  name: string;
  serial: string | null;
  categoryName: string | null;
  attributes: Record<string, string | number>;
  status: DeviceStatus;
  everAssigned: boolean;
  assignee: AssigneeInput;
  barcode: string | null;
  price: string | null;
  currency: string | null;
  vendorName: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  poExtension: string | null;
  warrantyEnd: string | null;
  tagNames: string[];
}

export interface PlannedCreate {
  row: number;
  fields: PlannedFields;
  comment: string | null;
  /** Company Device ID mode: the writer generates the barcode. */
  generateBarcode: boolean;
}

export interface PlannedUpdate {
  row: number;
  device: DeviceRow;
  before: PlannedFields;
  fields: PlannedFields;
  tagsChanged: boolean;
  comment: string | null;
}

export interface ImportPlan {
  problems: ImportProblem[];
  problemCount: number;
  summary: ImportSummary;
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  newCategories: PlannedCategory[];
  newTags: string[];
  newVendors: string[];
}

type Text = string | undefined;

/** One row's cells by field; an empty cell is undefined (DEV-12: on a known device it changes nothing). */
export interface ParsedRow {
  row: number;
  name: Text;
  serial: Text;
  category: Text;
  status: DeviceStatus | undefined;
  assigned: Text;
  employee: Text;
  barcode: Text;
  price: Text;
  currency: Text;
  vendor: Text;
  invoiceNumber: Text;
  invoiceDate: Text;
  poExtension: Text;
  warrantyEnd: Text;
  tags: string[] | undefined;
  comment: Text;
  /** Attribute values by the column's header (lower-cased) → [header, raw value]. */
  attributes: Map<string, [string, string]>;
}

const shape = createDeviceRequestSchema.shape;

/** Status keys and labels with punctuation and case ignored: "In-use", "in use", "IN_USE". */
const STATUS_BY_KEY = new Map<string, DeviceStatus>();
for (const status of DEVICE_STATUSES) {
  STATUS_BY_KEY.set(headerKey(status), status);
  STATUS_BY_KEY.set(headerKey(DEVICE_STATUS_STYLE[status].label), status);
}

/** Problems in file order, the first ones kept with every detail, all counted. */
class Problems {
  readonly listed: ImportProblem[] = [];
  count = 0;
  add(row: number, column: string | null, code: string, message: string) {
    this.count += 1;
    if (this.listed.length < MAX_LISTED_IMPORT_PROBLEMS) this.listed.push({ row, column, code, message });
  }
  sorted(): ImportProblem[] {
    return [...this.listed].sort((a, b) => a.row - b.row);
  }
}

const MAX_TAGS = 50;
const TAG_NAME = { min: 2, max: 30 };
const VENDOR_NAME = { min: 2, max: 60 };
const CATEGORY_NAME = { min: 2, max: 25 };

/** A zod field rule applied to one cell; the message is the rule's own, as in the API. */
function checked<T>(
  schema: z.ZodType<T>,
  value: string,
): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues[0]?.message ?? 'Not a valid value' };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (text: string) => ISO_DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/**
 * A file read into field values, with the problems no tenant state can change (bad dates, names too long…).
 * It depends on the file's bytes and the column mapping alone, so the run may reuse the dry run's.
 */
export interface ParsedFile {
  rows: readonly ParsedRow[];
  problems: readonly ImportProblem[];
  problemCount: number;
}

/** DEV-12: reads every row of the file into field values (the part of the plan that ignores the tenant). */
export async function parseFile(
  rows: AsyncIterable<FileRow>,
  columns: readonly ImportColumn[],
  onProgress: (rowsRead: number) => Promise<void> = async () => {},
): Promise<ParsedFile> {
  const problems = new Problems();
  const parsed = await parseRows(rows, columns, problems, onProgress);
  return { rows: parsed, problems: problems.listed, problemCount: problems.count };
}

/** Reads every row into field values, noting each cell that cannot be right whatever the tenant holds. */
async function parseRows(
  rows: AsyncIterable<FileRow>,
  columns: readonly ImportColumn[],
  problems: Problems,
  onRow: (count: number) => Promise<void>,
): Promise<ParsedRow[]> {
  const parsed: ParsedRow[] = [];
  const byField = new Map<ImportField, ImportColumn>();
  for (const column of columns) {
    if (column.field !== 'attribute' && column.field !== 'ignore' && !byField.has(column.field)) {
      byField.set(column.field, column);
    }
  }
  const attributeColumns = columns.filter((c) => c.field === 'attribute');
  // The row being read: the helpers below read it, and are made once for the whole file, not per row.
  let row = 0;
  let cells: string[] = [];
  const cell = (field: ImportField): Text => {
    const column = byField.get(field);
    if (!column) return undefined;
    const text = (cells[column.index] ?? '').trim();
    return text === '' ? undefined : text;
  };
  const problem = (field: ImportField, code: string, message: string) =>
    problems.add(row, byField.get(field)?.header ?? null, code, message);
  const text = (field: ImportField, schema: z.ZodType<unknown>, code: string): Text => {
    const value = cell(field);
    if (value === undefined) return undefined;
    const result = checked(schema, value);
    if (!result.ok) {
      problem(field, code, result.message);
      return undefined;
    }
    return result.value as string;
  };
  const date = (field: ImportField, label: string): Text => {
    const value = cell(field);
    if (value === undefined) return undefined;
    // A spreadsheet date cell arrives as an ISO time at midnight; any other text must be YYYY-MM-DD.
    const day = /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/.test(value) ? value.slice(0, 10) : value;
    if (!isDate(day)) {
      problem(field, 'bad_date', `${label} "${value}" is not a date: write it as YYYY-MM-DD`);
      return undefined;
    }
    return day;
  };
  let header = true;
  for await (const fileRow of rows) {
    if (header) {
      header = false;
      continue;
    }
    row = fileRow.row;
    cells = fileRow.cells;
    if (cells.every((c) => c.trim() === '')) continue;

    const statusText = cell('status');
    let status: DeviceStatus | undefined;
    if (statusText !== undefined) {
      status = STATUS_BY_KEY.get(headerKey(statusText));
      if (!status) {
        problem(
          'status',
          'bad_status',
          `"${statusText}" is not a status (${DEVICE_STATUSES.map((s) => DEVICE_STATUS_STYLE[s].label).join(', ')})`,
        );
      }
    }
    const tagsText = cell('tags');
    let tags: string[] | undefined;
    if (tagsText !== undefined) {
      tags = [
        ...new Map(
          tagsText
            .split(/[,;]/)
            .map((t) => t.trim())
            .filter(Boolean)
            .map((t) => [t.toLowerCase(), t] as const),
        ).values(),
      ];
      for (const tag of tags) {
        if (tag.length < TAG_NAME.min || tag.length > TAG_NAME.max) {
          problem('tags', 'bad_tag', `The tag "${tag}" needs ${TAG_NAME.min} to ${TAG_NAME.max} characters`);
        }
      }
      if (tags.length > MAX_TAGS) problem('tags', 'too_many_tags', `A device has at most ${MAX_TAGS} tags`);
    }
    const category = cell('category');
    if (
      category !== undefined &&
      (category.length < CATEGORY_NAME.min || category.length > CATEGORY_NAME.max)
    ) {
      problem(
        'category',
        'bad_category',
        `The category "${category}" needs ${CATEGORY_NAME.min} to ${CATEGORY_NAME.max} characters`,
      );
    }
    const vendor = cell('vendor');
    if (vendor !== undefined && (vendor.length < VENDOR_NAME.min || vendor.length > VENDOR_NAME.max)) {
      problem(
        'vendor',
        'bad_vendor',
        `The vendor "${vendor}" needs ${VENDOR_NAME.min} to ${VENDOR_NAME.max} characters`,
      );
    }
    const attributes = new Map<string, [string, string]>();
    for (const column of attributeColumns) {
      const value = (cells[column.index] ?? '').trim();
      if (value !== '') attributes.set(column.header.trim().toLowerCase(), [column.header.trim(), value]);
    }
    const comment = cell('comment');
    if (comment !== undefined && comment.length > 2_000) {
      problem('comment', 'too_long', 'A comment may have at most 2,000 characters');
    }
    parsed.push({
      row,
      name: text('name', shape.name, 'bad_name'),
      serial: text('serial', shape.serial, 'too_long'),
      category,
      status,
      assigned: cell('assigned'),
      employee: cell('employee'),
      barcode: text('barcode', shape.barcode, 'too_long'),
      price: text('price', shape.price, 'bad_price'),
      currency: text('currency', shape.currency, 'bad_currency'),
      vendor,
      invoiceNumber: text('invoiceNumber', shape.invoiceNumber, 'too_long'),
      invoiceDate: date('invoiceDate', 'Invoice date'),
      poExtension: text('poExtension', shape.poExtension, 'too_long'),
      warrantyEnd: date('warrantyEnd', 'Warranty end'),
      tags,
      comment,
      attributes,
    });
    if (parsed.length % 5_000 === 0) await onRow(parsed.length);
  }
  return parsed;
}

/** DEV-2: an attribute type for a new category, from the values the file gives it. */
function inferredType(values: readonly string[]): CategoryAttribute['type'] {
  if (values.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))) return 'number';
  if (values.every(isDate)) return 'date';
  return 'text';
}

function typedAttribute(
  attribute: CategoryAttribute,
  raw: string,
): { value: string | number } | { message: string } {
  if (attribute.type === 'number') {
    const number = Number(raw);
    return Number.isFinite(number) ? { value: number } : { message: `${attribute.name} is a number` };
  }
  if (attribute.type === 'date') {
    const day = /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/.test(raw) ? raw.slice(0, 10) : raw;
    return isDate(day) ? { value: day } : { message: `${attribute.name} is a date (YYYY-MM-DD)` };
  }
  return raw.length > 100 ? { message: `${attribute.name} has at most 100 characters` } : { value: raw };
}

const chunked = async <T, R>(
  items: readonly T[],
  size: number,
  fn: (chunk: T[]) => Promise<Map<string, R>>,
): Promise<Map<string, R>> => {
  const all = new Map<string, R>();
  for (let start = 0; start < items.length; start += size) {
    for (const [key, value] of await fn(items.slice(start, start + size))) all.set(key, value);
  }
  return all;
};

/** The stored device in the import's words, to compare with a row and to write the history. */
function fieldsOfDevice(
  device: DeviceRow,
  categoryNames: Map<string, string>,
  vendorNames: Map<string, string>,
  tagNames: string[],
): PlannedFields {
  const assignee: AssigneeInput =
    device.assignee_kind === 'employee' && device.employee_ref
      ? { kind: 'employee', reference: device.employee_ref }
      : device.assignee_kind === 'place' && device.place_id
        ? { kind: 'place', placeId: device.place_id }
        : { kind: 'it' };
  return {
    name: device.name,
    serial: device.serial,
    categoryName: device.category_id ? (categoryNames.get(device.category_id) ?? null) : null,
    attributes: JSON.parse(device.attribute_values) as Record<string, string | number>,
    status: device.status as DeviceStatus,
    everAssigned: Number(device.ever_assigned) === 1,
    assignee,
    barcode: device.barcode,
    price: device.price,
    currency: device.currency,
    vendorName: device.vendor_id ? (vendorNames.get(device.vendor_id) ?? null) : null,
    invoiceNumber: device.invoice_number,
    invoiceDate: device.invoice_date,
    poExtension: device.po_extension,
    warrantyEnd: device.warranty_end,
    tagNames,
  };
}

const sameAssignee = (a: AssigneeInput, b: AssigneeInput) =>
  a.kind === b.kind &&
  (a.kind !== 'employee' || a.reference === (b as { reference: string }).reference) &&
  (a.kind !== 'place' || a.placeId === (b as { placeId: string }).placeId);

const sameFields = (a: PlannedFields, b: PlannedFields) =>
  a.name === b.name &&
  a.serial === b.serial &&
  (a.categoryName ?? '').toLowerCase() === (b.categoryName ?? '').toLowerCase() &&
  JSON.stringify(a.attributes) === JSON.stringify(b.attributes) &&
  a.status === b.status &&
  a.everAssigned === b.everAssigned &&
  sameAssignee(a.assignee, b.assignee) &&
  a.barcode === b.barcode &&
  a.price === b.price &&
  a.currency === b.currency &&
  (a.vendorName ?? '').toLowerCase() === (b.vendorName ?? '').toLowerCase() &&
  a.invoiceNumber === b.invoiceNumber &&
  a.invoiceDate === b.invoiceDate &&
  a.poExtension === b.poExtension &&
  a.warrantyEnd === b.warrantyEnd;

const sortedKeys = (names: readonly string[]) =>
  names
    .map((n) => n.toLowerCase())
    .sort()
    .join('\n');

/** Attribute values keyed by attribute id, in the category's order (what devices store). */
function orderedAttributes(category: PlannedCategory | null, values: Map<string, string | number>) {
  const out: Record<string, string | number> = {};
  for (const attribute of category?.attributes ?? []) {
    const value = values.get(attribute.id);
    if (value !== undefined) out[attribute.id] = value;
  }
  return out;
}

export interface PlanOptions {
  /** New attribute ids (tests pin them). */
  newAttributeId?: () => string;
}

/**
 * DEV-12: decides, row by row of the read file, what the import does — or why it cannot. Nothing is
 * written here; the dry run shows the result and the run writes exactly this plan when it has no problem.
 */
export async function planImport(
  file: ParsedFile,
  columns: readonly ImportColumn[],
  context: ImportContext,
  lookups: ImportLookups,
  options: PlanOptions = {},
): Promise<ImportPlan> {
  const problems = new Problems();
  for (const problem of file.problems)
    problems.add(problem.row, problem.column, problem.code, problem.message);
  // Problems beyond the listed ones were counted only.
  problems.count = file.problemCount;
  const headerOf = (field: ImportField) => columns.find((c) => c.field === field)?.header ?? null;
  const parsed = file.rows;
  const empty: ImportPlan = {
    problems: [],
    problemCount: 0,
    summary: {
      rows: parsed.length,
      create: 0,
      update: 0,
      unchanged: 0,
      newCategories: [],
      newTags: [],
      newVendors: [],
    },
    creates: [],
    updates: [],
    newCategories: [],
    newTags: [],
    newVendors: [],
  };
  if (parsed.length === 0) {
    problems.add(1, null, 'empty_file', 'The file has no device rows under its header row');
    return { ...empty, problems: problems.sorted(), problemCount: problems.count };
  }
  const nameColumn = headerOf('name');
  const serialColumn = headerOf('serial');
  if (!nameColumn && !serialColumn) {
    problems.add(
      1,
      null,
      'no_name_column',
      'Map a column to Name (or to Serial number to update known devices)',
    );
  }

  // Known devices: by serial, else by barcode (DEV-12: rows with a known serial update that device).
  const serialKeys = [...new Set(parsed.flatMap((p) => (p.serial ? [p.serial.toLowerCase()] : [])))];
  const bySerial = await chunked(serialKeys, 500, (keys) => lookups.devicesBySerial(keys));
  const barcodeKeys = [...new Set(parsed.flatMap((p) => (p.barcode ? [p.barcode.toLowerCase()] : [])))];
  const byBarcode = await chunked(barcodeKeys, 500, (keys) => lookups.devicesByBarcode(keys));
  const matchOf = (p: ParsedRow): DeviceRow | undefined =>
    p.serial
      ? bySerial.get(p.serial.toLowerCase())
      : p.barcode
        ? byBarcode.get(p.barcode.toLowerCase())
        : undefined;
  const matchedIds = [...new Set(parsed.flatMap((p) => matchOf(p)?.id ?? []))];
  const tagIds = await chunked(matchedIds, 500, (ids) => lookups.tagIdsOf(ids));
  const commentIds = [...new Set(parsed.flatMap((p) => (p.comment ? (matchOf(p)?.id ?? []) : [])))];
  const comments = await chunked(commentIds, 500, (ids) => lookups.commentsOf(ids));

  // Employees by e-mail or user name, only for names that are neither IT nor a place.
  const userNames = new Set<string>();
  for (const p of parsed) {
    if (p.employee) userNames.add(p.employee.toLowerCase());
    else if (
      p.assigned &&
      p.assigned.toLowerCase() !== 'it' &&
      !context.places.has(p.assigned.toLowerCase())
    ) {
      userNames.add(p.assigned.toLowerCase());
    }
  }
  const employees = userNames.size
    ? await lookups.employees([...userNames])
    : new Map<string, DirectoryEntry>();

  // Categories the file names that the tenant lacks: created, with attributes from their columns.
  const categories = new Map(context.categories);
  const newCategories: PlannedCategory[] = [];
  const newCategoryValues = new Map<string, Map<string, { header: string; values: string[] }>>();
  for (const p of parsed) {
    if (!p.category) continue;
    const key = p.category.toLowerCase();
    if (context.categories.has(key)) continue;
    let values = newCategoryValues.get(key);
    if (!values) {
      values = new Map();
      newCategoryValues.set(key, values);
      const planned: PlannedCategory = { id: null, name: p.category, attributes: [], appendToName: false };
      newCategories.push(planned);
      categories.set(key, planned);
    }
    for (const [attributeKey, [header, value]] of p.attributes) {
      const entry = values.get(attributeKey) ?? { header, values: [] };
      entry.values.push(value);
      values.set(attributeKey, entry);
    }
  }
  const newAttributeId = options.newAttributeId ?? (() => crypto.randomUUID());
  const overLimit = new Set<string>();
  newCategories.forEach((category, i) => {
    const key = category.name.toLowerCase();
    if (context.categoriesLeft !== null && i >= context.categoriesLeft) overLimit.add(key);
    const values = newCategoryValues.get(key)!;
    category.attributes = [...values.values()]
      .slice(0, MAX_CATEGORY_ATTRIBUTES)
      .map(({ header, values: vs }) => ({
        id: newAttributeId(),
        name: header.slice(0, 25),
        type: ATTRIBUTE_TYPES.includes(inferredType(vs)) ? inferredType(vs) : 'text',
        prefix: '',
        suffix: '',
        required: false,
      }));
  });

  const categoryNameById = new Map<string, string>();
  for (const category of context.categories.values())
    if (category.id) categoryNameById.set(category.id, category.name);
  const vendorNameById = new Map<string, string>();
  for (const vendor of context.vendors.values()) vendorNameById.set(vendor.id, vendor.name);
  const tagNameById = new Map<string, string>();
  for (const tag of context.tags.values()) tagNameById.set(tag.id, tag.name);

  const creates: PlannedCreate[] = [];
  const updates: PlannedUpdate[] = [];
  let unchanged = 0;
  const seenSerials = new Map<string, number>();
  const seenBarcodes = new Map<string, number>();
  const usedDevices = new Map<string, number>();
  const newTags = new Map<string, string>();
  const newVendors = new Map<string, string>();
  const settings = context.settings;

  for (const p of parsed) {
    const at = (field: ImportField) => headerOf(field);
    const add = (field: ImportField | null, code: string, message: string) =>
      problems.add(p.row, field ? at(field) : null, code, message);

    if (p.serial) {
      const key = p.serial.toLowerCase();
      const first = seenSerials.get(key);
      if (first !== undefined)
        add('serial', 'duplicate_serial', `The serial number ${p.serial} is also in row ${first}`);
      else seenSerials.set(key, p.row);
    }
    const device = matchOf(p);
    if (device) {
      const first = usedDevices.get(device.id);
      if (first !== undefined && !p.serial) {
        add('barcode', 'duplicate_barcode', `The barcode ${p.barcode} is also in row ${first}`);
      }
      usedDevices.set(device.id, p.row);
    }
    if (!device && !p.name) {
      add(
        'name',
        'required',
        p.serial
          ? `No device has the serial number ${p.serial}, so this row needs a name`
          : 'A new device needs a name',
      );
    }

    // Category and attributes.
    const currentCategoryName = device?.category_id
      ? (categoryNameById.get(device.category_id) ?? null)
      : null;
    const categoryName = p.category ?? currentCategoryName;
    const category = categoryName ? (categories.get(categoryName.toLowerCase()) ?? null) : null;
    if (p.category && overLimit.has(p.category.toLowerCase())) {
      add(
        'category',
        'category_limit',
        `${context.categoryLimitMessage}: the category "${p.category}" cannot be added`,
      );
    }
    const categoryChanged = (categoryName ?? '').toLowerCase() !== (currentCategoryName ?? '').toLowerCase();
    const values = new Map<string, string | number>();
    if (device && !categoryChanged) {
      for (const [id, value] of Object.entries(
        JSON.parse(device.attribute_values) as Record<string, string | number>,
      )) {
        values.set(id, value);
      }
    }
    for (const [attributeKey, [header, raw]] of p.attributes) {
      const attribute = category?.attributes.find((a) => a.name.toLowerCase() === attributeKey);
      if (!attribute) {
        problems.add(
          p.row,
          header,
          'unknown_attribute',
          category
            ? `The category "${category.name}" has no attribute "${header}"`
            : `"${header}" is an attribute, but the row has no category`,
        );
        continue;
      }
      const typed = typedAttribute(attribute, raw);
      if ('message' in typed) problems.add(p.row, header, 'bad_attribute', typed.message);
      else values.set(attribute.id, typed.value);
    }
    for (const attribute of category?.attributes ?? []) {
      if (attribute.required && !values.has(attribute.id)) {
        problems.add(
          p.row,
          attribute.name,
          'required_attribute',
          `${attribute.name} is required in the category "${category!.name}"`,
        );
      }
    }

    // Assignee: the employee column first, then "Assigned" as IT, a place or an employee.
    let assignee: AssigneeInput | undefined;
    if (p.employee) {
      const entry = employees.get(p.employee.toLowerCase());
      if (entry) assignee = { kind: 'employee', reference: entry.reference };
      else
        add(
          'employee',
          'unknown_employee',
          `No employee with the e-mail or user name ${p.employee} is in the directory`,
        );
    } else if (p.assigned) {
      const key = p.assigned.toLowerCase();
      const place = context.places.get(key);
      const entry = employees.get(key);
      if (key === 'it') assignee = { kind: 'it' };
      else if (place) assignee = { kind: 'place', placeId: place.id };
      else if (entry) assignee = { kind: 'employee', reference: entry.reference };
      else if (p.assigned.includes('@')) {
        add(
          'assigned',
          'unknown_employee',
          `No employee with the e-mail or user name ${p.assigned} is in the directory`,
        );
      } else {
        add(
          'assigned',
          'unknown_assignee',
          `"${p.assigned}" is not IT, a place of this tenant or an employee's e-mail or user name`,
        );
      }
    }

    // Barcodes (DEV-10): typed only in the Asset ID scheme, unique in the tenant and in the file.
    if (p.barcode) {
      const key = p.barcode.toLowerCase();
      const stored = device?.barcode ?? null;
      if (p.barcode !== stored && settings.barcode_mode !== 'asset_id') {
        add(
          'barcode',
          'barcode_not_allowed',
          settings.barcode_mode === 'company_id'
            ? 'Barcodes are generated in the Company Device ID scheme: leave the column empty'
            : 'Barcodes are turned off for this tenant (Settings → Inventory)',
        );
      }
      const first = seenBarcodes.get(key);
      if (first !== undefined && p.serial)
        add('barcode', 'duplicate_barcode', `The barcode ${p.barcode} is also in row ${first}`);
      else seenBarcodes.set(key, p.row);
      const owner = byBarcode.get(key);
      if (owner && owner.id !== device?.id) {
        add('barcode', 'barcode_taken', `Device #${owner.number} already has the barcode ${p.barcode}`);
      }
    }

    // DEV-1: invoice fields switched off (or not in the plan) take no values, as in the device form.
    if (!context.invoice.management) {
      for (const field of ['invoiceNumber', 'invoiceDate', 'vendor', 'poExtension'] as const) {
        if (p[field] !== undefined) add(field, 'feature_turned_off', turnedOff.management.message);
      }
    } else if (!context.invoice.customData && p.poExtension !== undefined) {
      add('poExtension', 'feature_turned_off', turnedOff.customData.message);
    }

    if (p.vendor && !context.vendors.has(p.vendor.toLowerCase()))
      newVendors.set(p.vendor.toLowerCase(), p.vendor);
    for (const tag of p.tags ?? [])
      if (!context.tags.has(tag.toLowerCase())) newTags.set(tag.toLowerCase(), tag);

    if (device) {
      const before = fieldsOfDevice(
        device,
        categoryNameById,
        vendorNameById,
        (tagIds.get(device.id) ?? []).map((id) => tagNameById.get(id) ?? id),
      );
      const assigneeChanged = assignee !== undefined && !sameAssignee(assignee, before.assignee);
      const status =
        p.status ??
        (assigneeChanged
          ? statusAfterAssignment(assignee!.kind, before.status, before.everAssigned)
          : before.status);
      const fields: PlannedFields = {
        name: p.name ?? before.name,
        serial: p.serial ?? before.serial,
        categoryName: category?.name ?? null,
        attributes: orderedAttributes(category, values),
        status,
        everAssigned: before.everAssigned || (assigneeChanged && assignee!.kind !== 'it'),
        assignee: assignee ?? before.assignee,
        barcode: p.barcode ?? before.barcode,
        price: p.price ?? before.price,
        currency: p.currency ?? before.currency,
        vendorName: p.vendor
          ? (context.vendors.get(p.vendor.toLowerCase())?.name ?? p.vendor)
          : before.vendorName,
        invoiceNumber: p.invoiceNumber ?? before.invoiceNumber,
        invoiceDate: p.invoiceDate ?? before.invoiceDate,
        poExtension: p.poExtension ?? before.poExtension,
        warrantyEnd: p.warrantyEnd ?? before.warrantyEnd,
        tagNames: p.tags
          ? p.tags.map((t) => context.tags.get(t.toLowerCase())?.name ?? newTags.get(t.toLowerCase()) ?? t)
          : before.tagNames,
      };
      const tagsChanged = p.tags !== undefined && sortedKeys(fields.tagNames) !== sortedKeys(before.tagNames);
      const comment = p.comment && !comments.get(device.id)?.has(p.comment) ? p.comment : null;
      if (!tagsChanged && !comment && sameFields(fields, before)) unchanged += 1;
      else updates.push({ row: p.row, device, before, fields, tagsChanged, comment });
    } else {
      // DEV-4: a new device goes to the given assignee, else the default place, else IT.
      const start: AssigneeInput =
        assignee ??
        (settings.default_place_id ? { kind: 'place', placeId: settings.default_place_id } : { kind: 'it' });
      const explicitlyAssigned = assignee !== undefined && assignee.kind !== 'it';
      creates.push({
        row: p.row,
        generateBarcode: settings.barcode_mode === 'company_id',
        comment: p.comment ?? null,
        fields: {
          name: p.name ?? '',
          serial: p.serial ?? null,
          categoryName: category?.name ?? null,
          attributes: orderedAttributes(category, values),
          status: p.status ?? (explicitlyAssigned ? 'in_use' : 'new'),
          everAssigned: explicitlyAssigned,
          assignee: start,
          barcode: settings.barcode_mode === 'asset_id' ? (p.barcode ?? null) : null,
          price: p.price ?? null,
          currency: p.currency ?? null,
          vendorName: p.vendor ? (context.vendors.get(p.vendor.toLowerCase())?.name ?? p.vendor) : null,
          invoiceNumber: p.invoiceNumber ?? null,
          invoiceDate: p.invoiceDate ?? null,
          poExtension: p.poExtension ?? null,
          warrantyEnd: p.warrantyEnd ?? null,
          tagNames: (p.tags ?? []).map(
            (t) => context.tags.get(t.toLowerCase())?.name ?? newTags.get(t.toLowerCase()) ?? t,
          ),
        },
      });
    }
  }

  const usedCategories = newCategories.filter((c) => !overLimit.has(c.name.toLowerCase()));
  return {
    problems: problems.sorted(),
    problemCount: problems.count,
    summary: {
      rows: parsed.length,
      create: creates.length,
      update: updates.length,
      unchanged,
      newCategories: newCategories.map((c) => c.name),
      newTags: [...newTags.values()],
      newVendors: [...newVendors.values()],
    },
    creates,
    updates,
    newCategories: usedCategories,
    newTags: [...newTags.values()],
    newVendors: [...newVendors.values()],
  };
}
