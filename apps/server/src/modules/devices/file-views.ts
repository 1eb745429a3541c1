import type { DeviceImage, DeviceInvoiceFile, DeviceInvoiceSettings } from '@thestorage/contracts';
import type { DeviceRow } from '../../platform/db/schema';
import type { FileDescription } from '../../platform/files/file-store';

/** What a page of device views needs to show invoices and images: the settings and the files' metadata. */
export interface DeviceFileContext {
  invoice: DeviceInvoiceSettings;
  files: Map<string, FileDescription>;
}

/** The invoice and image files these devices point at. */
export const fileIdsOf = (rows: readonly DeviceRow[]): string[] =>
  rows.flatMap((row) => [row.invoice_file_id, row.image_file_id].filter((id): id is string => id !== null));

/** Where the browser loads a device image; a new image is a new address, so browsers may cache each. */
export const deviceImageUrl = (deviceId: string, fileId: string) =>
  `/api/v1/devices/${deviceId}/image?v=${fileId}`;

/**
 * DEV-1: the invoice PDF; a removed one is shown with the time it stays restorable until, and not at all
 * once that time has passed (the purge job deletes it soon after).
 */
export function invoiceFileView(
  row: DeviceRow,
  files: Map<string, FileDescription>,
  now: Date,
): DeviceInvoiceFile | null {
  const file = row.invoice_file_id ? files.get(row.invoice_file_id) : undefined;
  if (!file) return null;
  const shown = { size: file.size, uploadedAt: file.createdAt };
  if (file.deletedAt === null) return { ...shown, deletedAt: null, restorableUntil: null };
  if (!file.purgeAfter || file.purgeAfter <= now.toISOString()) return null;
  return { ...shown, deletedAt: file.deletedAt, restorableUntil: file.purgeAfter };
}

export function imageView(row: DeviceRow, files: Map<string, FileDescription>): DeviceImage | null {
  const file = row.image_file_id ? files.get(row.image_file_id) : undefined;
  if (!file || file.deletedAt !== null) return null;
  return { url: deviceImageUrl(row.id, file.id), etag: file.id };
}
