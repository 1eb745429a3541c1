import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; a browser is never downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable: boolean = existsSync(chromiumPath);
/** On CI a missing browser is a failure, not a reason to skip. */
export const browserRequired: boolean = process.env.CI === 'true';
export const runBrowserTests: boolean = browserAvailable || browserRequired;

// Without the background-networking flags Chromium floods the closed network with refused connections.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, the form Chromium's SPKI allow-list takes. */
export function spkiFingerprint(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export interface ChromiumSession {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** PEM of the server's leaf certificate: only this key is trusted beyond the normal checks. */
  trustCertificatePem?: string;
  viewport?: { width: number; height: number };
}

/** Starts Chromium with a fresh profile that is deleted on close. */
export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumSession> {
  if (!browserAvailable) {
    throw new Error(
      `Chromium was not found at ${chromiumPath}. Install Debian's "chromium" package or set CHROMIUM_PATH; ` +
        'browser tests must not be skipped on CI.',
    );
  }
  const args = [...CHROMIUM_ARGS];
  if (options.trustCertificatePem) {
    args.push(`--ignore-certificate-errors-spki-list=${spkiFingerprint(options.trustCertificatePem)}`);
  }
  const userDataDir = mkdtempSync(join(os.tmpdir(), 'thestorage-chromium-'));
  try {
    // A persistent context owns --user-data-dir, which Chromium requires before it honours the SPKI list.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: 'light',
      locale: 'en-US',
    });
    return {
      context,
      newPage: () => context.newPage(),
      async close() {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
