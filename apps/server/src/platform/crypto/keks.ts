import { isUuid } from '../db/ids';
import { type KeyProvider, KeyProviderError } from './key-provider';

/** Who a KEK belongs to: a tenant (its data keys) or an organization (its link keys). */
export type KekOwner = 'tenant' | 'organization';

export interface KekLabel {
  owner: KekOwner;
  ownerId: string;
  /** 1 for the first KEK; each rotation (or re-creation after destruction) takes the next number. */
  version: number;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const LABEL = new RegExp(`^(tenant|organization):(${UUID})(?::v([1-9][0-9]{0,5}))?$`);
/** The provider's own part of a KEK id: a key version, an object id or a random name. */
const REF = /^[0-9a-zA-Z]{1,64}$/;
const MAX_PROBES_PER_LABEL = 16;

/** `tenant:<uuid>`, then `tenant:<uuid>:v2` and so on. */
export function kekLabel(owner: KekOwner, ownerId: string, version = 1): string {
  if (!isUuid(ownerId)) throw new Error('A KEK belongs to a tenant or organization id (UUID)');
  if (!Number.isInteger(version) || version < 1) throw new Error('A KEK version is a positive integer');
  const base = `${owner}:${ownerId.toLowerCase()}`;
  return version === 1 ? base : `${base}:v${version}`;
}

export function parseKekLabel(label: string): KekLabel | undefined {
  const match = LABEL.exec(label);
  if (!match) return undefined;
  return { owner: match[1] as KekOwner, ownerId: match[2] as string, version: Number(match[3] ?? 1) };
}

/** A label the provider accepts, or a 'refused' error. */
export function requireKekLabel(label: string): KekLabel {
  const parsed = parseKekLabel(label);
  if (!parsed)
    throw new KeyProviderError('refused', 'A KEK label is tenant:<uuid> or organization:<uuid>[:vN]');
  return parsed;
}

/**
 * Every provider's KEK ids read `<label>@<ref>`: the label says whose key it is, the ref which key
 * exactly, so a KEK re-created under an old label never answers for the destroyed one.
 */
export const formatKekId = (label: string, ref: string): string => `${label}@${ref}`;

export function parseKekId(kekId: string): { label: string; ref: string; kek: KekLabel } | undefined {
  const at = kekId.lastIndexOf('@');
  if (at < 0) return undefined;
  const label = kekId.slice(0, at);
  const ref = kekId.slice(at + 1);
  const kek = parseKekLabel(label);
  return kek && REF.test(ref) ? { label, ref, kek } : undefined;
}

/** The highest KEK version among these ids for the owner (0 when none is theirs). */
export function highestKekVersion(kekIds: Iterable<string>, owner: KekOwner, ownerId: string): number {
  let top = 0;
  for (const id of kekIds) {
    const kek = parseKekId(id)?.kek;
    if (kek && kek.owner === owner && kek.ownerId === ownerId.toLowerCase()) top = Math.max(top, kek.version);
  }
  return top;
}

/**
 * Destroys an owner's KEKs in the provider: the known ones and every KEK under the owner's labels —
 * older versions a crashed rotation left behind and twins two nodes created at once included.
 * Crypto-shredding (no `belowVersion`) goes one version past the highest known, for an in-flight
 * rotation; a rotation passes its new version and keeps that one.
 */
export async function destroyKeks(
  provider: KeyProvider,
  owner: KekOwner,
  ownerId: string,
  options: { known: Iterable<string>; belowVersion?: number },
): Promise<void> {
  const known = [...new Set(options.known)];
  const below = options.belowVersion ?? Math.max(1, highestKekVersion(known, owner, ownerId)) + 2;
  for (const id of known) {
    const version = parseKekId(id)?.kek.version;
    if (version !== undefined && version < below) await provider.destroyKek(id);
  }
  for (let version = 1; version < below; version += 1) {
    const label = kekLabel(owner, ownerId, version);
    for (let probe = 0; ; probe += 1) {
      const id = await provider.findKek(label);
      if (id === undefined) break;
      if (probe >= MAX_PROBES_PER_LABEL) {
        throw new KeyProviderError('provider_unavailable', `KEK ${label} is still there after destroying it`);
      }
      await provider.destroyKek(id);
    }
  }
}
