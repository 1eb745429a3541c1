/**
 * Custody of master keys (SEC-10). A master key never leaves its provider: data keys are wrapped and
 * unwrapped inside it. Master keys are versioned; the newest version wraps new data keys.
 */
export interface KeyProvider {
  readonly kind: 'local' | 'pkcs11' | 'azure-keyvault';
  /** Id of the master key that wraps new data keys; creates the first version when there is none. */
  activeMasterKeyId(): Promise<string>;
  /** Creates a new master key version, makes it the active one and returns its id. */
  rotateMasterKey(): Promise<string>;
  /** Wraps a 32-byte data key under the named master key. */
  wrapKey(masterKeyId: string, dataKey: Buffer): Promise<Buffer>;
  /** Unwraps a data key; fails when the master key is unknown or the wrapped bytes were altered. */
  unwrapKey(masterKeyId: string, wrapped: Buffer): Promise<Buffer>;
  /** Resolves a `secret:NAME` configuration reference. */
  getSecret(name: string): Promise<string>;
  close(): Promise<void>;
}

/** A provider refused or failed an operation; the message never contains key material. */
export class KeyProviderError extends Error {
  constructor(
    readonly code:
      | 'unknown_master_key'
      | 'unwrap_failed'
      | 'unknown_secret'
      | 'provider_unavailable'
      | 'refused',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KeyProviderError';
  }
}

export const DATA_KEY_BYTES = 32;
