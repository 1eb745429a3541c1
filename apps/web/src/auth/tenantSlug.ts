/** SPEC section 1: a tenant's address is 2–40 characters, letters, digits and '-', globally unique. */
export const TENANT_SLUG_RULE =
  '2–40 characters: letters, digits and “-”. It is part of addresses and must be unique.';

const SLUG_PATTERN = /^[a-z0-9-]{2,40}$/;

/** What is wrong with a typed address, or null when it follows the rule (uniqueness is the server's call). */
export function tenantSlugProblem(slug: string): string | null {
  if (slug.length < 2) return 'Use at least 2 characters.';
  if (slug.length > 40) return 'Use at most 40 characters.';
  if (!SLUG_PATTERN.test(slug)) return 'Use only letters, digits and “-”.';
  return null;
}

/** The address typed so far, lower-cased as the person types (addresses are case-insensitive). */
export function normaliseSlugInput(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '-');
}

/** A suggestion from a name: "Berlin Office" → "berlin-office". */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

export const TAKEN_SLUG_MESSAGE = 'This tenant address is already taken';
