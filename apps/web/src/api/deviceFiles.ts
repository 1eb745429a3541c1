import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { deviceSchema, MAX_IMAGE_SIDE } from '@thestorage/contracts';
import { useMemo } from 'react';
import { apiGetFile, apiSend, apiUpload } from './client';
import { devicePath } from './devices';
import { csrfTokenFrom } from './session';

/** A device's two files (DEV-1). */
export type DeviceFileKind = 'invoice' | 'image';

const MB = 1024 * 1024;

/** What the server accepts for each (the same limits; it checks again, and checks the content too). */
export const DEVICE_FILE_RULES: Record<
  DeviceFileKind,
  { types: readonly string[]; maxBytes: number; label: string }
> = {
  invoice: { types: ['application/pdf'], maxBytes: 2 * MB, label: 'a PDF of at most 2 MB' },
  image: {
    types: ['image/png', 'image/jpeg', 'image/webp'],
    maxBytes: 5 * MB,
    label: `a PNG, JPEG or WebP image of at most 5 MB and ${MAX_IMAGE_SIDE.toLocaleString('en')} pixels a side`,
  },
};

/** Why a chosen file would be refused, before it is sent; null when it may go. */
export function uploadProblem(kind: DeviceFileKind, file: File): string | null {
  const rule = DEVICE_FILE_RULES[kind];
  if (!rule.types.includes(file.type) || file.size > rule.maxBytes || file.size === 0) {
    return `Choose ${rule.label}.`;
  }
  return null;
}

export const deviceFilePath = (id: string, kind: DeviceFileKind) => `${devicePath(id)}/${kind}`;

const withVersion = (path: string, version: number) =>
  `${path}?${new URLSearchParams({ version: String(version) })}`;

/** The file writes of a device, each based on the version the page holds (DEV-6); each answers the device. */
export function deviceFileWrites(queryClient: QueryClient) {
  const options = () => ({ csrfToken: csrfTokenFrom(queryClient) });
  return {
    upload: (id: string, kind: DeviceFileKind, version: number, file: File) =>
      apiUpload(
        withVersion(deviceFilePath(id, kind), version),
        file,
        file.type,
        deviceSchema,
        options(),
        'PUT',
      ),
    remove: (id: string, kind: DeviceFileKind, version: number) =>
      apiSend('DELETE', withVersion(deviceFilePath(id, kind), version), undefined, deviceSchema, options()),
    restoreInvoice: (id: string, version: number) =>
      apiSend('POST', `${deviceFilePath(id, 'invoice')}/restore`, { version }, deviceSchema, options()),
    downloadInvoice: (id: string) => apiGetFile(deviceFilePath(id, 'invoice'), 'application/pdf'),
  };
}

export function useDeviceFileWrites() {
  const queryClient = useQueryClient();
  return useMemo(() => deviceFileWrites(queryClient), [queryClient]);
}

/** "245 KB", "1.8 MB": a file size as people read it. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}
