import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { buildTestApp } from '../../../../../../test/support/app';
import { databaseTargets } from '../../../../../../test/support/databases';
import type { DemoPerson } from '../../../demo-people';
import { makeTestCertificates } from '../../tls/test-certificates';
import { DEV_IDP_WARNING } from './pages';
import { registerDevIdentityProvider } from './plugin';
import { createDevIdentityProvider, type DevIdentityProvider } from './provider';
import { formOf, type TestBrowser, type TrustingFetch, trustingFetch } from './testing';

export const WEB_CLIENT = 'thestorage-web';
export const CLI_CLIENT = 'thestorage-cli';

export interface DevIdpTestServer {
  base: string;
  issuer: string;
  /** The web client's registered redirect URI (nothing listens there: the tests stop at the redirect). */
  callback: string;
  dataDir: string;
  fetch: TrustingFetch;
  current(): DevIdentityProvider;
  /** A new provider instance over the same data directory, as after a server restart. */
  restart(): DevIdentityProvider;
  webConfig(): Promise<client.Configuration>;
  cliConfig(): Promise<client.Configuration>;
  authorizationUrl(
    config: client.Configuration,
    extra?: Record<string, string>,
  ): Promise<{ url: URL; verifier: string; state: string }>;
  /** From the authorization URL to the redirect back to the app, picking `person`; returns that redirect. */
  signIn(browser: TestBrowser, url: URL, person: DemoPerson): Promise<URL>;
  close(): Promise<void>;
}

/**
 * For tests: the app from buildTestApp with the development provider mounted at /dev-idp, listening on HTTPS
 * 127.0.0.1 port 0 with a test CA, and openid-client configurations that trust it.
 */
export async function startDevIdpTestServer(): Promise<DevIdpTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'thestorage-dev-idp-'));
  const certs = await makeTestCertificates(dir);
  const fetch = trustingFetch(certs.caPem);
  const db = await databaseTargets()
    .find((t) => t.name === 'sqlite')!
    .create();
  const { app } = await buildTestApp(db.handle, { https: { cert: certs.certPem, key: certs.keyPem } });
  let current: DevIdentityProvider | undefined;
  // The issuer holds the port, known only after listen: the plugin takes the provider through a getter.
  await registerDevIdentityProvider(app, { prefix: '/dev-idp', provider: () => current! });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  const base = `https://127.0.0.1:${address.port}`;
  const issuer = `${base}/dev-idp`;
  const callback = `${base}/auth/callback`;
  const dataDir = join(dir, 'data');
  const start = () =>
    createDevIdentityProvider({
      issuer,
      dataDir,
      clients: [
        { kind: 'web', clientId: WEB_CLIENT, clientName: 'TheStorage', redirectUris: [callback] },
        { kind: 'cli', clientId: CLI_CLIENT, clientName: 'TheStorage CLI' },
      ],
    });
  current = start();

  const discover = async (clientId: string, secret: string | null) => {
    const auth = secret ? client.ClientSecretBasic(secret) : client.None();
    const config = await client.discovery(new URL(issuer), clientId, secret ?? undefined, auth, {
      [client.customFetch]: fetch,
    });
    client.enableNonRepudiationChecks(config);
    return config;
  };

  return {
    base,
    issuer,
    callback,
    dataDir,
    fetch,
    current: () => current!,
    restart() {
      current = start();
      return current;
    },
    webConfig: () => discover(WEB_CLIENT, current!.clients.get(WEB_CLIENT)!.clientSecret),
    cliConfig: () => discover(CLI_CLIENT, null),
    async authorizationUrl(config, extra = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: callback,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...extra,
      });
      return { url, verifier, state };
    },
    async signIn(browser, url, person) {
      const page = await browser.follow(url, callback);
      const html = (await page.response?.text()) ?? '';
      if (page.response?.status !== 200 || !html.includes(DEV_IDP_WARNING)) {
        throw new Error(
          `expected the sign-in page, got ${page.response?.status ?? 'a redirect'} at ${page.url}`,
        );
      }
      const back = await browser.follow(new URL(formOf(html).action, base), callback, {
        form: { sub: person.sub },
      });
      if (back.response)
        throw new Error(`expected a redirect to the app, got ${back.response.status} at ${back.url}`);
      return new URL(back.url);
    },
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
