import { SignInError } from './sign-in-error';

const PLACEHOLDER_ORIGIN = 'https://return-to.invalid';

/**
 * The page to open after sign-in must be on this site: a path starting with one '/', no scheme,
 * no backslash, no control characters, and still on this site once a browser has parsed it.
 */
export function safeReturnTo(returnTo: string | undefined): string {
  if (returnTo === undefined || returnTo === '') return '/';
  const refused = () => new SignInError('open_redirect');
  if (returnTo.length > 2048) throw refused();
  if (!returnTo.startsWith('/') || returnTo.startsWith('//')) throw refused();
  // Browsers read '\' as '/', and drop tabs and newlines, so '/\evil.example' leaves the site.
  if ([...returnTo].some(isBackslashOrControl)) throw refused();
  const parsed = new URL(returnTo, PLACEHOLDER_ORIGIN);
  if (parsed.origin !== PLACEHOLDER_ORIGIN) throw refused();
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

function isBackslashOrControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return char === '\\' || code < 0x20 || code === 0x7f;
}
