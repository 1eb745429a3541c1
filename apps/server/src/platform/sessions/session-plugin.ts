import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock';
import { unauthenticated } from '../http/errors';
import {
  mergeData,
  newCsrfSecret,
  type Session,
  type SessionData,
  type SessionPatch,
  type SessionStore,
} from './session-store';

/** The signed-in browser, as routes see it. */
export interface RequestSession {
  id: string;
  userId: string;
  activeTenantId: string | null;
  data: SessionData;
}

export interface SessionExpiry {
  userId: string;
  reason: 'idle' | 'absolute';
}

export interface SessionPluginOptions {
  store: SessionStore;
  clock: Clock;
  cookieName?: string;
  /** Only for plain-HTTP development setups; a `__Host-` cookie name requires it. */
  secureCookies?: boolean;
  /** Called when a browser presents a session that timed out (for the authentication log, SEC-13). */
  onSessionExpired?: (request: FastifyRequest, expiry: SessionExpiry) => void | Promise<void>;
}

/** What startSession/endSession need; kept on the app so route plugins reach it through reply.server. */
export interface SessionManager {
  store: SessionStore;
  clock: Clock;
  cookieName: string;
  cookieOptions: CookieSerializeOptions;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: RequestSession | null;
  }
  interface FastifyInstance {
    sessionManager: SessionManager;
  }
}

export const DEFAULT_SESSION_COOKIE = '__Host-thestorage';

// 256 bits in base64url; anything else is not one of ours and is not worth a store lookup.
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Requests whose session the hook has already resolved (the actor resolver insists on it). */
const resolved = new WeakSet<FastifyRequest>();

export const sessionResolved = (request: FastifyRequest): boolean => resolved.has(request);

const toRequestSession = (s: Session): RequestSession => ({
  id: s.id,
  userId: s.userId,
  activeTenantId: s.activeTenantId,
  data: s.data,
});

const managerOf = (instance: FastifyInstance): SessionManager => {
  if (!instance.hasDecorator('sessionManager')) throw new Error('registerSessions() has not been called');
  return instance.sessionManager;
};

function cookieOf(request: FastifyRequest, cookieName: string): string | undefined {
  const cookies = request.cookies ?? request.server.parseCookie(request.headers.cookie ?? '');
  return cookies[cookieName];
}

/**
 * Loads the browser's server-side session into `request.session` on every request and slides its
 * idle timeout. Register before registerActorResolution (the actor comes from the session).
 */
export async function registerSessions(
  app: FastifyInstance,
  opts: SessionPluginOptions,
): Promise<SessionManager> {
  const cookieName = opts.cookieName ?? DEFAULT_SESSION_COOKIE;
  const secure = opts.secureCookies ?? true;
  if (cookieName.startsWith('__Host-') && !secure) {
    throw new Error('A __Host- cookie must be Secure: set secureCookies or use another cookie name');
  }
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);

  const manager: SessionManager = {
    store: opts.store,
    clock: opts.clock,
    cookieName,
    // No Domain: with the __Host- prefix the browser sends it to this exact host only.
    cookieOptions: { path: '/', httpOnly: true, secure, sameSite: 'lax' },
  };
  app.decorate('sessionManager', manager);
  app.decorateRequest('session', null);

  app.addHook('onRequest', async (request, reply) => {
    resolved.add(request);
    const id = cookieOf(request, cookieName);
    if (id === undefined) return;
    if (!SESSION_ID.test(id)) {
      reply.clearCookie(cookieName, manager.cookieOptions);
      return;
    }
    const now = opts.clock.now();
    const found = await opts.store.lookup(id, now);
    if (found.state !== 'active') {
      reply.clearCookie(cookieName, manager.cookieOptions);
      if (found.state === 'expired') {
        await opts.onSessionExpired?.(request, { userId: found.userId, reason: found.reason });
      }
      return;
    }
    request.session = toRequestSession(found.session);
    if (now.getTime() - found.session.lastSeenAt.getTime() >= opts.store.timeouts.touchIntervalMs) {
      await opts.store.touch(id, now);
    }
  });
  return manager;
}

/**
 * Signs the browser in: revokes whatever session it had (rotation: an id planted before sign-in is
 * useless after it), creates a new one with a fresh CSRF secret and sets the cookie.
 */
export async function startSession(
  reply: FastifyReply,
  input: { userId: string; activeTenantId: string | null; data?: SessionData },
): Promise<RequestSession> {
  const manager = managerOf(reply.server);
  const request = reply.request;
  const presented = cookieOf(request, manager.cookieName);
  if (presented !== undefined) await manager.store.revoke(presented);
  if (request.session && request.session.id !== presented) await manager.store.revoke(request.session.id);

  const { id, session } = await manager.store.create(
    {
      userId: input.userId,
      activeTenantId: input.activeTenantId,
      data: { ...input.data, csrfSecret: newCsrfSecret() },
    },
    manager.clock.now(),
  );
  reply.setCookie(manager.cookieName, id, manager.cookieOptions);
  request.session = toRequestSession(session);
  return request.session;
}

/** Signs the browser out: the session is revoked in the shared store, so every node refuses it. */
export async function endSession(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<RequestSession | null> {
  const manager = managerOf(request.server);
  const ended = request.session;
  const presented = cookieOf(request, manager.cookieName);
  if (ended) await manager.store.revoke(ended.id);
  if (presented !== undefined && presented !== ended?.id) await manager.store.revoke(presented);
  if (presented !== undefined || ended) reply.clearCookie(manager.cookieName, manager.cookieOptions);
  request.session = null;
  return ended;
}

/** Changes the current session (tenant switch, sign-up flags) in the store and on this request. */
export async function updateSession(request: FastifyRequest, patch: SessionPatch): Promise<RequestSession> {
  const manager = managerOf(request.server);
  const current = request.session;
  // Revoked meanwhile (sign-out on another node): the caller is no longer signed in.
  if (!current || !(await manager.store.update(current.id, patch))) throw unauthenticated();
  request.session = {
    ...current,
    activeTenantId: patch.activeTenantId !== undefined ? patch.activeTenantId : current.activeTenantId,
    data: mergeData(current.data, patch.data),
  };
  return request.session;
}
