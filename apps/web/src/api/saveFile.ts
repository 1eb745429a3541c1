/**
 * Some browsers read a blob URL only after the click has returned: it is revoked a while later, not at
 * once (the file stays in memory until then).
 */
export const REVOKE_AFTER_MS = 30_000;

/** Hands a file the server sent to the browser's downloads as `fileName`, through a temporary object URL. */
export function saveFile(file: Blob, fileName: string, revokeAfterMs = REVOKE_AFTER_MS): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), revokeAfterMs);
  }
}
