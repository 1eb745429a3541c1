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

/** Create or replace the organization's directory connection; the credential is stored sealed, never shown. */
export const putDirectoryConnectionRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('entra'),
    settings: entraSettingsSchema,
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
});
export type Employee = z.infer<typeof employeeSchema>;

export const employeesSchema = z.object({ employees: z.array(employeeSchema) });

export const employeesSummarySchema = z.object({
  count: z.number().int(),
  lastRefreshedAt: z.string().nullable(),
  connectionStatus: directoryConnectionStatusSchema.nullable(),
});
export type EmployeesSummary = z.infer<typeof employeesSummarySchema>;
