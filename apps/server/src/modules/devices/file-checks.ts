import { ErrorCode, MAX_IMAGE_SIDE } from '@thestorage/contracts';
import { imageSize } from 'image-size';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '../../platform/http/errors';

const refused = (message: string) =>
  new AppError(ErrorCode.ValidationFailed, message, { details: [{ path: 'file', message }] });

/**
 * DEV-1: an invoice must really be a PDF, not just start like one: pdf-lib has to read its document
 * structure and find at least one page. Password-protected PDFs are still PDFs (their page tree is
 * readable), so encryption is not a reason to refuse.
 */
export async function assertReadablePdf(bytes: Buffer): Promise<void> {
  let pages = 0;
  try {
    const document = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: true,
    });
    pages = document.getPageCount();
  } catch {
    throw refused('The file is not a readable PDF');
  }
  if (pages < 1) throw refused('The PDF has no pages');
}

/** image-size's name for each accepted content type. */
const IMAGE_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

/**
 * DEV-1: a device image must be an image of the type it claims, with a header that gives real
 * dimensions, at most MAX_IMAGE_SIDE pixels a side (a huge canvas would stall every browser showing it).
 */
export function assertImage(bytes: Buffer, contentType: string): { width: number; height: number } {
  let size: { width: number; height: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    throw refused('The file is not a PNG, JPEG or WebP image');
  }
  if (size.type !== IMAGE_TYPES[contentType] || !(size.width > 0) || !(size.height > 0)) {
    throw refused('The file is not a PNG, JPEG or WebP image');
  }
  if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE) {
    throw refused(
      `The image is ${size.width} × ${size.height} pixels; at most ${MAX_IMAGE_SIDE.toLocaleString('en')} a side`,
    );
  }
  return { width: size.width, height: size.height };
}
