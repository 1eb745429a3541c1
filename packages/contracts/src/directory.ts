import { z } from 'zod';

export const directoryKindSchema = z.enum(['entra', 'google']);
export type DirectoryKind = z.infer<typeof directoryKindSchema>;

export const directoryConnectionStatusSchema = z.enum(['never_synced', 'healthy', 'failing', 'disconnected']);
export type DirectoryConnectionStatus = z.infer<typeof directoryConnectionStatusSchema>;

const httpsUrl = z
  .url({ protocol: /^https$/ })
  .max(2_000)
  .describe('An https:// base URL (tests and the demo point at local servers)');

/** Microsoft Entra ID: the app registration, without its secret. */
export const entraSettingsSchema = z.object({
  directoryTenantId: z.string().trim().min(1).max(100),
  clientId: z.string().trim().min(1).max(100),
  authorityBaseUrl: httpsUrl.optional(),
  graphBaseUrl: httpsUrl.optional(),
});
export type EntraSettings = z.infer<typeof entraSettingsSchema>;

/** Google Workspace: the administrator the service account acts as, without the key. */
export const googleSettingsSchema = z.object({
  adminEmail: z.email().max(320),
  domain: z.string().trim().min(1).max(253).optional(),
  tokenUrl: httpsUrl.optional(),
  directoryBaseUrl: httpsUrl.optional(),
});
export type GoogleSettings = z.infer<typeof googleSettingsSchema>;

const syncSchedule = {
  syncTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM')
    .optional(),
  syncTimeZone: z.string().min(1).max(64).optional(),
};

/**
 * An Entra directory (tenant) id as typed: a GUID, kept in lower case, because employee references are
 * computed from it and must equal those of the `tid` claim in people's ID tokens (SEC-6).
 */
const directoryTenantIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'The directory (tenant) id is a GUID, as shown on the app registration',
  );

/** Create or replace the organization's directory connection; the credential is stored sealed, never shown. */
export const putDirectoryConnectionRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('entra'),
    settings: entraSettingsSchema.extend({ directoryTenantId: directoryTenantIdSchema }),
    /** The client secret of the app registration. */
    credential: z.string().min(1).max(1_000),
    ...syncSchedule,
  }),
  z.object({
    kind: z.literal('google'),
    settings: googleSettingsSchema,
    /** The service account's JSON key as downloaded from Google Cloud. */
    credential: z.string().min(1).max(16_000),
    ...syncSchedule,
  }),
]);
export type PutDirectoryConnectionRequest = z.infer<typeof putDirectoryConnectionRequestSchema>;

/** What the Employees page shows about the connection: no secret, no personal data. */
export const directoryConnectionSchema = z.object({
  id: z.string(),
  kind: directoryKindSchema,
  settings: z.union([entraSettingsSchema, googleSettingsSchema]),
  status: directoryConnectionStatusSchema,
  lastSyncAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastCount: z.number().int().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  syncTime: z.string(),
  syncTimeZone: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type DirectoryConnection = z.infer<typeof directoryConnectionSchema>;

export const directorySyncStartedSchema = z.object({ jobId: z.string() });

export const employeeSearchQuerySchema = z.object({
  search: z.string().trim().min(3, 'Type at least 3 characters').max(200),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** One person of the assign picker, under their employee reference (SEC-6). */
export const employeeSchema = z.object({
  reference: z.string(),
  displayName: z.string().nullable(),
  userName: z.string(),
  jobTitle: z.string().nullable(),
  active: z.boolean(),
  /** Devices assigned to them in the current tenant. */
  deviceCount: z.number().int(),
});
export type Employee = z.infer<typeof employeeSchema>;

export const employeesSchema = z.object({ employees: z.array(employeeSchema) });

export const employeesSummarySchema = z.object({
  count: z.number().int(),
  lastRefreshedAt: z.string().nullable(),
  connectionStatus: directoryConnectionStatusSchema.nullable(),
});
export type EmployeesSummary = z.infer<typeof employeesSummarySchema>;

/** What a reference shows once the 14-day cache no longer knows it (SEC-5). */
export const UNKNOWN_EMPLOYEE = 'Unknown employee';

/** An employee reference: an HMAC-SHA256 in lower-case hex (SEC-6). */
export const employeeReferenceSchema = z.string().regex(/^[0-9a-f]{64}$/, 'An employee reference');

/** A reference resolved through the cache at display time; `known: false` shows as "Unknown employee". */
export const resolvedEmployeeSchema = z.object({
  reference: z.string(),
  known: z.boolean(),
  /** The display name (or user name) while known, else "Unknown employee". */
  displayName: z.string(),
  userName: z.string().nullable(),
  jobTitle: z.string().nullable(),
  active: z.boolean().nullable(),
});
export type ResolvedEmployee = z.infer<typeof resolvedEmployeeSchema>;

/** `POST /api/v1/employees/resolve`: names for the references a page shows, in the order asked. */
export const resolveEmployeesRequestSchema = z.object({
  references: z.array(employeeReferenceSchema).min(1).max(500),
});
export const resolvedEmployeesSchema = z.object({ employees: z.array(resolvedEmployeeSchema) });

/**
 * `GET /api/v1/me/employee`: the signed-in person as an employee of the current tenant's organization,
 * from the reference their ID token yields; null when their sign-in carries no directory identity.
 */
export const myEmployeeSchema = z.object({ employee: resolvedEmployeeSchema.nullable() });
