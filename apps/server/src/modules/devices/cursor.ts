import { ErrorCode } from '@thestorage/contracts';
import type { DeviceRow } from '../../platform/db/schema';
import { AppError } from '../../platform/http/errors';

/** The sorts of DEV-9; every one breaks ties on the device number (unique per tenant). */
export type SortKey = 'number' | 'name' | 'barcode' | 'created' | 'modified';

interface CursorPosition {
  value: string | number;
  number: number;
}

const sortValueOf = (key: SortKey, row: DeviceRow): string | number => {
  switch (key) {
    case 'number':
      return Number(row.number);
    case 'name':
      return row.name_key;
    case 'barcode':
      return row.barcode_key ?? '';
    case 'created':
      return row.created_at;
    case 'modified':
      return row.updated_at;
  }
};

/** An opaque keyset position: the sort it belongs to, the last row's sort value and number. */
export function encodeCursor(key: SortKey, row: DeviceRow): string {
  return Buffer.from(JSON.stringify([key, sortValueOf(key, row), Number(row.number)])).toString('base64url');
}

/** Reads a cursor made by encodeCursor for the same sort; anything else is a clear 400. */
export function decodeCursor(cursor: string, key: SortKey): CursorPosition {
  const invalid = () =>
    new AppError(
      ErrorCode.ValidationFailed,
      'The page cursor is not valid for this list; start from the first page',
      {
        details: { field: 'cursor' },
      },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== key) throw invalid();
  const [, value, number] = parsed as [unknown, unknown, unknown];
  const valueOk =
    key === 'number' ? Number.isInteger(value) : typeof value === 'string' && value.length <= 200;
  if (!valueOk || !Number.isInteger(number)) throw invalid();
  return { value: value as string | number, number: number as number };
}
