import type { Plan } from '@thestorage/contracts';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The SQL schema as stored (snake_case), shared by SQLite and PostgreSQL.
 * ids: UUIDv7 text; timestamps: ISO-8601 UTC text; booleans: integer 0/1; JSON: text.
 */

export type { Plan };
export type MembershipRole = 'administrator' | 'operator' | 'viewer';
export type MembershipStatus = 'pending' | 'registered';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A customer company; platform-level (no tenant_id). */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A logical split of an organization's inventory; platform-level (it *is* the tenant). */
export interface TenantsTable {
  id: string;
  organization_id: string;
  slug: string;
  name: string;
  plan: Plan;
  trial_ends_at: string;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A person's role in one tenant (or every tenant of the organization when is_global = 1). */
export interface MembershipsTable {
  id: string;
  tenant_id: string;
  organization_id: string;
  /** Opaque reference to a person; never a name (SEC-5/6). */
  subject_ref: string;
  /** Invitee address, kept so a pending invitation can be matched at first sign-in. */
  email: string | null;
  role: MembershipRole;
  is_global: 0 | 1;
  status: MembershipStatus;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** Leased background work; tenant_id null = a platform job. */
export interface JobsTable {
  id: string;
  tenant_id: string | null;
  kind: string;
  /** JSON text. */
  payload: string;
  status: JobStatus;
  progress_done: Generated<number>;
  progress_total: number | null;
  progress_message: string | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  /** JSON text. */
  result: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** Set for a job that may exist once per key (e.g. 'files.purge:2026-11-29'); null otherwise. */
  unique_key: string | null;
}

export interface DB {
  organizations: OrganizationsTable;
  tenants: TenantsTable;
  memberships: MembershipsTable;
  jobs: JobsTable;
  tenant_keys: TenantKeysTable;
  organization_link_keys: OrganizationLinkKeysTable;
  tenant_secrets: TenantSecretsTable;
  files: FilesTable;
  audit_outbox: AuditOutboxTable;
  audit_chain_heads: AuditChainHeadsTable;
  sessions: SessionsTable;
  users: UsersTable;
  sign_in_states: SignInStatesTable;
  organization_sign_in: OrganizationSignInTable;
  auth_events: AuthEventsTable;
  directory_connections: DirectoryConnectionsTable;
  scim_tokens: ScimTokensTable;
  categories: CategoriesTable;
  places: PlacesTable;
  tags: TagsTable;
  vendors: VendorsTable;
  inventory_settings: InventorySettingsTable;
  devices: DevicesTable;
  device_imports: DeviceImportsTable;
  device_tags: DeviceTagsTable;
  device_comments: DeviceCommentsTable;
  exchange_rates: ExchangeRatesTable;
  exchange_rate_fetches: ExchangeRateFetchesTable;
  money_settings: MoneySettingsTable;
  manual_exchange_rates: ManualExchangeRatesTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewOrganizationRow = Insertable<OrganizationsTable>;
export type TenantRow = Selectable<TenantsTable>;
export type NewTenantRow = Insertable<TenantsTable>;
export type TenantRowUpdate = Updateable<TenantsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type NewMembershipRow = Insertable<MembershipsTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type JobRowUpdate = Updateable<JobsTable>;

// --- Encrypted file store (issue 3) ---

export type FilePurpose = 'invoice' | 'device_image' | 'device_import';

/** A tenant's uploaded file; `content` holds the sealed bytes, `size_bytes` the plaintext size. */
export interface FilesTable {
  id: string;
  tenant_id: string;
  purpose: FilePurpose;
  content_type: string;
  size_bytes: number;
  content: Buffer;
  created_at: string;
  created_by: string | null;
  /** Soft delete: unreadable from here on, purged once purge_after has passed. */
  deleted_at: string | null;
  purge_after: string | null;
  version: Generated<number>;
}

export type FileRow = Selectable<FilesTable>;
export type NewFileRow = Insertable<FilesTable>;

// --- Audit outbox (issue 3, SEC-7) ---

/**
 * An audit event written in the same transaction as the change it describes; the relay moves it into
 * the audit store (which adds seq and the chain hashes) and deletes it here.
 */
export interface AuditOutboxTable {
  /** The event id (UUIDv7), kept in the audit store: the relay skips ids it already moved. */
  id: string;
  tenant_id: string;
  occurred_at: string;
  actor_id: string;
  actor_email: string;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  /** Canonical JSON text of the field-level changes. */
  changes: string;
  request_id: string | null;
}

export type AuditOutboxRow = Selectable<AuditOutboxTable>;

// --- Envelope encryption: data keys, link keys, tenant secrets (issue 3, SEC-6/9/12) ---

export type TenantKeyState = 'active' | 'decrypt_only' | 'retired';

/** A tenant's data key versions, stored only wrapped by the tenant's KEK; exactly one is active. */
export interface TenantKeysTable {
  tenant_id: string;
  version: number;
  wrapped_key: Buffer;
  /** The id of the KEK (in the key provider) that wraps this key. */
  master_key_id: string;
  state: TenantKeyState;
  created_at: string;
  retired_at: string | null;
}

/** An organization's key for employee references (SEC-6); platform-level. Destroyed = wrapped_key null. */
export interface OrganizationLinkKeysTable {
  organization_id: string;
  version: number;
  wrapped_key: Buffer | null;
  /** The id of the organization's KEK that wraps (or wrapped) this key. */
  master_key_id: string;
  created_at: string;
  destroyed_at: string | null;
}

/** Credentials a tenant stores (identity provider, directory, SMTP), sealed with its data key. */
export interface TenantSecretsTable {
  id: string;
  tenant_id: string;
  name: string;
  sealed_value: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export type TenantKeyRow = Selectable<TenantKeysTable>;
export type OrganizationLinkKeyRow = Selectable<OrganizationLinkKeysTable>;
export type TenantSecretRow = Selectable<TenantSecretsTable>;

/** The newest event of a tenant's chain as the relay last appended it: verify checks the chain reaches it. */
export interface AuditChainHeadsTable {
  tenant_id: string;
  seq: number;
  event_id: string;
  hash: string;
}

// --- Sessions (issue 4, SEC-14) ---

/** A signed-in browser; platform-level. Keyed by the SHA-256 of the cookie value, never the value itself. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  active_tenant_id: string | null;
  /** JSON text: the CSRF secret and small flags. */
  data: string;
  created_at: string;
  last_seen_at: string;
  /** Slides with activity, never past absolute_expires_at. */
  idle_expires_at: string;
  absolute_expires_at: string;
}

export type SessionRow = Selectable<SessionsTable>;

// --- Identity and sign-in (issue 4) ---

/** A person known by issuer + subject (SEC-4); no password or hash of one exists anywhere. */
export interface UsersTable {
  id: string;
  issuer: string;
  subject: string;
  provider_kind: string;
  /** From the ID token: matches invitations and names members on the Users & Roles page. */
  email: string | null;
  /** Entra tenant id or Google Workspace domain: which organization directory the person is in. */
  directory: string | null;
  /** The directory identity employee references are computed from (SEC-6); null without a directory. */
  employee_identity: string | null;
  created_at: string;
  last_sign_in_at: string | null;
  disabled_at: string | null;
}
export type UserRow = Selectable<UsersTable>;

/** A started sign-in, by the SHA-256 of its state; `pending` is cleared once the state is used. */
export interface SignInStatesTable {
  state_hash: string;
  pending: string | null;
  expires_at: number;
  used_at: number | null;
}

/** The identity providers whose people an organization accepts (JSON list), and its MFA rule. */
export interface OrganizationSignInTable {
  organization_id: string;
  accepted: string;
  require_mfa: number;
  updated_at: string;
  version: Generated<number>;
}

export type AuthEventOutcome = 'started' | 'success' | 'failure' | 'sign_out' | 'session_expired';

/** The authentication log (SEC-13): read only in the platform console. */
export interface AuthEventsTable {
  id: string;
  occurred_at: string;
  outcome: AuthEventOutcome;
  reason: string | null;
  provider: string | null;
  tenant_id: string | null;
  subject_ref: string | null;
  ip: string | null;
  user_agent: string | null;
}
export type AuthEventRow = Selectable<AuthEventsTable>;

// --- Directory connections (issue 5, DIR-1…DIR-3) ---

export type DirectoryConnectionKind = 'entra' | 'google';
export type DirectoryConnectionStatus = 'never_synced' | 'healthy' | 'failing' | 'disconnected';

/** An organization's directory; settings JSON holds no secret, and no column holds a person (SEC-5). */
export interface DirectoryConnectionsTable {
  id: string;
  tenant_id: string;
  organization_id: string;
  kind: DirectoryConnectionKind;
  /** JSON text. */
  settings: string;
  delta_token: string | null;
  status: DirectoryConnectionStatus;
  last_sync_at: string | null;
  last_success_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  last_count: number | null;
  sync_time: Generated<string>;
  sync_time_zone: Generated<string>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}
export type DirectoryConnectionRow = Selectable<DirectoryConnectionsTable>;

// --- SCIM provisioning (issue 5, DIR-4) ---

/** A tenant's SCIM bearer token, as its SHA-256 only: the token itself is shown once, never stored. */
export interface ScimTokensTable {
  id: string;
  tenant_id: string;
  organization_id: string;
  /** SHA-256 hex of the 256-bit random token. */
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}
export type ScimTokenRow = Selectable<ScimTokensTable>;

// ---------------------------------------------------------------- inventory (issue 6)

interface NamedTenantRow {
  id: string;
  tenant_id: string;
  name: string;
  /** Lower-cased name: uniqueness per tenant is case-insensitive. */
  name_key: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** DEV-2: `attributes` is JSON, an array of CategoryAttribute (id, name, type, prefix, suffix, required). */
export interface CategoriesTable extends NamedTenantRow {
  attributes: string;
  append_to_name: number;
}
export type CategoryRow = Selectable<CategoriesTable>;

export type PlacesTable = NamedTenantRow;
export type PlaceRow = Selectable<PlacesTable>;

export interface TagsTable extends NamedTenantRow {
  color: string;
}
export type TagRow = Selectable<TagsTable>;

export interface VendorsTable extends NamedTenantRow {
  website: string | null;
}
export type VendorRow = Selectable<VendorsTable>;

/** One row per tenant, created on first use: default place (DEV-4), barcode scheme (DEV-10), counters. */
export interface InventorySettingsTable {
  tenant_id: string;
  default_place_id: string | null;
  barcode_mode: 'disabled' | 'asset_id' | 'company_id';
  barcode_prefix: string;
  barcode_digits: number;
  next_device_number: number;
  next_barcode_number: number;
  /** DEV-1 invoice switches (0/1, on by default): off hides the data, never deletes it. */
  invoice_management: Generated<number>;
  custom_invoice_data: Generated<number>;
  invoice_uploads: Generated<number>;
  /** DEV-9: raised by every write that can change which devices a list matches (list totals kept per version). */
  devices_version: Generated<number>;
  updated_at: string;
  version: number;
}
export type InventorySettingsRow = Selectable<InventorySettingsTable>;

export type AssigneeKind = 'employee' | 'place' | 'it' | 'store';

/** DEV-1: a device. `employee_ref` is the HMAC reference only (SEC-6); `*_key` columns are lower-cased. */
export interface DevicesTable extends NamedTenantRow {
  number: number;
  serial: string | null;
  serial_key: string | null;
  category_id: string | null;
  /** JSON object: attribute id → value. */
  attribute_values: string;
  status: string;
  ever_assigned: number;
  assignee_kind: AssigneeKind;
  employee_ref: string | null;
  place_id: string | null;
  barcode: string | null;
  barcode_key: string | null;
  price: string | null;
  currency: string | null;
  vendor_id: string | null;
  invoice_number: string | null;
  invoice_date: string | null;
  po_extension: string | null;
  warranty_end: string | null;
  /** DEV-1: the invoice PDF in the file store; kept while a removed invoice is restorable. */
  invoice_file_id: string | null;
  /** DEV-1: the device image in the file store. */
  image_file_id: string | null;
  /** Lower-cased `#number name serial barcode`, for FTS5 / pg_trgm search. */
  search_text: string;
}
export type DeviceRow = Selectable<DevicesTable>;

export interface DeviceTagsTable {
  tenant_id: string;
  device_id: string;
  tag_id: string;
}

export interface DeviceCommentsTable {
  id: string;
  tenant_id: string;
  device_id: string;
  body: string;
  author_id: string;
  author_email: string;
  created_at: string;
}
export type DeviceCommentRow = Selectable<DeviceCommentsTable>;

// ---------------------------------------------------------------- money (issue 7)

/** Reference rates per euro (public data, every tenant's): `per_eur` is a decimal string. */
export interface ExchangeRatesTable {
  currency: string;
  per_eur: string;
  rate_date: string;
  updated_at: string;
}

/** The state of a rate source's daily fetch; the last good rates stay when one fails. */
export interface ExchangeRateFetchesTable {
  source: string;
  url: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  rate_date: string | null;
  last_error: string | null;
}

/** A tenant's default currency (ISO 4217), one row per tenant made on first use; EUR until changed. */
export interface MoneySettingsTable {
  tenant_id: string;
  default_currency: string;
  updated_at: string;
  version: number;
}

/** A tenant's manual rate, in the ECB's terms (units of `currency` per 1 euro, a decimal string). */
export interface ManualExchangeRatesTable {
  tenant_id: string;
  currency: string;
  per_eur: string;
  created_at: string;
  updated_at: string;
  version: number;
}
export type ManualExchangeRateRow = Selectable<ManualExchangeRatesTable>;

/** DEV-12: an uploaded import file on its way from mapping and dry run to the background run. */
export interface DeviceImportsTable {
  id: string;
  tenant_id: string;
  file_id: string | null;
  file_name: string;
  format: 'csv' | 'xlsx';
  size_bytes: number;
  content_hash: string;
  /** JSON: [{ index, header, field, sample }]. */
  columns: string;
  status: 'uploaded' | 'checked' | 'queued' | 'running' | 'completed' | 'failed';
  /** JSON: the first problems found, [{ row, column, code, message }]. */
  problems: string;
  problem_count: number;
  /** JSON: ImportSummary, once checked or run. */
  summary: string | null;
  job_id: string | null;
  created_by: string;
  created_by_email: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  version: number;
}
export type DeviceImportRow = Selectable<DeviceImportsTable>;
