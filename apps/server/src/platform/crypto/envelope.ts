import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealContext } from './keyring';

/**
 * AES-256-GCM sealing of one value (SEC-9). Pure functions: the caller brings the data key and its
 * version. Text: `ts1.<keyVersion>.<base64url(iv | ciphertext | tag)>`. Bytes: 'T' 'S' 0x01,
 * key version (uint32 BE), iv, ciphertext, tag. The associated data binds tenant, table, column,
 * row and key version, so a value copied to another place (or relabelled) no longer opens.
 */

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MAX_KEY_VERSION = 0x7fff_ffff;

const TEXT_PREFIX = 'ts1';
const TEXT_FORMAT = /^ts1\.([1-9][0-9]{0,9})\.([A-Za-z0-9_-]+)$/;
const BINARY_MAGIC = Buffer.from([0x54, 0x53, 0x01]);
const BINARY_HEADER_BYTES = BINARY_MAGIC.length + 4;
const AD_LABEL = 'thestorage.sealed-value.v1';

export type SealedValueErrorCode = 'malformed' | 'authentication_failed' | 'key_retired' | 'key_destroyed';

const messages: Record<SealedValueErrorCode, string> = {
  malformed: 'The sealed value is not in a known format',
  authentication_failed:
    'The sealed value failed authentication: it was altered, or belongs to another tenant, row or column',
  key_retired: 'The sealed value uses a retired data key version; it should have been re-encrypted',
  key_destroyed: 'The data key of this sealed value was destroyed; the value can no longer be read',
};

/** A value cannot be opened. The message names the reason only, never plaintext or key material. */
export class SealedValueError extends Error {
  readonly code: SealedValueErrorCode;
  readonly keyVersion: number | undefined;

  constructor(code: SealedValueErrorCode, options: { keyVersion?: number; cause?: unknown } = {}) {
    super(
      options.keyVersion === undefined
        ? messages[code]
        : `${messages[code]} (key version ${options.keyVersion})`,
      { cause: options.cause },
    );
    this.name = 'SealedValueError';
    this.code = code;
    this.keyVersion = options.keyVersion;
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error('A data key is 32 bytes');
}

function assertVersion(keyVersion: number): void {
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > MAX_KEY_VERSION) {
    throw new Error('A key version is an integer from 1 to 2^31-1');
  }
}

/** Length-prefixed fields, so no two different contexts encode to the same bytes. */
export function associatedData(ctx: SealContext, keyVersion: number): Buffer {
  const fields = [AD_LABEL, ctx.tenantId.toLowerCase(), ctx.table, ctx.column, ctx.rowId, String(keyVersion)];
  return Buffer.concat(
    fields.flatMap((field) => {
      const bytes = Buffer.from(field, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

function encrypt(key: Buffer, keyVersion: number, ctx: SealContext, plaintext: Buffer): Buffer {
  assertKey(key);
  assertVersion(keyVersion);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(ctx, keyVersion));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

function decrypt(key: Buffer, keyVersion: number, ctx: SealContext, body: Buffer): Buffer {
  assertKey(key);
  if (body.length < IV_BYTES + TAG_BYTES) throw new SealedValueError('malformed');
  const iv = body.subarray(0, IV_BYTES);
  const tag = body.subarray(body.length - TAG_BYTES);
  // Checked here as well as by the option: a short tag would make forgery cheap.
  if (tag.length !== TAG_BYTES) throw new SealedValueError('malformed');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(ctx, keyVersion));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new SealedValueError('authentication_failed', { keyVersion });
  }
}

interface ParsedText {
  keyVersion: number;
  body: Buffer;
}

function parseText(sealed: string): ParsedText {
  const match = TEXT_FORMAT.exec(sealed);
  if (!match) throw new SealedValueError('malformed');
  const keyVersion = Number(match[1]);
  const encoded = match[2] as string;
  const body = Buffer.from(encoded, 'base64url');
  // Only the canonical encoding is accepted: unused trailing bits must not be a second spelling.
  if (keyVersion > MAX_KEY_VERSION || body.toString('base64url') !== encoded) {
    throw new SealedValueError('malformed');
  }
  return { keyVersion, body };
}

function parseBinary(sealed: Buffer): { keyVersion: number; body: Buffer } {
  if (sealed.length < BINARY_HEADER_BYTES || !sealed.subarray(0, BINARY_MAGIC.length).equals(BINARY_MAGIC)) {
    throw new SealedValueError('malformed');
  }
  const keyVersion = sealed.readUInt32BE(BINARY_MAGIC.length);
  if (keyVersion < 1 || keyVersion > MAX_KEY_VERSION) throw new SealedValueError('malformed');
  return { keyVersion, body: sealed.subarray(BINARY_HEADER_BYTES) };
}

/** The key version a sealed value needs, read from its header without opening it. */
export function readKeyVersion(sealed: string | Buffer): number {
  return typeof sealed === 'string' ? parseText(sealed).keyVersion : parseBinary(sealed).keyVersion;
}

export function sealText(key: Buffer, keyVersion: number, ctx: SealContext, plaintext: string): string {
  const bytes = Buffer.from(plaintext, 'utf8');
  // A lone surrogate would come back as U+FFFD: refuse it rather than return something else later.
  if (bytes.toString('utf8') !== plaintext) throw new Error('Only well-formed Unicode text can be sealed');
  const body = encrypt(key, keyVersion, ctx, bytes);
  return `${TEXT_PREFIX}.${keyVersion}.${body.toString('base64url')}`;
}

/** `key` must be the data key of the version in the header (see readKeyVersion). */
export function openText(key: Buffer, ctx: SealContext, sealed: string): string {
  const { keyVersion, body } = parseText(sealed);
  return decrypt(key, keyVersion, ctx, body).toString('utf8');
}

export function sealBinary(key: Buffer, keyVersion: number, ctx: SealContext, plaintext: Buffer): Buffer {
  const header = Buffer.alloc(BINARY_HEADER_BYTES);
  BINARY_MAGIC.copy(header);
  assertVersion(keyVersion);
  header.writeUInt32BE(keyVersion, BINARY_MAGIC.length);
  return Buffer.concat([header, encrypt(key, keyVersion, ctx, plaintext)]);
}

/** `key` must be the data key of the version in the header (see readKeyVersion). */
export function openBinary(key: Buffer, ctx: SealContext, sealed: Buffer): Buffer {
  const { keyVersion, body } = parseBinary(sealed);
  return decrypt(key, keyVersion, ctx, body);
}
