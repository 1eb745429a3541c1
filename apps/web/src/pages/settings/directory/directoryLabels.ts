import type { DirectoryConnectionStatus, DirectoryKind } from '@thestorage/contracts';
import { ErrorCode } from '@thestorage/contracts';
import { ApiError } from '../../../api/client';

export const directoryKindLabel: Record<DirectoryKind, string> = {
  entra: 'Microsoft Entra ID',
  google: 'Google Workspace',
};

export const connectionStatusLabel: Record<DirectoryConnectionStatus, string> = {
  healthy: 'Healthy',
  failing: 'Failing',
  never_synced: 'Never synced',
  disconnected: 'Disconnected',
};

export const connectionStatusColor: Record<DirectoryConnectionStatus, string> = {
  healthy: 'teal',
  failing: 'red',
  never_synced: 'gray',
  disconnected: 'orange',
};

/** "Nov 29, 2026, 8:00 AM" in the reader's time zone; "Never" for no time. */
export function formatDateTime(iso: string | null): string {
  if (iso === null) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The plan refuses directory sync: shown as an upgrade hint rather than as a failure. */
export function isNotInPlan(error: unknown): boolean {
  return error instanceof ApiError && error.code === ErrorCode.FeatureNotInPlan;
}
