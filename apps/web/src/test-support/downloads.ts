import { vi } from 'vitest';

export interface CapturedDownload {
  /** The name the browser saves the file as (the link's `download`). */
  fileName: string;
  file: Blob;
}

/**
 * Stands in for the browser's downloads: object URLs and link clicks are recorded instead of saved, so a
 * test sees which file a person would get. Undo with `vi.restoreAllMocks()`.
 */
export function captureDownloads() {
  const downloads: CapturedDownload[] = [];
  const files = new Map<string, Blob>();
  const revoked: string[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((file) => {
    const url = `blob:https://app.test/file-${files.size + 1}`;
    files.set(url, file as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => {
    revoked.push(url);
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const file = files.get(this.getAttribute('href') ?? '');
    if (this.download && file) downloads.push({ fileName: this.download, file });
  });
  return { downloads, files, revoked };
}
