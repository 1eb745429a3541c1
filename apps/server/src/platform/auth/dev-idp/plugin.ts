import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionDetails, InteractionResults } from 'oidc-provider';
import { renderLoginPage, renderMessagePage, STYLESHEET, STYLESHEET_PATH } from './pages';
import { acrFor, type DevIdentityProvider } from './provider';

export interface DevIdentityProviderMountOptions {
  /** Where it is mounted, e.g. /dev-idp: must be the issuer's path. */
  prefix: string;
  /** The provider, or a function returning it when its issuer is only known after listen (port 0 in tests). */
  provider: DevIdentityProvider | (() => DevIdentityProvider);
  /** True only when the app trusts X-Forwarded-* from a proxy (the app's own trustProxy setting). */
  trustProxy?: boolean;
}

type RawRequest = IncomingMessage & { originalUrl?: string };
type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
type InteractionRequest = FastifyRequest<{
  Params: { uid: string };
  Body: Record<string, string> | undefined;
}>;

const FORM_LIMIT_BYTES = 8 * 1024;

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

/**
 * Mounts the development provider under `prefix`: oidc-provider's own endpoints (discovery, authorization, token,
 * JWKS, device flow…) get the raw request with the prefix stripped; the interaction pages (pick a demo person,
 * auto-approved consent for the first-party clients) are routes of the app.
 */
export async function registerDevIdentityProvider(
  app: FastifyInstance,
  options: DevIdentityProviderMountOptions,
) {
  const prefix = options.prefix.replace(/\/$/, '');
  const stylesheet = `${prefix}${STYLESHEET_PATH}`;
  const callbacks = new WeakMap<DevIdentityProvider, Handler>();

  const current = (): DevIdentityProvider => {
    const dev = typeof options.provider === 'function' ? options.provider() : options.provider;
    if (!callbacks.has(dev)) {
      if (dev.mountPath !== prefix) {
        throw new Error(
          `the development provider's issuer path ${dev.mountPath} is not its mount prefix ${prefix}`,
        );
      }
      // X-Forwarded-Proto/Host only count when a trusted proxy sets them.
      dev.provider.proxy = options.trustProxy ?? false;
      callbacks.set(dev, dev.provider.callback());
    }
    return dev;
  };

  const expired = (reply: FastifyReply) =>
    sendPage(
      reply,
      400,
      renderMessagePage({
        stylesheet,
        title: 'Sign-in request expired',
        message:
          'This sign-in request has expired or was opened in another browser. Start again from the app.',
      }),
    );

  /** The interaction behind this page, or null when its cookie is missing, expired or for another uid. */
  const interactionOf = async (
    dev: DevIdentityProvider,
    request: InteractionRequest,
    reply: FastifyReply,
  ): Promise<InteractionDetails | null> => {
    try {
      const details = await dev.provider.interactionDetails(request.raw, reply.raw);
      return details.uid === request.params.uid ? details : null;
    } catch {
      return null;
    }
  };

  const finish = async (
    dev: DevIdentityProvider,
    request: InteractionRequest,
    reply: FastifyReply,
    result: InteractionResults,
    mergeWithLastSubmission: boolean,
  ) => {
    const returnTo = await dev.provider.interactionResult(request.raw, reply.raw, result, {
      mergeWithLastSubmission,
    });
    return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
  };

  // oidc-provider's endpoints: the body stays unread for oidc-provider's own parser.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const passThrough = async (request: FastifyRequest, reply: FastifyReply) => {
      const dev = current();
      reply.hijack();
      const raw: RawRequest = request.raw;
      const url = raw.url ?? '/';
      raw.originalUrl ??= url;
      const rest = url.slice(prefix.length);
      raw.url = rest.startsWith('/') ? rest : `/${rest}`;
      await callbacks.get(dev)!(raw, reply.raw);
    };
    scope.all(prefix, passThrough);
    scope.all(`${prefix}/*`, passThrough);
  });

  // The provider's pages: plain HTML forms, one stylesheet, no script.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get(stylesheet, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLESHEET),
    );

    scope.get<{ Params: { uid: string } }>(`${prefix}/interaction/:uid`, async (request, reply) => {
      const dev = current();
      const details = await interactionOf(dev, request as InteractionRequest, reply);
      if (!details) return expired(reply);
      const clientId = String(details.params.client_id ?? '');
      const client = dev.clients.get(clientId);
      if (!client) return expired(reply);
      if (details.prompt.name === 'login') {
        const base = `${prefix}/interaction/${encodeURIComponent(details.uid)}`;
        return sendPage(
          reply,
          200,
          renderLoginPage({
            stylesheet,
            clientName: client.clientName,
            people: dev.people,
            loginAction: `${base}/login`,
            abortAction: `${base}/abort`,
          }),
        );
      }
      if (details.prompt.name === 'consent' && details.session?.accountId) {
        // Every client of the development provider is first-party: consent is granted without asking.
        const { Grant } = dev.provider;
        const grant =
          (details.grantId ? await Grant.find(details.grantId) : undefined) ??
          new Grant({ accountId: details.session.accountId, clientId });
        const missing = details.prompt.details;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
        const grantId = await grant.save();
        return finish(dev, request as InteractionRequest, reply, { consent: { grantId } }, true);
      }
      return expired(reply);
    });

    scope.post<{ Params: { uid: string }; Body: Record<string, string> | undefined }>(
      `${prefix}/interaction/:uid/login`,
      async (request, reply) => {
        const dev = current();
        const details = await interactionOf(dev, request, reply);
        if (details?.prompt.name !== 'login') return expired(reply);
        const sub = request.body?.sub;
        const person = dev.people.find((p) => p.sub === sub);
        if (!person) {
          return sendPage(
            reply,
            400,
            renderMessagePage({
              stylesheet,
              title: 'Unknown person',
              message: 'Pick one of the demo people.',
            }),
          );
        }
        if (details.session?.uid && details.session.accountId !== person.sub) {
          // Someone else was signed in here before: end that provider session now, or oidc-provider would
          // insert its own sign-out page between the pick and the return to the app.
          await (await dev.provider.Session.findByUid(details.session.uid))?.destroy();
          details.session = undefined;
          await details.save(Math.max(1, details.exp - Math.floor(Date.now() / 1000)));
        }
        const login = {
          accountId: person.sub,
          amr: [...person.amr],
          acr: acrFor(person.amr),
          remember: false,
        };
        return finish(dev, request, reply, { login }, false);
      },
    );

    scope.post<{ Params: { uid: string } }>(`${prefix}/interaction/:uid/abort`, async (request, reply) => {
      const dev = current();
      const details = await interactionOf(dev, request as InteractionRequest, reply);
      if (!details) return expired(reply);
      const result = { error: 'access_denied', error_description: 'The sign-in was cancelled' };
      return finish(dev, request as InteractionRequest, reply, result, false);
    });
  });
}
