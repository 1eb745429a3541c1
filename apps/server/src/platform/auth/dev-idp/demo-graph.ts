import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  DEMO_DIRECTORY_CLIENT_ID,
  DEMO_DIRECTORY_TENANT_ID,
  type DemoDirectoryUser,
} from '../../../demo-directory';
import { ENTRA_USER_PROPERTIES } from '../../../modules/directory/entra/entra-connector';

/**
 * The demo directory over the Microsoft Graph protocol (embedded default only): the client-credentials
 * token endpoint of the Microsoft identity platform and `GET /v1.0/users/delta` with `$select`,
 * `@odata.nextLink` paging and a `@odata.deltaLink`. The app's own Entra connector reads it exactly as it
 * reads Microsoft Graph; the directory never changes, so a delta round brings no changes.
 */
export interface DemoGraphOptions {
  /** Mount path, e.g. `/dev-idp/graph`. */
  prefix: string;
  /** The confidential client's secret (kept with the development provider's other client secrets). */
  clientSecret: () => string;
  users: () => readonly DemoDirectoryUser[];
  /** Access-token lifetime in seconds. */
  tokenLifetimeSeconds?: number;
  now?: () => number;
}

const FORM_LIMIT_BYTES = 8 * 1024;
const DEFAULT_PAGE_SIZE = 100;
// Exactly the properties the app's Entra connector asks for (SEC-5).
const SELECTABLE = new Set<keyof DemoDirectoryUser>(ENTRA_USER_PROPERTIES);

const sha256 = (text: string) => createHash('sha256').update(text).digest();

function graphError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { code, message } });
}

function tokenError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, error_description: description });
}

export async function registerDemoGraph(app: FastifyInstance, options: DemoGraphOptions) {
  const prefix = options.prefix.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const lifetime = options.tokenLifetimeSeconds ?? 3_600;
  // Tokens by their SHA-256; a development tool on one node, so memory is the right place.
  const tokens = new Map<string, number>();

  const authorized = (header: string | undefined): boolean => {
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
    if (!match) return false;
    const key = sha256(match[1]!).toString('hex');
    const expiresAt = tokens.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= now()) {
      tokens.delete(key);
      return false;
    }
    return true;
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.post<{ Params: { tenant: string }; Body: Record<string, string> | undefined }>(
      `${prefix}/:tenant/oauth2/v2.0/token`,
      async (request, reply) => {
        const form = request.body ?? {};
        if (request.params.tenant.toLowerCase() !== DEMO_DIRECTORY_TENANT_ID) {
          return tokenError(
            reply,
            400,
            'invalid_request',
            `AADSTS90002: Tenant '${request.params.tenant.slice(0, 64)}' not found.`,
          );
        }
        if (form.grant_type !== 'client_credentials') {
          return tokenError(reply, 400, 'unsupported_grant_type', 'AADSTS70003: Only client_credentials.');
        }
        const secret = typeof form.client_secret === 'string' ? form.client_secret : '';
        const expected = options.clientSecret();
        const secretMatches = timingSafeEqual(sha256(secret), sha256(expected));
        if (form.client_id !== DEMO_DIRECTORY_CLIENT_ID || !secretMatches) {
          return tokenError(reply, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
        }
        if (form.scope !== 'https://graph.microsoft.com/.default') {
          return tokenError(reply, 400, 'invalid_scope', 'AADSTS1002012: The scope must be .default.');
        }
        for (const [key, expiresAt] of tokens) if (expiresAt <= now()) tokens.delete(key);
        const token = randomBytes(32).toString('base64url');
        tokens.set(sha256(token).toString('hex'), now() + lifetime * 1_000);
        return reply.header('cache-control', 'no-store').send({
          token_type: 'Bearer',
          expires_in: lifetime,
          ext_expires_in: lifetime,
          access_token: token,
        });
      },
    );

    scope.get<{ Querystring: Record<string, string | undefined> }>(
      `${prefix}/v1.0/users/delta`,
      async (request, reply) => {
        if (!authorized(request.headers.authorization)) {
          return graphError(reply, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
        }
        const origin = `https://${request.headers.host ?? 'localhost'}`;
        const base = `${origin}${prefix}/v1.0/users/delta`;
        const query = request.query;
        // A delta round: the demo directory does not change, so there is nothing to report.
        if (query.$deltatoken !== undefined) {
          return reply.send({ value: [], '@odata.deltaLink': `${base}?$deltatoken=${query.$deltatoken}` });
        }
        const select = (query.$select ?? '').split(',').filter(Boolean);
        const unknown = select.find((field) => !SELECTABLE.has(field as keyof DemoDirectoryUser));
        if (unknown) {
          return graphError(
            reply,
            400,
            'Request_BadRequest',
            `Could not find a property named '${unknown}'.`,
          );
        }
        const fields = (select.length > 0 ? select : [...SELECTABLE]) as (keyof DemoDirectoryUser)[];
        const skip = Number(query.$skiptoken ?? 0);
        const users = options.users();
        if (!Number.isInteger(skip) || skip < 0 || skip > users.length) {
          return graphError(reply, 400, 'Request_BadRequest', 'The skip token is not valid.');
        }
        const preferred = /odata\.maxpagesize=(\d+)/.exec(String(request.headers.prefer ?? ''))?.[1];
        const size = Math.min(Math.max(Number(preferred ?? DEFAULT_PAGE_SIZE), 1), 999);
        const page = users.slice(skip, skip + size).map((user) => {
          const listed: Record<string, unknown> = { id: user.id };
          for (const field of fields) listed[field] = user[field];
          return listed;
        });
        const next = skip + size;
        const select$ = encodeURIComponent(fields.join(','));
        return reply.send({
          value: page,
          ...(next < users.length
            ? { '@odata.nextLink': `${base}?$select=${select$}&$skiptoken=${next}` }
            : { '@odata.deltaLink': `${base}?$deltatoken=${users.length}` }),
        });
      },
    );
  });
}
