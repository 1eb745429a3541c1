import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type CategoryAttribute,
  DEVICE_STATUS_STYLE,
  type Device,
  type DeviceListQuery,
} from '@thestorage/contracts';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Actor } from '../../platform/http/actor';
import type { DeviceServiceDeps } from './service';
import { viewsOf } from './service';

export type ExportFormat = 'csv' | 'xlsx';

/** Devices read per round trip: memory stays flat however many devices the tenant has (DEV-13). */
const BATCH = 1_000;

/** The columns of a device export, in the words of the device page. */
export const EXPORT_COLUMNS: readonly [string, (device: Device) => string | number | null][] = [
  ['Number', (d) => d.number],
  // The name as typed: attribute values have their own columns, so the file imports back as it was.
  ['Name', (d) => d.name],
  ['Serial number', (d) => d.serial],
  ['Category', (d) => d.category?.name ?? null],
  ['Status', (d) => DEVICE_STATUS_STYLE[d.status].label],
  [
    'Assigned to',
    (d) =>
      d.assignee.kind === 'employee'
        ? d.assignee.employee.displayName
        : d.assignee.kind === 'place'
          ? d.assignee.placeName
          : d.assignee.kind === 'store'
            ? 'Store'
            : 'IT',
  ],
  ['Employee e-mail', (d) => (d.assignee.kind === 'employee' ? d.assignee.employee.userName : null)],
  ['Barcode', (d) => d.barcode],
  ['Price', (d) => d.price],
  ['Currency', (d) => d.currency],
  ['Vendor', (d) => d.vendor?.name ?? null],
  ['Invoice number', (d) => d.invoiceNumber],
  ['Invoice date', (d) => d.invoiceDate],
  ['PO extension', (d) => d.poExtension],
  ['Warranty end', (d) => d.warrantyEnd],
  ['Tags', (d) => d.tags.map((t) => t.name).join(', ') || null],
  ['Created', (d) => d.createdAt],
  ['Modified', (d) => d.updatedAt],
];

// A cell a spreadsheet would read as a formula or a command: = + - @, tab, CR, NUL, and their full-width forms.
const FORMULA_START = /^[=+\-@\t\r\0＝＋－＠]/;

/** DEV-13: text a spreadsheet would run is written as text, with a leading apostrophe (OWASP's advice). */
export function neutralised(value: string | number | null): string | number | null {
  if (typeof value !== 'string') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Every device the filters select, in the list's order, page by page; names resolved per page. */
async function* exportedDevices(deps: DeviceServiceDeps, actor: Actor, query: DeviceListQuery) {
  const today = deps.clock.now().toISOString().slice(0, 10);
  let cursor: string | undefined;
  do {
    const page = await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
      const found = await r.devices.list({ ...query, limit: BATCH, cursor }, today, { count: false });
      return { devices: await viewsOf(deps, r, actor, found.rows), next: found.nextCursor };
    });
    yield page.devices;
    cursor = page.next ?? undefined;
  } while (cursor);
}

type Cell = (device: Device) => string | number | null;

/**
 * The export's columns: the fixed ones, then one per attribute name of the tenant's categories (attributes
 * of the same name share a column), so an export opened back through the importer keeps every value.
 */
async function exportColumns(deps: DeviceServiceDeps, actor: Actor): Promise<(readonly [string, Cell])[]> {
  const { categories } = await deps.repos
    .forTenant(actor.tenantId)
    .transaction((r) => r.deviceImports.catalog());
  const titles = new Map<string, string>();
  const nameOf = new Map<string, string>();
  for (const category of categories) {
    for (const attribute of JSON.parse(category.attributes) as CategoryAttribute[]) {
      const key = attribute.name.toLowerCase();
      if (!titles.has(key)) titles.set(key, attribute.name);
      nameOf.set(attribute.id, key);
    }
  }
  const attributeColumns = [...titles].map(([key, title]): readonly [string, Cell] => [
    title,
    (d) => {
      for (const [id, value] of Object.entries(d.attributes)) if (nameOf.get(id) === key) return value;
      return null;
    },
  ]);
  return [...EXPORT_COLUMNS, ...attributeColumns];
}

/** Streams the filtered device list into `out` as CSV (UTF-8 with BOM, for spreadsheets) or XLSX. */
export async function writeDeviceExport(
  deps: DeviceServiceDeps,
  actor: Actor,
  query: DeviceListQuery,
  format: ExportFormat,
  out: Writable,
): Promise<void> {
  const columns = await exportColumns(deps, actor);
  const rows = (devices: readonly Device[]) =>
    devices.map((device) => columns.map(([, cell]) => neutralised(cell(device))));
  if (format === 'csv') {
    const csv = stringify({ header: true, columns: columns.map(([title]) => title), bom: true });
    const done = pipeline(csv, out);
    for await (const devices of exportedDevices(deps, actor, query)) {
      for (const row of rows(devices)) {
        if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      }
    }
    csv.end();
    await done;
    return;
  }
  const target = new PassThrough();
  const done = pipeline(target, out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: target,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet('Devices', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map(([title]) => ({
    header: title,
    key: title,
    width: Math.max(12, title.length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const devices of exportedDevices(deps, actor, query)) {
    for (const row of rows(devices)) sheet.addRow(row).commit();
  }
  sheet.commit();
  await workbook.commit();
  await done;
}
