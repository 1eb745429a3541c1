import { type Stats, unwatchFile, watchFile } from 'node:fs';
import type { Clock } from '../clock';
import { type CertificatePair, loadCertificatePair, TlsConfigError } from './certificate';

export interface CertificateWatchOptions {
  certFile: string;
  keyFile: string;
  /** How often both files are polled; default 5000 ms. */
  intervalMs?: number;
  clock: Clock;
  onReload(pair: CertificatePair): void;
  onError(err: TlsConfigError): void;
}

export const DEFAULT_WATCH_INTERVAL_MS = 5000;

function changed(current: Stats, previous: Stats): boolean {
  return (
    current.mtimeMs !== previous.mtimeMs ||
    current.ctimeMs !== previous.ctimeMs ||
    current.size !== previous.size ||
    current.ino !== previous.ino
  );
}

function asConfigError(err: unknown, certFile: string): TlsConfigError {
  if (err instanceof TlsConfigError) return err;
  return new TlsConfigError('tls_cert_invalid', `TLS certificate ${certFile} could not be loaded`, {
    cause: err,
  });
}

/**
 * Picks up a renewed certificate without restart (SEC-1). Polling (fs.watchFile) survives editors and
 * atomic renames that replace the watched inode. A pair that fails validation is reported and ignored,
 * so a half-written renewal never replaces the certificate being served.
 */
export function watchCertificateFiles(opts: CertificateWatchOptions): { close(): void } {
  const intervalMs = opts.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  // Wait one more poll so that a renewal writing both files is validated as a pair.
  const debounceMs = Math.max(intervalMs, 100);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let served: { certPem: string; keyPem: string } | undefined;
  try {
    served = loadCertificatePair(opts.certFile, opts.keyFile, opts.clock.now());
  } catch {
    // Nothing valid on disk yet: the first valid pair that appears is reported.
  }

  const check = (): void => {
    timer = undefined;
    if (closed) return;
    let pair: CertificatePair;
    try {
      pair = loadCertificatePair(opts.certFile, opts.keyFile, opts.clock.now());
    } catch (err) {
      opts.onError(asConfigError(err, opts.certFile));
      return;
    }
    if (served && served.certPem === pair.certPem && served.keyPem === pair.keyPem) return;
    try {
      opts.onReload(pair);
      served = pair;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const message = `TLS certificate ${opts.certFile} could not be put into service (${reason})`;
      opts.onError(new TlsConfigError('tls_cert_invalid', message, { cause: err }));
    }
  };

  const listener = (current: Stats, previous: Stats): void => {
    if (closed || !changed(current, previous)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
    timer.unref();
  };

  const watchOptions = { interval: intervalMs, persistent: false };
  watchFile(opts.certFile, watchOptions, listener);
  watchFile(opts.keyFile, watchOptions, listener);

  return {
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      unwatchFile(opts.certFile, listener);
      unwatchFile(opts.keyFile, listener);
    },
  };
}
