import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../clock';
import { formatKekId, parseKekId, requireKekLabel } from './keks';
import { DATA_KEY_BYTES, type KeyProvider, KeyProviderError } from './key-provider';

const keyFileSchema = z.object({
  format: z.literal(1),
  keks: z
    .array(z.object({ id: z.string(), label: z.string(), key: z.base64(), createdAt: z.string() }))
    .default([]),
  secrets: z.record(z.string(), z.string()).default({}),
});
type KeyFile = z.infer<typeof keyFileSchema>;

// RFC 5649 AES key wrap with padding, as implemented by OpenSSL (the IV is the RFC's constant).
const KEY_WRAP = 'id-aes256-wrap-pad';
const KEY_WRAP_IV = Buffer.from('A65959A6', 'hex');

export interface LocalKeyProvider extends KeyProvider {
  /** Stores (or replaces) a configuration secret in the key file. */
  storeSecret(name: string, value: string): Promise<void>;
}

/**
 * The embedded default's key custody: one KEK per tenant and organization in a 0600 JSON file under
 * DATA_DIR. It protects against a copied database, not against someone who can read the data folder;
 * production refuses it. Every operation reads and writes the file synchronously, so calls in one
 * process never interleave; the embedded default is a single process.
 */
export function createLocalKeyProvider(opts: { file: string; clock: Clock }): LocalKeyProvider {
  const { file, clock } = opts;

  const load = (): KeyFile => {
    if (!existsSync(file)) return { format: 1, keks: [], secrets: {} };
    // Like ssh with its private keys: a key file others can read is refused, not silently used.
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      throw new KeyProviderError('refused', `The key file ${file} is readable by others: chmod 600 it`);
    }
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new KeyProviderError('provider_unavailable', `The key file ${file} is damaged`, { cause });
    }
    const parsed = keyFileSchema.safeParse(content);
    if (!parsed.success)
      throw new KeyProviderError('provider_unavailable', `The key file ${file} is damaged`);
    return parsed.data;
  };
  // Write-then-rename: a crash leaves the old file or the new one, never half of one.
  const save = (content: KeyFile) => {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  };
  const find = (content: KeyFile, label: string) => content.keks.find((k) => k.label === label);
  const keyOf = (kekId: string): Buffer => {
    const entry = parseKekId(kekId) ? load().keks.find((k) => k.id === kekId) : undefined;
    if (!entry) throw new KeyProviderError('unknown_kek', `KEK ${kekId} is not in the key file`);
    return Buffer.from(entry.key, 'base64');
  };

  return {
    kind: 'local',
    async ping() {
      if (!existsSync(file)) save(load());
      load();
    },
    async createKek(label) {
      requireKekLabel(label);
      const content = load();
      const existing = find(content, label);
      if (existing) return existing.id;
      const id = formatKekId(label, randomBytes(8).toString('hex'));
      content.keks.push({
        id,
        label,
        key: randomBytes(32).toString('base64'),
        createdAt: clock.now().toISOString(),
      });
      save(content);
      return id;
    },
    async findKek(label) {
      requireKekLabel(label);
      return find(load(), label)?.id;
    },
    async destroyKek(kekId) {
      const content = load();
      const kept = content.keks.filter((k) => k.id !== kekId);
      if (kept.length === content.keks.length) return;
      save({ ...content, keks: kept });
    },
    async wrapKey(kekId, dataKey) {
      if (dataKey.length !== DATA_KEY_BYTES) throw new KeyProviderError('refused', 'A data key is 32 bytes');
      const cipher = createCipheriv(KEY_WRAP, keyOf(kekId), KEY_WRAP_IV);
      return Buffer.concat([cipher.update(dataKey), cipher.final()]);
    },
    async unwrapKey(kekId, wrapped) {
      const key = keyOf(kekId);
      try {
        const decipher = createDecipheriv(KEY_WRAP, key, KEY_WRAP_IV);
        return Buffer.concat([decipher.update(wrapped), decipher.final()]);
      } catch (cause) {
        throw new KeyProviderError('unwrap_failed', `Cannot unwrap a data key with ${kekId}`, { cause });
      }
    },
    async getSecret(name) {
      const secrets = load().secrets;
      const value = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
      if (value === undefined)
        throw new KeyProviderError('unknown_secret', `Secret ${name} is not in the key file`);
      return value;
    },
    async storeSecret(name, value) {
      if (!/^[\w.-]{1,127}$/.test(name))
        throw new KeyProviderError('refused', 'A secret name is letters, digits, . _ -');
      const content = load();
      content.secrets[name] = value;
      save(content);
    },
    async close() {},
  };
}
