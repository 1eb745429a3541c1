import { z } from 'zod';
import { planSchema } from './tenants';

export const roleSchema = z.enum(['administrator', 'operator', 'viewer', 'employee']);
export type Role = z.infer<typeof roleSchema>;
export const memberRoleSchema = z.enum(['administrator', 'operator', 'viewer']);
export type MemberRole = z.infer<typeof memberRoleSchema>;

/** A way to sign in offered on the sign-in page. `GET /auth/sign-in/{id}?returnTo=/path` starts it. */
export const signInProviderSchema = z.object({
  id: z.string(),
  kind: z.enum(['entra', 'microsoft-account', 'google', 'oidc', 'dev']),
  label: z.string(),
});
export const signInProvidersSchema = z.object({ providers: z.array(signInProviderSchema) });
export type SignInProvider = z.infer<typeof signInProviderSchema>;

export const tenantMembershipSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  organizationName: z.string(),
  role: roleSchema,
  /** The role comes from a global membership: it applies to every tenant of the organization. */
  isGlobal: z.boolean(),
});

/** `GET /api/v1/me`: who is signed in, where, as what; 401 when nobody is. */
export const meSchema = z.object({
  user: z.object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    isPlatformAdmin: z.boolean(),
  }),
  activeTenant: tenantMembershipSchema.nullable(),
  tenants: z.array(tenantMembershipSchema),
  /** True when the person belongs to no organization yet: the app offers "create organization". */
  needsSignUp: z.boolean(),
  /** Send as `x-csrf-token` on every state-changing request. */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof meSchema>;

export const switchTenantRequestSchema = z.object({ tenantId: z.uuid() });

/** `POST /api/v1/organizations`: sign-up of someone with no membership. */
export const createOrganizationRequestSchema = z.object({
  organizationName: z.string().trim().min(2).max(100),
  tenantSlug: z.string().trim().min(2).max(40),
  tenantName: z.string().trim().min(2).max(100).optional(),
});

/** `POST /api/v1/tenants`: another tenant of the current organization (global Administrators). */
export const createTenantRequestSchema = z.object({
  slug: z.string().trim().min(2).max(40),
  name: z.string().trim().min(2).max(100),
});
export const tenantSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  plan: planSchema,
  trialEndsAt: z.string(),
});

export const memberSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  role: memberRoleSchema,
  isGlobal: z.boolean(),
  status: z.enum(['pending', 'registered']),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Member = z.infer<typeof memberSchema>;
export const membersSchema = z.object({ members: z.array(memberSchema) });

export const inviteMemberRequestSchema = z.object({
  email: z.email().max(254),
  role: memberRoleSchema,
  isGlobal: z.boolean().default(false),
});
/** The invitation link is always returned so it can be copied when no mail server is configured. */
export const invitationSchema = z.object({
  member: memberSchema,
  invitationUrl: z.string(),
  emailSent: z.boolean(),
});

export const updateMemberRequestSchema = z.object({
  role: memberRoleSchema,
  isGlobal: z.boolean(),
  /** The version the edit is based on (DEV-6 style optimistic concurrency). */
  version: z.number().int(),
});

/** Platform console: organizations with their tenants and plans. */
export const platformOrganizationsSchema = z.object({
  organizations: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      tenants: z.array(tenantSummarySchema.extend({ effectivePlan: planSchema, inTrial: z.boolean() })),
    }),
  ),
});

export const authEventOutcomeSchema = z.enum([
  'started',
  'success',
  'failure',
  'sign_out',
  'session_expired',
]);
export const authEventSchema = z.object({
  id: z.string(),
  occurredAt: z.string(),
  outcome: authEventOutcomeSchema,
  reason: z.string().nullable(),
  provider: z.string().nullable(),
  tenantId: z.string().nullable(),
  subjectRef: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuthEvent = z.infer<typeof authEventSchema>;
/** `GET /api/platform/auth-events?outcome=&provider=&tenantId=&before=<cursor>&limit=` — newest first. */
export const authEventsQuerySchema = z.object({
  outcome: authEventOutcomeSchema.optional(),
  provider: z.string().max(60).optional(),
  tenantId: z.uuid().optional(),
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const authEventsSchema = z.object({
  events: z.array(authEventSchema),
  nextBefore: z.string().nullable(),
});

/** `GET/PUT /api/v1/organization/sign-in`: which providers the organization accepts, and its MFA rule. */
export const organizationSignInSchema = z.object({
  accepted: z.array(z.object({ kind: z.string() }).loose()),
  requireMfa: z.boolean(),
});
export const updateOrganizationSignInSchema = z.object({ requireMfa: z.boolean() });
