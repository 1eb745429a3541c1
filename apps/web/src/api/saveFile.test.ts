import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDownloads } from '../test-support/downloads';
import { REVOKE_AFTER_MS, saveFile } from './saveFile';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('saving a file the server sent', () => {
  it('DEV-10: downloads the file under its name through a temporary link, and frees it afterwards', async () => {
    vi.useFakeTimers();
    const { downloads, files, revoked } = captureDownloads();
    const pdf = new Blob(['%PDF-1.7 labels'], { type: 'application/pdf' });

    saveFile(pdf, 'device-labels.pdf');

    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.fileName).toBe('device-labels.pdf');
    expect(await downloads[0]?.file.text()).toBe('%PDF-1.7 labels');
    // The link was only a means: nothing is left in the page.
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    // The URL stays valid while the browser starts the download, then is revoked.
    vi.advanceTimersByTime(REVOKE_AFTER_MS - 1);
    expect(revoked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(revoked).toEqual([...files.keys()]);
  });
});
