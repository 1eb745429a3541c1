import { timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@thestorage/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

/** The header the web app sends the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

export interface CsrfOptions {
  /** The app's own origin(s), e.g. 'https://storage.example.com' (PUBLIC_URL). */
  allowedOrigins: string[];
  /**
   * Also accept the origin the request was addressed to (scheme + Host), for deployments without
   * PUBLIC_URL such as the embedded default on a free port. A cross-site page cannot forge Origin.
   */
  allowRequestOrigin?: boolean;
  /** Paths that bring their own protection (bearer-token SCIM, the development identity provider). */
  exemptPrefixes?: string[];
}

export type CsrfRefusal = 'foreign_origin' | 'no_origin' | 'missing_token' | 'wrong_token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const csrfRefused = () => new AppError(ErrorCode.CsrfFailed, 'Cross-site request refused');

/** The token the browser must echo in `x-csrf-token` (the "who am I" response carries it); null when signed out. */
export function csrfTokenFor(request: FastifyRequest): string | null {
  const secret = request.session?.data.csrfSecret;
  return typeof secret === 'string' ? secret : null;
}

const sameSecret = (sent: string, secret: string): boolean => {
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Why a state-changing request must be refused, or null to let it through. Two independent checks:
 * (a) the browser says it comes from our own origin; (b) a cookie-authenticated request proves it
 * read the session's synchronizer token. A request without a session (bearer-token clients, sign-in
 * start) carries no ambient credential a foreign site could borrow, so (b) does not apply to it and
 * (a) only refuses what the browser itself labels cross-site; a browser cannot attach a bearer token
 * cross-site without a CORS preflight, which this app never grants.
 */
export function csrfRefusal(
  request: FastifyRequest,
  allowedOrigins: ReadonlySet<string>,
  allowRequestOrigin = false,
): CsrfRefusal | null {
  const session = request.session ?? null;
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (origin !== undefined) {
    // 'null' (sandboxed frames, cross-origin redirects) is never ours.
    const own = allowRequestOrigin && origin === `${request.protocol}://${request.host}`;
    if (!own && !allowedOrigins.has(origin)) return 'foreign_origin';
  } else if (fetchSite !== undefined) {
    if (fetchSite !== 'same-origin') return 'foreign_origin';
  } else if (session) {
    // Every current browser sends Origin on a non-GET request; without it, same-origin is unproven.
    return 'no_origin';
  }
  if (!session) return null;
  const sent = request.headers[CSRF_HEADER];
  const secret = csrfTokenFor(request);
  if (typeof sent !== 'string' || sent === '' || !secret) return 'missing_token';
  return sameSecret(sent, secret) ? null : 'wrong_token';
}

/**
 * Refuses cross-site state-changing requests (SEC-14) with 403 `csrf_failed`. Register after
 * registerSessions: the check runs before the body is parsed, once the session is known.
 */
export function registerCsrfProtection(app: FastifyInstance, opts: CsrfOptions): void {
  if (!app.hasRequestDecorator('session')) {
    throw new Error('registerSessions() must be registered before registerCsrfProtection()');
  }
  if (opts.allowedOrigins.length === 0 && !opts.allowRequestOrigin) {
    throw new Error('CSRF protection needs the app origin');
  }
  const allowed = new Set(
    opts.allowedOrigins.map((o) => {
      const url = new URL(o);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Not a web origin: ${o}`);
      return url.origin;
    }),
  );
  const exempt = opts.exemptPrefixes ?? [];

  app.addHook('preParsing', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (exempt.some((prefix) => request.url.startsWith(prefix))) return;
    const refusal = csrfRefusal(request, allowed, opts.allowRequestOrigin);
    if (refusal) {
      request.log.info({ csrf: refusal }, 'cross-site request refused');
      throw csrfRefused();
    }
  });
}
