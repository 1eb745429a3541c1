import { ErrorCode } from '@thestorage/contracts';
import type { FilePurpose } from '../db/schema';
import { AppError } from '../http/errors';

export type { FilePurpose };

const MB = 1024 * 1024;

export interface FileRule {
  contentTypes: readonly string[];
  maxBytes: number;
  /** The limit as users read it, for the error message. */
  maxLabel: string;
}

/**
 * What each purpose accepts. Invoices: PDF up to 2 MB (DEV-1). Device images: PNG, JPEG or WebP up to
 * 5 MB — the formats every browser shows without conversion, large enough for a phone photo.
 */
export const FILE_RULES: Record<FilePurpose, FileRule> = {
  invoice: { contentTypes: ['application/pdf'], maxBytes: 2 * MB, maxLabel: '2 MB' },
  device_image: {
    contentTypes: ['image/png', 'image/jpeg', 'image/webp'],
    maxBytes: 5 * MB,
    maxLabel: '5 MB',
  },
  // DEV-12: a 100,000-row CSV is about 15 MB; the file is kept sealed only until its import is done.
  device_import: {
    contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    maxBytes: 50 * MB,
    maxLabel: '50 MB',
  },
};

export const isFilePurpose = (value: unknown): value is FilePurpose =>
  typeof value === 'string' && Object.hasOwn(FILE_RULES, value);

/** 'Application/PDF; charset=binary' → 'application/pdf'. */
export const normalizeContentType = (value: string): string => value.split(';')[0]!.trim().toLowerCase();

const tooLarge = (rule: FileRule) =>
  new AppError(ErrorCode.PayloadTooLarge, `The file is larger than ${rule.maxLabel}`, {
    details: { maxBytes: rule.maxBytes },
  });

/** Refuses a content type the purpose does not accept, before any byte is read. */
export function checkContentType(purpose: FilePurpose, contentType: string): string {
  const rule = FILE_RULES[purpose];
  const type = normalizeContentType(contentType);
  if (!rule.contentTypes.includes(type)) {
    throw new AppError(ErrorCode.ValidationFailed, `This file must be ${rule.contentTypes.join(', ')}`, {
      details: { accepted: rule.contentTypes },
    });
  }
  return type;
}

/** Refuses at once when the declared length (Content-Length) is over the limit. */
export function checkDeclaredLength(purpose: FilePurpose, declaredLength: number | undefined): void {
  const rule = FILE_RULES[purpose];
  if (declaredLength !== undefined && declaredLength > rule.maxBytes) throw tooLarge(rule);
}

type Chunk = Buffer | Uint8Array | string;

/**
 * Reads the body into memory but never more than the limit: once the bytes read pass it, the loop
 * leaves early, which returns the generator / destroys the stream, so the rest is never pulled.
 */
export async function readWithinLimit(purpose: FilePurpose, body: AsyncIterable<Chunk>): Promise<Buffer> {
  const rule = FILE_RULES[purpose];
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += bytes.length;
    if (size > rule.maxBytes) throw tooLarge(rule);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

const startsWith = (bytes: Buffer, signature: number[] | string, offset = 0): boolean => {
  const expected = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature);
  return (
    bytes.length >= offset + expected.length &&
    bytes.subarray(offset, offset + expected.length).equals(expected)
  );
};

/** The content type the bytes themselves announce, from their magic numbers; undefined when unknown. */
export function sniffContentType(bytes: Buffer): string | undefined {
  if (startsWith(bytes, '%PDF-')) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return 'image/webp';
  // An XLSX workbook is a ZIP archive; a CSV has no signature, only text (no NUL byte near the start).
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
  if (!bytes.subarray(0, 64 * 1024).includes(0)) return 'text/csv';
  return undefined;
}

/** A renamed file (a .exe called invoice.pdf) is refused: the bytes must be what the type claims. */
export function checkContent(contentType: string, bytes: Buffer): void {
  if (bytes.length === 0) throw new AppError(ErrorCode.ValidationFailed, 'The file is empty');
  if (sniffContentType(bytes) !== contentType) {
    throw new AppError(ErrorCode.ValidationFailed, `The file's content is not ${contentType}`);
  }
}
