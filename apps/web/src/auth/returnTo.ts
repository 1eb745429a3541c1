/** Accepts only a path of this app (`/x…`): never another origin, `//host` or `/\host` (open redirect). */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Control characters could smuggle a different target past a naive server-side check.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  if (value === '/sign-in' || value.startsWith('/sign-in?') || value.startsWith('/sign-in/'))
    return undefined;
  return value;
}

/** The address that starts a sign-in at a provider: a full-page navigation, the server takes over from there. */
export function signInStartUrl(providerId: string, returnTo: string | undefined): string {
  const base = `/auth/sign-in/${encodeURIComponent(providerId)}`;
  return returnTo ? `${base}?${new URLSearchParams({ returnTo }).toString()}` : base;
}
