/**
 * Custody of key-encryption keys (SEC-10, SEC-12). Each tenant and each organization has its own KEK,
 * created inside the provider and never leaving it: data keys are wrapped and unwrapped inside it.
 * Destroying a KEK makes every copy of what it wrapped unreadable, backups included.
 */
export interface KeyProvider {
  readonly kind: 'local' | 'pkcs11' | 'azure-keyvault';
  /** Fails when the provider cannot be used (unreachable, refused); creates the local key file on first start. */
  ping(): Promise<void>;
  /**
   * The id of the KEK with this label (see keks.ts), created when there is none. Idempotent per label
   * within one provider; two nodes racing may each create one, and the family destruction removes both.
   */
  createKek(label: string): Promise<string>;
  /** The id of a KEK with this label, or undefined when there is none (never created, or destroyed). */
  findKek(label: string): Promise<string | undefined>;
  /** Destroys the KEK inside the provider; wrapping or unwrapping with it fails afterwards. Idempotent. */
  destroyKek(kekId: string): Promise<void>;
  /** Wraps a 32-byte data key under the KEK. */
  wrapKey(kekId: string, dataKey: Buffer): Promise<Buffer>;
  /** Unwraps a data key; fails when the KEK is unknown or destroyed, or the wrapped bytes were altered. */
  unwrapKey(kekId: string, wrapped: Buffer): Promise<Buffer>;
  /** Resolves a `secret:NAME` configuration reference. */
  getSecret(name: string): Promise<string>;
  close(): Promise<void>;
}

/** A provider refused or failed an operation; the message never contains key material. */
export class KeyProviderError extends Error {
  constructor(
    readonly code: 'unknown_kek' | 'unwrap_failed' | 'unknown_secret' | 'provider_unavailable' | 'refused',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KeyProviderError';
  }
}

/** True when the error means the KEK is gone (destroyed, or never existed here). */
export const isUnknownKek = (err: unknown): boolean =>
  err instanceof KeyProviderError && err.code === 'unknown_kek';

export const DATA_KEY_BYTES = 32;
