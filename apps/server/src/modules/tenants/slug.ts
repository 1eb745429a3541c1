import { ErrorCode } from '@thestorage/contracts';
import { AppError } from '../../platform/http/errors';

export const SLUG_MIN = 2;
export const SLUG_MAX = 40;

/** Words that name the service's own paths and hosts, never a tenant. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api',
  'admin',
  'www',
  'dev-idp',
  'health',
  'ready',
  'metrics',
  'assets',
  'static',
  'platform',
]);

const fail = (rule: string) => new AppError(ErrorCode.ValidationFailed, rule, { details: { field: 'slug' } });

/**
 * A tenant address (SPEC section 1): globally unique, 2–40 characters, letters, digits and '-' only.
 * Returns it in lower case so "Berlin" and "berlin" are the same address.
 */
export function normaliseSlug(input: string): string {
  const slug = input.trim().toLowerCase();
  if (slug.length < SLUG_MIN || slug.length > SLUG_MAX) {
    throw fail(`The tenant address must be ${SLUG_MIN} to ${SLUG_MAX} characters long`);
  }
  if (!/^[a-z0-9-]+$/.test(slug)) {
    throw fail('The tenant address may contain only letters, digits and "-"');
  }
  if (slug.startsWith('-') || slug.endsWith('-')) {
    throw fail('The tenant address must not start or end with "-"');
  }
  if (RESERVED_SLUGS.has(slug)) throw fail(`The tenant address "${slug}" is reserved`);
  return slug;
}
