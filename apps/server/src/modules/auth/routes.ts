import {
  createOrganizationRequestSchema,
  ErrorCode,
  type Me,
  meSchema,
  signInProvidersSchema,
  switchTenantRequestSchema,
} from '@thestorage/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeReturnTo } from '../../platform/auth/relying-party/return-to';
import { SignInError } from '../../platform/auth/relying-party/sign-in-error';
import type { Clock } from '../../platform/clock';
import type { DatabaseHandle } from '../../platform/db/connect';
import { withSystem } from '../../platform/db/tenant-scope';
import { csrfTokenFor } from '../../platform/http/csrf';
import { AppError, unauthenticated } from '../../platform/http/errors';
import { endSession, startSession, updateSession } from '../../platform/sessions';
import type { Repos } from '../../repos';
import { createOrganizationWithTenant } from '../tenants/tenant-service';
import { acceptedFromIdentity } from './accepted-providers';
import { accessibleTenants, type TenantAccess, userRef } from './access';
import { recordAuthEvent } from './auth-log';
import type { SignInProviders } from './providers';
import { profileOf, type SessionProfile } from './session-profile';
import { completeSignIn, type SignInRules } from './sign-in-service';

export interface AuthRouteDeps {
  database: DatabaseHandle;
  repos: Repos;
  clock: Clock;
  providers: SignInProviders;
  rules: SignInRules;
}

const STATE_COOKIE = '__Host-thestorage-signin';
const stateCookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' as const, maxAge: 600 };

const requestInfo = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
});

const membershipView = (t: TenantAccess) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  organizationName: t.organizationName,
  role: t.role,
  isGlobal: t.isGlobal,
});

/** The signed-in person's session and profile, or 401. */
function signedIn(request: FastifyRequest): { userId: string; profile: SessionProfile } {
  const session = request.session;
  const profile = session ? profileOf(session) : null;
  if (!session || !profile) throw unauthenticated();
  return { userId: session.userId, profile };
}

async function meOf(request: FastifyRequest, deps: AuthRouteDeps): Promise<Me> {
  const { userId, profile } = signedIn(request);
  const tenants = await withSystem(deps.database, (db) =>
    accessibleTenants(db, userId, profile.employeeOrganizationIds),
  );
  const active = tenants.find((t) => t.id === request.session?.activeTenantId) ?? tenants[0] ?? null;
  if ((active?.id ?? null) !== request.session?.activeTenantId) {
    await updateSession(request, { activeTenantId: active?.id ?? null });
  }
  return {
    user: { id: userId, email: profile.email, name: profile.name, isPlatformAdmin: profile.isPlatformAdmin },
    activeTenant: active ? membershipView(active) : null,
    tenants: tenants.map(membershipView),
    needsSignUp: tenants.length === 0 && !profile.isPlatformAdmin,
    csrfToken: csrfTokenFor(request) ?? '',
  };
}

/** Where a fresh sign-in lands: what was asked for, else sign-up, the console, or the person's own page. */
function landingOf(returnTo: string, signed: { tenants: TenantAccess[]; isPlatformAdmin: boolean }): string {
  if (returnTo !== '/') return returnTo;
  const administers = signed.tenants.some((t) => t.role !== 'employee');
  if (signed.isPlatformAdmin && !administers) return '/platform';
  if (signed.tenants.length === 0) return '/sign-up';
  return administers ? '/' : '/my-devices';
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const log = (request: FastifyRequest, event: Parameters<typeof recordAuthEvent>[2]) =>
    recordAuthEvent(deps.database, deps.clock, { ...requestInfo(request), ...event });

  typed.get(
    '/auth/providers',
    { schema: { tags: ['auth'], summary: 'The ways to sign in', response: { 200: signInProvidersSchema } } },
    async () => ({ providers: deps.providers.list() }),
  );

  typed.get(
    '/auth/sign-in/:providerId',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start signing in at an identity provider (authorization code + PKCE)',
        params: z.object({ providerId: z.string().max(60) }),
        querystring: z.object({ returnTo: z.string().max(2000).optional() }),
      },
    },
    async (request, reply) => {
      const rp = deps.providers.relyingParty(request.params.providerId);
      if (!rp) throw new AppError(ErrorCode.NotFound, 'No such sign-in provider');
      try {
        const started = await rp.start(request.query.returnTo ?? '/');
        await log(request, { outcome: 'started', provider: request.params.providerId });
        reply.setCookie(STATE_COOKIE, started.state, stateCookieOptions);
        return reply.redirect(started.authorizationUrl, 302);
      } catch (err) {
        if (!(err instanceof SignInError)) throw err;
        await log(request, { outcome: 'failure', reason: err.reason, provider: request.params.providerId });
        return reply.redirect(`/sign-in?error=${err.reason}`, 302);
      }
    },
  );

  typed.get(
    '/auth/callback/:providerId',
    { schema: { hide: true, params: z.object({ providerId: z.string().max(60) }) } },
    async (request, reply) => {
      const providerId = request.params.providerId;
      const rp = deps.providers.relyingParty(providerId);
      if (!rp) throw new AppError(ErrorCode.NotFound, 'No such sign-in provider');
      const browserState = request.cookies[STATE_COOKIE];
      reply.clearCookie(STATE_COOKIE, { path: '/' });
      try {
        const callbackUrl = new URL(request.url, `https://${request.host}`);
        const { identity, returnTo } = await rp.complete(callbackUrl, browserState);
        const signed = await completeSignIn(deps.database, identity, deps.rules, deps.clock.now());
        const profile: SessionProfile = {
          name: identity.name,
          email: identity.email,
          isPlatformAdmin: signed.isPlatformAdmin,
          employeeOrganizationIds: signed.employeeOrganizationIds,
          providerKind: identity.providerKind,
          issuer: identity.issuer,
          directory: identity.tenantId ?? identity.hostedDomain ?? null,
        };
        await startSession(reply, {
          userId: signed.userId,
          activeTenantId: signed.tenants[0]?.id ?? null,
          data: { profile },
        });
        await log(request, {
          outcome: 'success',
          provider: providerId,
          tenantId: signed.tenants[0]?.id ?? null,
          subject: `${identity.issuer}|${identity.subject}`,
        });
        return reply.redirect(landingOf(safeReturnTo(returnTo), signed), 302);
      } catch (err) {
        if (!(err instanceof SignInError)) throw err;
        await log(request, { outcome: 'failure', reason: err.reason, provider: providerId });
        return reply.redirect(`/sign-in?error=${err.reason}`, 302);
      }
    },
  );

  typed.post(
    '/auth/sign-out',
    { schema: { tags: ['auth'], summary: 'Sign out: the session ends on every node' } },
    async (request, reply) => {
      const ended = await endSession(request, reply);
      if (ended) await log(request, { outcome: 'sign_out', tenantId: ended.activeTenantId });
      return reply.status(204).send();
    },
  );

  typed.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, in which tenant, as what',
        response: { 200: meSchema },
      },
    },
    async (request) => meOf(request, deps),
  );

  typed.post(
    '/api/v1/me/active-tenant',
    {
      schema: {
        tags: ['auth'],
        summary: 'Switch to another tenant the person may enter',
        body: switchTenantRequestSchema,
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const { userId, profile } = signedIn(request);
      const tenants = await withSystem(deps.database, (db) =>
        accessibleTenants(db, userId, profile.employeeOrganizationIds),
      );
      // A tenant the person may not enter answers like one that does not exist.
      if (!tenants.some((t) => t.id === request.body.tenantId))
        throw new AppError(ErrorCode.NotFound, 'Tenant not found');
      await updateSession(request, { activeTenantId: request.body.tenantId });
      return meOf(request, deps);
    },
  );

  typed.post(
    '/api/v1/organizations',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign-up: create an organization and its first tenant; the caller becomes its Administrator',
        body: createOrganizationRequestSchema,
        response: { 200: meSchema },
      },
    },
    async (request) => {
      const { userId, profile } = signedIn(request);
      const existing = await withSystem(deps.database, (db) =>
        accessibleTenants(db, userId, profile.employeeOrganizationIds),
      );
      if (existing.length > 0)
        throw new AppError(ErrorCode.Conflict, 'You already belong to an organization');
      const now = deps.clock.now();
      const actor = { id: userId, email: profile.email ?? '', name: profile.name ?? profile.email ?? '' };
      const { tenant } = await createOrganizationWithTenant(
        {
          name: request.body.organizationName,
          slug: request.body.tenantSlug,
          tenantName: request.body.tenantName,
          clock: deps.clock,
        },
        deps.repos,
        async ({ organization, tenant }, r) => {
          await r.identity.setSignInRules(String(organization.id), acceptedFromIdentity(profile), false, now);
          const membership = await r.membershipsOf(String(tenant.id)).add(
            {
              subjectRef: userRef(userId),
              email: profile.email,
              role: 'administrator',
              isGlobal: true,
              status: 'registered',
            },
            now,
          );
          const event = { occurredAt: now, actor, requestId: request.id };
          await r.audit.record({
            ...event,
            tenantId: String(tenant.id),
            action: 'organization.created',
            target: { type: 'organization', id: String(organization.id) },
            changes: [
              { field: 'name', before: null, after: organization.name },
              { field: 'tenant', before: null, after: tenant.slug },
            ],
          });
          await r.audit.record({
            ...event,
            tenantId: String(tenant.id),
            action: 'membership.created',
            target: { type: 'membership', id: String(membership.id) },
            changes: [
              { field: 'role', before: null, after: 'administrator' },
              { field: 'isGlobal', before: null, after: true },
            ],
          });
        },
      );
      await updateSession(request, { activeTenantId: String(tenant.id) });
      return meOf(request, deps);
    },
  );
}
