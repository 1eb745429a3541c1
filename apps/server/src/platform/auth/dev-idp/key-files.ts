import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** A private signing key as oidc-provider takes it (`jwks.keys[]`). */
export interface PrivateSigningJwk {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

const privateJwkSchema = z.object({
  kty: z.literal('RSA'),
  kid: z.string().min(1),
  alg: z.literal('RS256'),
  use: z.literal('sig'),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});
const jwksFileSchema = z.object({ keys: z.array(privateJwkSchema).min(1) });
const clientsFileSchema = z.object({
  clients: z.record(z.string(), z.object({ clientSecret: z.string().min(32) })),
});

/** `${dataDir}/dev-idp`: created 0700 so only the server's user can read the keys inside. */
export function devIdpDirectory(dataDir: string): string {
  const dir = join(dataDir, 'dev-idp');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function writeSecretFile(file: string, value: unknown) {
  // Write-then-rename: a crash mid-write never leaves a half key file that would be read at the next start.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

function readSecretFile(file: string): unknown {
  // A file copied in with looser permissions is tightened rather than left readable by others.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`${file} is not valid JSON; delete it to let the development provider create a new one`, {
      cause,
    });
  }
}

/** RFC 7638 thumbprint: the same key always gets the same kid. */
function thumbprint(jwk: { e: string; n: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function newSigningKey(): PrivateSigningJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const parts = privateJwkSchema.omit({ kid: true, alg: true, use: true }).parse({ ...jwk, kty: 'RSA' });
  return { ...parts, kid: thumbprint(parts), alg: 'RS256', use: 'sig' };
}

/**
 * The ID-token signing keys in `${dir}/jwks.json` (0600), created on the first start and reused after, so a
 * restart does not invalidate tokens in flight.
 */
export function loadOrCreateSigningKeys(dir: string): { keys: PrivateSigningJwk[] } {
  const file = join(dir, 'jwks.json');
  if (!existsSync(file)) writeSecretFile(file, { keys: [newSigningKey()] });
  const parsed = jwksFileSchema.safeParse(readSecretFile(file));
  if (!parsed.success) {
    throw new Error(
      `${file} does not hold RS256 signing keys; delete it to let the development provider create one`,
    );
  }
  return parsed.data;
}

/**
 * Secrets of the confidential clients in `${dir}/clients.json` (0600): generated once per client id and kept,
 * so the app and the provider agree across restarts.
 */
export function loadOrCreateClientSecrets(dir: string, clientIds: readonly string[]): Map<string, string> {
  const file = join(dir, 'clients.json');
  let stored: z.infer<typeof clientsFileSchema> = { clients: {} };
  if (existsSync(file)) {
    const parsed = clientsFileSchema.safeParse(readSecretFile(file));
    if (!parsed.success) {
      throw new Error(
        `${file} is not a client secrets file; delete it to let the development provider create one`,
      );
    }
    stored = parsed.data;
  }
  const missing = clientIds.filter((id) => !stored.clients[id]);
  if (missing.length > 0) {
    for (const id of missing) stored.clients[id] = { clientSecret: randomBytes(32).toString('base64url') };
    writeSecretFile(file, stored);
  }
  return new Map(clientIds.map((id) => [id, stored.clients[id]!.clientSecret]));
}
