import { z } from 'zod';

/**
 * DEV-12: what a column of an import file can hold. `attribute` takes the column's header as the name of
 * an attribute of the row's category; `ignore` leaves the column out.
 */
export const IMPORT_FIELDS = [
  'name',
  'serial',
  'category',
  'status',
  'assigned',
  'employee',
  'barcode',
  'price',
  'currency',
  'vendor',
  'invoiceNumber',
  'invoiceDate',
  'poExtension',
  'warrantyEnd',
  'tags',
  'comment',
  'attribute',
  'ignore',
] as const;
export const importFieldSchema = z.enum(IMPORT_FIELDS);
export type ImportField = z.infer<typeof importFieldSchema>;

/** How the fields read in the mapping step and the template. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  name: 'Name',
  serial: 'Serial number',
  category: 'Category',
  status: 'Status',
  assigned: 'Assigned to (employee e-mail or user name, place, or IT)',
  employee: 'Employee e-mail or user name',
  barcode: 'Barcode',
  price: 'Price',
  currency: 'Currency',
  vendor: 'Vendor',
  invoiceNumber: 'Invoice number',
  invoiceDate: 'Invoice date',
  poExtension: 'PO extension',
  warrantyEnd: 'Warranty end',
  tags: 'Tags (comma-separated)',
  comment: 'Comment',
  attribute: 'Category attribute (named by the header)',
  ignore: 'Ignore this column',
};

export const importFormatSchema = z.enum(['csv', 'xlsx']);
export type ImportFormat = z.infer<typeof importFormatSchema>;

/** One column of the file: its header as written, and the field it feeds. */
export const importColumnSchema = z.object({
  index: z.number().int().min(0),
  header: z.string(),
  field: importFieldSchema,
  /** The first non-empty value under the header, to help the mapping step (null when the column is empty). */
  sample: z.string().nullable(),
});
export type ImportColumn = z.infer<typeof importColumnSchema>;

/** One problem of the dry run: the file's row number (the header is row 1), the column header, what is wrong. */
export const importProblemSchema = z.object({
  row: z.number().int().min(1),
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const IMPORT_STATUSES = ['uploaded', 'checked', 'queued', 'running', 'completed', 'failed'] as const;
export const importStatusSchema = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof importStatusSchema>;

/** What a check (or the run) found: how many rows create, update or leave a device as it is. */
export const importSummarySchema = z.object({
  rows: z.number().int(),
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  newCategories: z.array(z.string()),
  newTags: z.array(z.string()),
  newVendors: z.array(z.string()),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

/** At most this many problems are listed; `problemCount` says how many there are in all. */
export const MAX_LISTED_IMPORT_PROBLEMS = 1_000;

export const deviceImportSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  format: importFormatSchema,
  size: z.number().int(),
  status: importStatusSchema,
  columns: z.array(importColumnSchema),
  problems: z.array(importProblemSchema),
  problemCount: z.number().int(),
  /** Said before a run when the same file was already imported into this tenant. */
  warnings: z.array(z.string()),
  summary: importSummarySchema.nullable(),
  jobId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  version: z.number().int(),
});
export type DeviceImport = z.infer<typeof deviceImportSchema>;

export const deviceImportListSchema = z.object({ imports: z.array(deviceImportSchema) });

export const uploadImportQuerySchema = z.object({
  fileName: z.string().trim().min(1).max(200),
});

export const updateImportMappingSchema = z.object({
  version: z.number().int().min(1),
  columns: z.array(z.object({ index: z.number().int().min(0), field: importFieldSchema })).min(1),
});
export type UpdateImportMappingRequest = z.infer<typeof updateImportMappingSchema>;

export const importVersionSchema = z.object({ version: z.number().int().min(1) });

export const importTemplateQuerySchema = z.object({ format: importFormatSchema.default('csv') });

export const IMPORT_CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Import files up to this size (a 100,000-row CSV is about 15 MB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
