import { Readable } from 'node:stream';
import type { ImportFormat } from '@thestorage/contracts';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

// What the export writes as text with a leading apostrophe (DEV-13): = + - @, tab, CR, NUL and full-width forms.
const NEUTRALISED = /^'[=+\-@\t\r\0＝＋－＠]/;

/** A cell our export protected against formula injection reads back as what was meant. */
export const unneutralised = (text: string) => (NEUTRALISED.test(text) ? text.slice(1) : text);

/** One row of the file as text cells; `row` counts like a spreadsheet does (the header is row 1). */
export interface FileRow {
  row: number;
  cells: string[];
}

/** The delimiter of a CSV: the one of `,` `;` and tab that the header line uses most (Excel in many locales writes `;`). */
export function delimiterOf(bytes: Buffer): string {
  const end = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, end === -1 ? Math.min(bytes.length, 64 * 1024) : end).toString('utf8');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Papa Parse reads the whole text in one call (about four times faster than csv-parse on a 100,000-row
 * file); `maxRows` stops it early (the mapping preview reads 200 rows of a file of any size). A UTF-8 byte
 * order mark is dropped by the decoder; the empty record Papa Parse gives after a final line break is not a row.
 */
async function* csvRows(bytes: Buffer, maxRows?: number): AsyncGenerator<FileRow> {
  const text = new TextDecoder('utf-8').decode(bytes);
  const { data } = Papa.parse<string[]>(text, {
    delimiter: delimiterOf(bytes),
    preview: maxRows ?? 0,
    skipEmptyLines: false,
  });
  const last = data.at(-1);
  const whole = maxRows === undefined || data.length < maxRows;
  const count =
    whole && last?.length === 1 && last[0] === '' && /\r?\n$/.test(text) ? data.length - 1 : data.length;
  for (let i = 0; i < count; i++) {
    const cells = data[i]!;
    // A file that mixes line endings: Papa Parse splits at the first one it saw (LF), leaving a CR behind.
    const end = cells.length - 1;
    if (cells[end]!.endsWith('\r')) cells[end] = cells[end]!.slice(0, -1);
    yield { row: i + 1, cells: cells.map(unneutralised) };
  }
}

/** The date of a spreadsheet date cell: YYYY-MM-DD when it is a whole day, else the full ISO time. */
function dateText(value: Date): string {
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** What a person sees in a cell, as text: rich text joined, a formula's result, a link's text. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function* xlsxRows(bytes: Buffer): AsyncGenerator<FileRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  // The first worksheet holds the devices; others (notes, lookups) are left alone.
  for await (const worksheet of reader) {
    let expected = 1;
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      // Rows without any cell are absent from the sheet: keep the numbering a person sees.
      while (expected < row.number) yield { row: expected++, cells: [] };
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(unneutralised(cellText(values[i])));
      yield { row: row.number, cells };
      expected = row.number + 1;
    }
    break;
  }
}

/** Streams the rows of a CSV or XLSX file, header first. */
export function readRows(format: ImportFormat, bytes: Buffer, maxRows?: number): AsyncGenerator<FileRow> {
  return format === 'csv' ? csvRows(bytes, maxRows) : xlsxRows(bytes);
}

/** The header row and the first non-empty value under each header, to show in the mapping step. */
export async function previewOf(
  format: ImportFormat,
  bytes: Buffer,
  sampleRows = 200,
): Promise<{ headers: string[]; samples: (string | null)[] }> {
  let headers: string[] | null = null;
  let samples: (string | null)[] = [];
  let seen = 0;
  // The header and the sample rows at most: a CSV is not read further.
  for await (const { cells } of readRows(format, bytes, sampleRows + 1)) {
    if (!headers) {
      headers = cells.map((cell) => cell.trim());
      samples = headers.map(() => null);
      continue;
    }
    cells.forEach((cell, i) => {
      if (i < samples.length && samples[i] === null && cell.trim() !== '')
        samples[i] = cell.trim().slice(0, 100);
    });
    seen += 1;
    if (seen >= sampleRows || samples.every((s) => s !== null)) break;
  }
  return { headers: headers ?? [], samples };
}
