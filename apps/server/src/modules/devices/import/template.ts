import { type CategoryAttribute, IMPORT_FIELD_LABELS, type ImportFormat } from '@thestorage/contracts';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { TEMPLATE_HEADERS } from './columns';

/** The template's headers: the standard columns, then one per attribute name of the tenant's categories. */
export function templateHeaders(categories: readonly { attributes: string }[]): string[] {
  const attributes = new Map<string, string>();
  for (const category of categories) {
    for (const attribute of JSON.parse(category.attributes) as CategoryAttribute[]) {
      const key = attribute.name.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, attribute.name);
    }
  }
  return [...TEMPLATE_HEADERS.map(([header]) => header), ...attributes.values()];
}

/** DEV-12: an empty file with the header row, ready to fill in (XLSX with a sheet explaining each column). */
export async function importTemplate(format: ImportFormat, headers: readonly string[]): Promise<Buffer> {
  if (format === 'csv') return Buffer.from(`\uFEFF${stringify([headers])}`, 'utf8');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Devices', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((header) => ({ header, key: header, width: Math.max(14, header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  const help = workbook.addWorksheet('How to fill in');
  help.columns = [
    { header: 'Column', key: 'column', width: 22 },
    { header: 'What it holds', key: 'what', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  const standard = new Map(TEMPLATE_HEADERS);
  for (const header of headers) {
    const field = standard.get(header);
    help.addRow({
      column: header,
      what: field
        ? `${IMPORT_FIELD_LABELS[field]}${field === 'invoiceDate' || field === 'warrantyEnd' ? ' — a date, YYYY-MM-DD' : ''}`
        : 'An attribute of the row’s category',
    });
  }
  help.addRow({});
  help.addRow({
    column: 'Rules',
    what:
      'One device per row. A row whose serial number is already known updates that device; empty cells leave its values as they are. ' +
      'Nothing is imported unless every row is right: the check lists every problem with its row.',
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
