export {
  type AuditActor,
  type AuditEvent,
  canonicalJson,
  ERASED,
  type FieldChange,
  GENESIS_HASH,
  type JsonValue,
  type NewAuditEvent,
} from './event';
export { migrateAuditStore } from './migrate';
export { recordAuditEvent } from './outbox';
export { purgeActorPersonalData, purgeTenantAudit } from './purge';
export { type AuditEventPage, type ListEventsQuery, listEvents, MAX_AUDIT_PAGE } from './read';
export {
  type AuditRelay,
  type AuditRelayOptions,
  createAuditRelay,
  DEFAULT_RELAY_BATCH,
  type RelayOptions,
  relayAuditOutbox,
} from './relay';
export { type AuditStore, auditStoreInPostgres, openAuditStoreFile } from './store';
export { type AuditVerification, type ChainBreakReason, verifyAuditChain } from './verify';
