import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** Where a sealed value lives: bound into the ciphertext, so a value moved elsewhere no longer opens. */
export interface SealContext {
  tenantId: string;
  table: string;
  column: string;
  rowId: string;
}

/**
 * Envelope encryption for the rest of the code (SEC-9). Every method takes the caller's database
 * handle or transaction (bound to the tenant), so sealing inside a unit of work never opens a second one.
 */
export interface Keyring {
  seal(db: Kysely<DB>, ctx: SealContext, plaintext: string): Promise<string>;
  open(db: Kysely<DB>, ctx: SealContext, sealed: string): Promise<string>;
  sealBytes(db: Kysely<DB>, ctx: SealContext, plaintext: Buffer): Promise<Buffer>;
  openBytes(db: Kysely<DB>, ctx: SealContext, sealed: Buffer): Promise<Buffer>;
}
