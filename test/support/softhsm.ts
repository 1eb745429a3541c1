import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SoftHsmToken {
  modulePath: string;
  tokenLabel: string;
  pin: string;
  soPin: string;
  /** Deletes the token; the shared configuration folder goes with the process's last token. */
  cleanup(): void;
}

// Where Debian's softhsm2 package puts the module; SOFTHSM2_MODULE overrides it.
const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
];

/** The SoftHSM2 module of this machine, or undefined when softhsm2 is not installed. */
export function softHsmModule(): string | undefined {
  const candidates = process.env.SOFTHSM2_MODULE ? [process.env.SOFTHSM2_MODULE] : MODULE_CANDIDATES;
  const modulePath = candidates.find((candidate) => existsSync(candidate));
  if (!modulePath) return undefined;
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return modulePath;
}

/**
 * Whether suites should run on SoftHSM2. Under CI=true a missing softhsm2 is a failure, never a skip
 * (ARCHITECTURE rule 9): the call throws so the suite fails loudly.
 */
export function softHsmAvailable(): boolean {
  if (softHsmModule()) return true;
  if (process.env.CI === 'true')
    throw new Error('softhsm2 is required when CI=true (install the softhsm2 package)');
  return false;
}

let shared: { dir: string; conf: string; tokens: number } | undefined;

/**
 * SoftHSM reads SOFTHSM2_CONF when the library is initialized, so every token of one process lives
 * under one configuration: it is made on the first call, before any provider loads the module, and
 * removed with the last token. A token made while a provider holds the library is seen once all closed.
 */
function processConf(): { dir: string; conf: string; tokens: number } {
  if (shared) return shared;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-softhsm-'));
  const tokens = path.join(dir, 'tokens');
  mkdirSync(tokens, { mode: 0o700 });
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokens}\nobjectstore.backend = file\nslots.removable = false\nlog.level = ERROR\n`,
  );
  process.env.SOFTHSM2_CONF = conf;
  shared = { dir, conf, tokens: 0 };
  return shared;
}

/** Initializes a new token with a unique label (user PIN 1234, SO PIN 5678). */
export function createSoftHsmToken(): SoftHsmToken {
  const modulePath = softHsmModule();
  if (!modulePath) throw new Error('softhsm2 is not installed (apt-get install -y softhsm2)');
  const store = processConf();
  const conf = store.conf;
  // Token labels hold at most 32 characters.
  const tokenLabel = `ts-${randomBytes(8).toString('hex')}`;
  const pin = '1234';
  const soPin = '5678';
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync(
    'softhsm2-util',
    ['--init-token', '--free', '--label', tokenLabel, '--pin', pin, '--so-pin', soPin],
    { env, stdio: 'pipe' },
  );
  store.tokens += 1;
  let removed = false;
  return {
    modulePath,
    tokenLabel,
    pin,
    soPin,
    cleanup() {
      if (removed) return;
      removed = true;
      try {
        execFileSync('softhsm2-util', ['--delete-token', '--token', tokenLabel], { env, stdio: 'pipe' });
      } catch {
        // The whole folder goes with the last token anyway.
      }
      store.tokens -= 1;
      if (store.tokens === 0 && shared === store) {
        rmSync(store.dir, { recursive: true, force: true });
        shared = undefined;
      }
    },
  };
}
