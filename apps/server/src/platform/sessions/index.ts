export { createRedisSessionStore } from './redis-session-store';
export { createSessionActorResolver } from './session-actor';
export {
  DEFAULT_SESSION_COOKIE,
  endSession,
  type RequestSession,
  registerSessions,
  type SessionExpiry,
  type SessionManager,
  type SessionPluginOptions,
  startSession,
  updateSession,
} from './session-plugin';
export {
  DEFAULT_SESSION_TIMEOUTS,
  hashSessionId,
  type NewSession,
  type Session,
  type SessionData,
  type SessionLookup,
  type SessionPatch,
  type SessionStore,
  type SessionTimeouts,
} from './session-store';
export { createSqlSessionStore } from './sql-session-store';
