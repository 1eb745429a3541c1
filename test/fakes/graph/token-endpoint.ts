import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json, tokenError } from './http';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const TOKEN_LIFETIME_S = 3599;

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The identity platform's v2.0 token endpoint for client credentials with a secret, with the error
 * each refusal really gets. Issued tokens go into `accessTokens` (token → expiry) for Graph to check.
 * Returns whether a token was issued.
 */
export function answerTokenRequest(
  app: AppRegistration,
  accessTokens: Map<string, number>,
  request: { tenant: string; form: URLSearchParams; failure?: 'revoked-secret' | 'revoked-consent' },
  res: ServerResponse,
): boolean {
  const { tenant, form, failure } = request;
  if (failure === 'revoked-secret' || (!failure && form.get('client_secret') !== app.clientSecret)) {
    tokenError(
      res,
      401,
      'invalid_client',
      'AADSTS7000215',
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  } else if (failure === 'revoked-consent' || form.get('client_id') !== app.clientId) {
    tokenError(
      res,
      400,
      'unauthorized_client',
      'AADSTS700016',
      `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  } else if (tenant !== app.tenantId) {
    tokenError(res, 400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
  } else if (form.get('grant_type') !== 'client_credentials') {
    tokenError(
      res,
      400,
      'unsupported_grant_type',
      'AADSTS70003',
      'The app requested an unsupported grant type.',
    );
  } else if (form.get('scope') !== GRAPH_SCOPE) {
    tokenError(
      res,
      400,
      'invalid_scope',
      'AADSTS70011',
      "The provided value for the input parameter 'scope' is not valid.",
    );
  } else {
    const accessToken = randomBytes(48).toString('base64url');
    accessTokens.set(accessToken, Date.now() + TOKEN_LIFETIME_S * 1000);
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      ext_expires_in: TOKEN_LIFETIME_S,
      access_token: accessToken,
    });
    return true;
  }
  return false;
}
