import type { DeviceImport, ImportStatus } from '@thestorage/contracts';

export const IMPORT_STATUS_STYLE: Record<ImportStatus, { label: string; color: string }> = {
  uploaded: { label: 'Not checked', color: 'gray' },
  checked: { label: 'Ready to import', color: 'blue' },
  queued: { label: 'Waiting to start', color: 'yellow' },
  running: { label: 'Importing', color: 'blue' },
  completed: { label: 'Completed', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};

/** "1 problem", "1,234 problems". */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** What an import did or found, in one line for the list of recent imports. */
export function importOutcome(deviceImport: DeviceImport): string {
  const { status, summary, problemCount } = deviceImport;
  if (status === 'completed' && summary) {
    return `${summary.create.toLocaleString('en')} created, ${summary.update.toLocaleString('en')} updated, ${summary.unchanged.toLocaleString('en')} unchanged`;
  }
  if (problemCount > 0) return countOf(problemCount, 'problem');
  if (status === 'checked' && summary) return `${countOf(summary.rows, 'row')} ready`;
  return '—';
}

/** A file size as people read it: "812 bytes", "14.2 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
