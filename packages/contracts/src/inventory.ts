import { z } from 'zod';
import { employeeReferenceSchema, resolvedEmployeeSchema } from './directory';
import { convertedPriceSchema, inventoryValueSchema } from './money';

/** Inventory lists (categories, places, tags, vendors) share these shapes (DEV-2, DEV-11). */
const trimmed = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .min(min, `${what} needs at least ${min} characters`)
    .max(max, `${what} may have at most ${max} characters`);

export const idSchema = z.uuid();
/** Every edit carries the version it was read at (DEV-6). */
export const versionSchema = z.number().int().min(1);

// ---------------------------------------------------------------- statuses (DEV-3)

export const DEVICE_STATUSES = [
  'new',
  'in_use',
  'in_service',
  'used',
  'missing',
  'damaged',
  'charity',
  'discarded',
  'eol',
  'store',
] as const;
export const deviceStatusSchema = z.enum(DEVICE_STATUSES);
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** Label and colour of each status, the same everywhere (tiles, rows, charts). */
export const DEVICE_STATUS_STYLE: Record<DeviceStatus, { label: string; color: string }> = {
  new: { label: 'New', color: 'green' },
  in_use: { label: 'In-use', color: 'blue' },
  in_service: { label: 'In-Service', color: 'teal' },
  used: { label: 'Used', color: 'orange' },
  missing: { label: 'Missing', color: 'red' },
  damaged: { label: 'Damaged', color: 'pink' },
  charity: { label: 'Charity', color: 'grape' },
  discarded: { label: 'Discarded', color: 'gray' },
  eol: { label: 'EOL', color: 'dark' },
  store: { label: 'Store', color: 'yellow' },
};

/** What the UI suggests instead of deleting a device (DEV-8). */
export const DELETE_ALTERNATIVE_STATUSES: readonly DeviceStatus[] = [
  'in_service',
  'damaged',
  'charity',
  'discarded',
  'eol',
];

// ---------------------------------------------------------------- categories (DEV-2)

export const ATTRIBUTE_TYPES = ['text', 'number', 'date'] as const;
export const attributeTypeSchema = z.enum(ATTRIBUTE_TYPES);
export const MAX_CATEGORY_ATTRIBUTES = 6;

export const categoryAttributeInputSchema = z.object({
  /** Omit for a new attribute; keep the id to keep its values on devices. */
  id: z.string().min(1).max(40).optional(),
  name: trimmed(2, 25, 'An attribute name'),
  type: attributeTypeSchema,
  prefix: z.string().trim().max(5, 'A prefix may have at most 5 characters').default(''),
  suffix: z.string().trim().max(5, 'A suffix may have at most 5 characters').default(''),
  required: z.boolean().default(false),
});
export const categoryAttributeSchema = categoryAttributeInputSchema.required({ id: true });
export type CategoryAttribute = z.infer<typeof categoryAttributeSchema>;

export const categoryInputSchema = z.object({
  name: trimmed(2, 25, 'A category name'),
  attributes: z
    .array(categoryAttributeInputSchema)
    .max(MAX_CATEGORY_ATTRIBUTES, `A category has at most ${MAX_CATEGORY_ATTRIBUTES} attributes`)
    .default([]),
  /** Append attribute values to device names, e.g. `MacBook Pro (16, M3)`. */
  appendToName: z.boolean().default(false),
});
export const categoryUpdateSchema = categoryInputSchema.extend({ version: versionSchema });

export const categorySchema = z.object({
  id: z.string(),
  name: z.string(),
  attributes: z.array(categoryAttributeSchema),
  appendToName: z.boolean(),
  deviceCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Category = z.infer<typeof categorySchema>;
export const categoriesSchema = z.object({
  categories: z.array(categorySchema),
  /** The plan's limit for this tenant (null: unlimited) — the UI shows "Limit reached" at it. */
  limit: z.number().int().nullable(),
});

// ---------------------------------------------------------------- places, tags, vendors (DEV-11)

export const placeInputSchema = z.object({ name: trimmed(2, 60, 'A place name') });
export const placeUpdateSchema = placeInputSchema.extend({ version: versionSchema });
export const placeSchema = z.object({
  id: z.string(),
  name: z.string(),
  deviceCount: z.number().int(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Place = z.infer<typeof placeSchema>;
export const placesSchema = z.object({ places: z.array(placeSchema) });

/** Tag colours: the palette the web app shows (Mantine colour names). */
export const TAG_COLORS = [
  'gray',
  'red',
  'pink',
  'grape',
  'violet',
  'indigo',
  'blue',
  'cyan',
  'teal',
  'green',
  'lime',
  'yellow',
  'orange',
] as const;
export const tagColorSchema = z.enum(TAG_COLORS);
export const tagInputSchema = z.object({ name: trimmed(2, 30, 'A tag name'), color: tagColorSchema });
export const tagUpdateSchema = tagInputSchema.extend({ version: versionSchema });
export const tagSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: tagColorSchema,
  deviceCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Tag = z.infer<typeof tagSchema>;
export const tagsSchema = z.object({ tags: z.array(tagSchema) });

export const vendorInputSchema = z.object({
  name: trimmed(2, 60, 'A vendor name'),
  website: z
    .url({ protocol: /^https?$/, error: 'A website is an http:// or https:// address' })
    .max(2_000)
    .nullable()
    .default(null),
});
export const vendorUpdateSchema = vendorInputSchema.extend({ version: versionSchema });
export const vendorSchema = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string().nullable(),
  deviceCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Vendor = z.infer<typeof vendorSchema>;
export const vendorsSchema = z.object({ vendors: z.array(vendorSchema) });

/** DELETE of a place/tag/vendor/category carries the version it was read at. */
export const deleteWithVersionQuerySchema = z.object({ version: z.coerce.number().int().min(1) });

// ---------------------------------------------------------------- inventory settings (DEV-4, DEV-10)

export const BARCODE_MODES = ['disabled', 'asset_id', 'company_id'] as const;
export const barcodeModeSchema = z.enum(BARCODE_MODES);
export const inventorySettingsSchema = z.object({
  defaultPlaceId: z.string().nullable(),
  barcodeMode: barcodeModeSchema,
  /** Company Device ID: prefix + zero-padded sequence, e.g. `ACME-000042`. */
  barcodePrefix: z.string(),
  barcodeDigits: z.number().int(),
  /** DEV-1: invoice number, date and vendor on devices; off hides them but keeps the data. */
  invoiceManagement: z.boolean(),
  /** DEV-1: the PO extension too (with invoice management on). */
  customInvoiceData: z.boolean(),
  /** DEV-1: an invoice PDF per device (with invoice management on). */
  invoiceUploads: z.boolean(),
  /** Whether the tenant's plan includes invoice management (Professional+); read-only. */
  invoiceManagementInPlan: z.boolean(),
  version: z.number().int(),
});
export type InventorySettings = z.infer<typeof inventorySettingsSchema>;
export const inventorySettingsUpdateSchema = z.object({
  defaultPlaceId: idSchema.nullable(),
  barcodeMode: barcodeModeSchema,
  barcodePrefix: z
    .string()
    .trim()
    .max(10, 'A barcode prefix may have at most 10 characters')
    .regex(/^[A-Za-z0-9-]*$/, 'A barcode prefix uses letters, digits and - only'),
  barcodeDigits: z.number().int().min(3).max(10),
  /** The invoice switches: left out, they stay as they are. */
  invoiceManagement: z.boolean().optional(),
  customInvoiceData: z.boolean().optional(),
  invoiceUploads: z.boolean().optional(),
  version: versionSchema,
});

// ---------------------------------------------------------------- devices (DEV-1, DEV-4…DEV-9)

export const assigneeInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('employee'), reference: employeeReferenceSchema }),
  z.object({ kind: z.literal('place'), placeId: idSchema }),
  z.object({ kind: z.literal('it') }),
]);
export type AssigneeInput = z.infer<typeof assigneeInputSchema>;

export const assigneeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('employee'), reference: z.string(), employee: resolvedEmployeeSchema }),
  z.object({ kind: z.literal('place'), placeId: z.string(), placeName: z.string() }),
  z.object({ kind: z.literal('it') }),
  z.object({ kind: z.literal('store') }),
]);
export type Assignee = z.infer<typeof assigneeSchema>;

/** A date as YYYY-MM-DD. */
export const isoDateSchema = z.iso.date('A date as YYYY-MM-DD');
/** A price as a decimal string with up to 2 decimals (no floats for money). */
export const priceSchema = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'A price like 1299 or 1299.90');
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'A currency as a three-letter ISO 4217 code');

/** Attribute values by attribute id: text, number or YYYY-MM-DD as the category says. */
export const attributeValuesSchema = z.record(
  z.string(),
  z.union([z.string().max(100), z.number(), z.null()]),
);

const deviceFields = {
  name: trimmed(2, 100, 'A device name'),
  serial: z.string().trim().max(30, 'A serial number may have at most 30 characters').nullable(),
  categoryId: idSchema.nullable(),
  attributes: attributeValuesSchema,
  status: deviceStatusSchema,
  /** Asset ID mode only: typed by people; Company Device ID numbers are generated. */
  barcode: z.string().trim().min(1).max(40, 'A barcode may have at most 40 characters').nullable(),
  price: priceSchema.nullable(),
  currency: currencySchema.nullable(),
  vendorId: idSchema.nullable(),
  invoiceNumber: z.string().trim().max(60).nullable(),
  invoiceDate: isoDateSchema.nullable(),
  poExtension: z.string().trim().max(60).nullable(),
  warrantyEnd: isoDateSchema.nullable(),
  tagIds: z.array(idSchema).max(50),
};

export const createDeviceRequestSchema = z
  .object(deviceFields)
  .partial()
  .required({ name: true })
  .extend({ assignee: assigneeInputSchema.optional() });
export type CreateDeviceRequest = z.infer<typeof createDeviceRequestSchema>;

/** PATCH: only the fields sent change; `version` is the one the edit was based on (DEV-6). */
export const updateDeviceRequestSchema = z.object(deviceFields).partial().extend({ version: versionSchema });
export type UpdateDeviceRequest = z.infer<typeof updateDeviceRequestSchema>;

export const assignDeviceRequestSchema = z.object({ assignee: assigneeInputSchema, version: versionSchema });
export const moveDeviceRequestSchema = z.object({
  tenantId: idSchema,
  keepBarcode: z.boolean().default(false),
  version: versionSchema,
});
/** DEV-10: labels printed in one request at the most. */
export const MAX_LABELS = 500;

/** DEV-10: printable labels for one device or a selection. */
export const labelsRequestSchema = z.object({
  deviceIds: z
    .array(idSchema)
    .min(1, 'Choose at least one device')
    .max(MAX_LABELS, `At most ${MAX_LABELS} labels at once`),
  format: z.enum(['qr', 'code128']).default('qr'),
});

export const commentRequestSchema = z.object({
  body: z.string().trim().min(1, 'A comment cannot be empty').max(2_000),
});

/** A device's comments, newest first (DEV-1). */
export const deviceCommentsSchema = z.object({
  comments: z.array(
    z.object({ id: z.string(), body: z.string(), authorEmail: z.string(), createdAt: z.string() }),
  ),
});

export const warrantyStateSchema = z.enum(['valid', 'expired', 'unknown']);

/** DEV-1: what the tenant's invoice settings and plan show on a device right now. */
export const deviceInvoiceSettingsSchema = z.object({
  /** Invoice number, date and vendor are shown and editable. */
  management: z.boolean(),
  /** The PO extension is shown and editable. */
  customData: z.boolean(),
  /** The invoice PDF is shown, downloadable and uploadable. */
  uploads: z.boolean(),
});
export type DeviceInvoiceSettings = z.infer<typeof deviceInvoiceSettingsSchema>;

/** DEV-1: a device's invoice PDF; a removed one stays restorable until `restorableUntil`. */
export const deviceInvoiceFileSchema = z.object({
  size: z.number().int(),
  uploadedAt: z.string(),
  deletedAt: z.string().nullable(),
  restorableUntil: z.string().nullable(),
});
export type DeviceInvoiceFile = z.infer<typeof deviceInvoiceFileSchema>;

/** DEV-1: a device's image: `url` changes whenever the image does (so it may be cached). */
export const deviceImageSchema = z.object({ url: z.string(), etag: z.string() });
export type DeviceImage = z.infer<typeof deviceImageSchema>;

/** DEV-1: an upload, a removal or a restore of a device file carries the device version read (DEV-6). */
export const deviceFileVersionQuerySchema = z.object({ version: z.coerce.number().int().min(1) });
export const restoreInvoiceRequestSchema = z.object({ version: versionSchema });

/** The largest image side accepted, in pixels. */
export const MAX_IMAGE_SIDE = 10_000;

export const deviceSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  name: z.string(),
  /** The name with the category's attribute values appended when the category says so. */
  displayName: z.string(),
  serial: z.string().nullable(),
  category: z.object({ id: z.string(), name: z.string() }).nullable(),
  attributes: attributeValuesSchema,
  status: deviceStatusSchema,
  assignee: assigneeSchema,
  barcode: z.string().nullable(),
  price: z.string().nullable(),
  currency: z.string().nullable(),
  /** The price in the tenant's default currency; null without a price, a currency or a rate (DEV-1). */
  convertedPrice: convertedPriceSchema.nullable(),
  vendor: z.object({ id: z.string(), name: z.string() }).nullable(),
  invoiceNumber: z.string().nullable(),
  invoiceDate: z.string().nullable(),
  poExtension: z.string().nullable(),
  warrantyEnd: z.string().nullable(),
  warrantyState: warrantyStateSchema,
  invoiceSettings: deviceInvoiceSettingsSchema,
  /** Null when there is none or uploads are off. */
  invoiceFile: deviceInvoiceFileSchema.nullable(),
  image: deviceImageSchema.nullable(),
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: tagColorSchema })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Device = z.infer<typeof deviceSchema>;

export const DEVICE_SORTS = ['number', 'name', 'barcode', 'created', 'modified'] as const;
export const deviceListQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  categoryId: idSchema.optional(),
  /** One or more statuses, comma-separated. */
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const parts = value.split(',');
      for (const part of parts) {
        if (!(DEVICE_STATUSES as readonly string[]).includes(part)) {
          ctx.addIssue({ code: 'custom', message: `Unknown status ${part}` });
          return z.NEVER;
        }
      }
      return parts as DeviceStatus[];
    }),
  tagId: idSchema.optional(),
  /** `employee:<reference>`, `place:<id>`, `it`, `store`, or `assigned` (with an employee or at a place). */
  assignee: z
    .string()
    .regex(/^(employee:[0-9a-f]{64}|place:[0-9a-f-]{36}|it|store|assigned)$/, 'An assignee filter')
    .optional(),
  /** Warranty state; `expiring` = ends within the next 90 days (the dashboard links here). */
  warranty: z.enum(['valid', 'expired', 'unknown', 'expiring']).optional(),
  sort: z.enum(DEVICE_SORTS).default('number'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});
export type DeviceListQuery = z.infer<typeof deviceListQuerySchema>;

/** DEV-13: the current filtered list as a file; the same filters and order as the list, every page. */
export const deviceExportQuerySchema = deviceListQuerySchema
  .omit({ limit: true, cursor: true })
  .extend({ format: z.enum(['csv', 'xlsx']).default('csv') });

export const devicePageSchema = z.object({
  devices: z.array(deviceSchema),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
  /** How many devices match the filters (all pages), counted exactly up to 10,000. */
  total: z.number().int(),
  /** True when more devices match than `total` says (shown as "10,000+"). */
  totalCapped: z.boolean(),
});

export type DevicePage = z.infer<typeof devicePageSchema>;

/** One entry of a device's history (DEV-5), newest first. */
export const DEVICE_EVENT_TYPES = [
  'imported',
  'created',
  'modified',
  'assigned_to_it',
  'assigned_to_employee',
  'assigned_to_place',
  'set_as_charity',
  'set_to_discarded',
  'marked_as_missing',
  'tag_applied',
  'verified_by_administrator',
  'verified_by_employee',
  'added_to_store',
  'changed_tenant',
  'comment_added',
  'deleted',
] as const;
export const deviceEventTypeSchema = z.enum(DEVICE_EVENT_TYPES);
export type DeviceEventType = z.infer<typeof deviceEventTypeSchema>;

export const deviceHistoryEventSchema = z.object({
  id: z.string(),
  type: deviceEventTypeSchema,
  occurredAt: z.string(),
  actor: z.object({ name: z.string(), email: z.string() }),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  /** For assignment events to an employee: resolved at display time ("Unknown employee" once forgotten). */
  employee: resolvedEmployeeSchema.nullable(),
});
export type DeviceHistoryEvent = z.infer<typeof deviceHistoryEventSchema>;
export const deviceHistorySchema = z.object({
  events: z.array(deviceHistoryEventSchema),
  nextBefore: z.number().int().nullable(),
});

/** DASH-1, devices part: what the dashboard shows; every number links to the filtered device list. */
export const deviceDashboardSchema = z.object({
  total: z.number().int(),
  byStatus: z.record(deviceStatusSchema, z.number().int()),
  /** Missing, Damaged and EOL devices. */
  risky: z.object({ missing: z.number().int(), damaged: z.number().int(), eol: z.number().int() }),
  /** How many devices are with an employee or at a place (not with IT or in a store). */
  coverage: z.object({ assigned: z.number().int(), total: z.number().int() }),
  warrantiesExpiring: z.object({
    count: z.number().int(),
    /** The soonest, at most 5. */
    soonest: z.array(
      z.object({ id: z.string(), number: z.number().int(), name: z.string(), warrantyEnd: z.string() }),
    ),
  }),
  /** The purchase value of the devices in the tenant's default currency (DEV-1). */
  inventoryValue: inventoryValueSchema,
});
export type DeviceDashboard = z.infer<typeof deviceDashboardSchema>;

/** DEV-1 money: the reference rates per euro, and how the daily fetch went. */
export const exchangeRatesSchema = z.object({
  rates: z.array(z.object({ currency: z.string(), perEur: z.string(), date: z.string() })),
  source: z
    .object({
      url: z.string(),
      lastAttemptAt: z.string().nullable(),
      lastSuccessAt: z.string().nullable(),
      rateDate: z.string().nullable(),
      lastError: z.string().nullable(),
    })
    .nullable(),
});
