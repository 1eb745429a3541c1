import { readFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createAccess } from './access';
import { buildApp } from './app';
import { startBackground } from './background';
import type { Config } from './config';
import { ensureDemoDirectoryConnection, seedDemoOrganization } from './demo';
import { seedDemoInventory } from './demo-inventory';
import { createDirectoryCache } from './modules/directory/cache/directory-cache';
import {
  createConnectorFactory,
  type DirectoryAddressPolicy,
} from './modules/directory/sync/connector-factory';
import { type Clock, DAY_MS, systemClock } from './platform/clock';
import type { KeyProvider } from './platform/crypto/key-provider';
import { createKeyProvider } from './platform/crypto/key-provider-factory';
import { createKeyring } from './platform/crypto/keyring-service';
import { createLinkKeys } from './platform/crypto/link-keys';
import { type CertificatePair, certificateStatus, loadCertificatePair } from './platform/tls/certificate';
import { devCaTrustInstructions, ensureDevCertificate } from './platform/tls/dev-ca';
import { tlsHardening } from './platform/tls/tls-options';
import { watchCertificateFiles } from './platform/tls/watcher';
import { createRepos } from './repos';
import { openCache, openStores, StartupError } from './stores';

export { StartupError } from './stores';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const VERSION: string = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
).version;

async function loadTls(
  config: Config,
  now: Date,
  logger: FastifyBaseLogger,
  announce: (text: string) => void,
): Promise<CertificatePair | null> {
  if (config.tls.source === 'proxy') return null;
  if (config.tls.source === 'files') return loadCertificatePair(config.tls.certFile, config.tls.keyFile, now);
  const dev = await ensureDevCertificate(config.dataDir, now);
  if (dev.createdCa) {
    logger.info({ caFile: dev.caFile }, 'created a local development certificate authority');
    announce(devCaTrustInstructions(dev.caFile));
  }
  return loadCertificatePair(dev.certFile, dev.keyFile, now);
}

export interface StartOptions {
  logger: FastifyBaseLogger;
  clock?: Clock;
  /** The key provider built at boot (it resolved `secret:` references); built from config when omitted. */
  keyProvider?: KeyProvider;
  /** Said once, on the terminal, when the development CA is first created. */
  announce?: (text: string) => void;
}

/** Starts one app node: TLS first (a bad certificate stops us before anything else), then keys, data, HTTP. */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  let pair = await loadTls(config, clock.now(), logger, options.announce ?? (() => {}));

  const keyProvider = options.keyProvider ?? createKeyProvider(config.keyProvider, { clock });
  try {
    // Fail fast on an unreachable HSM or vault; creates the local key file on a fresh install.
    await keyProvider.ping();
  } catch (err) {
    await keyProvider.close();
    throw new StartupError(
      'key_provider_unavailable',
      `The key provider cannot be used: ${(err as Error).message}`,
    );
  }
  const keyring = createKeyring({ provider: keyProvider, clock });
  const stores = await openStores(config, logger);
  const { database, auditStore } = stores;
  const cache = openCache(config, clock, logger);
  // One directory cache per process: the API and the sync job must see the same people.
  const directoryCache = createDirectoryCache({ cache, clock });
  const linkKeys = createLinkKeys({ provider: keyProvider, clock });
  if (config.mode === 'embedded') {
    const demo = await seedDemoOrganization(database, clock, logger);
    // A fresh demo gets its inventory once; what people change or delete afterwards stays so.
    if (demo.created) {
      await seedDemoInventory(
        { repos: createRepos(database), clock, linkKeys, directoryCache, logger },
        demo.tenant,
      );
    }
  }

  const tlsStatus = () => {
    if (!pair) return { source: 'proxy' as const, notAfter: null, daysLeft: null, expiresSoon: false };
    return { source: config.tls.source as 'dev-ca' | 'files', ...certificateStatus(pair, clock.now()) };
  };
  let listeningPort = config.port;
  const publicOrigin = () =>
    config.publicUrl ? new URL(config.publicUrl).origin : `https://localhost:${listeningPort}`;
  const access = createAccess({ config, database, clock, logger, publicOrigin });
  // How the server reaches itself: the demo directory is served by its own development provider.
  const selfOrigin = () => `https://localhost:${listeningPort}`;
  const directoryAddresses: DirectoryAddressPolicy = {
    trustedOrigins: () => (access.deps.demoDirectorySecret ? [selfOrigin()] : []),
  };
  const background = startBackground({
    database,
    auditStore,
    keyProvider,
    keyring,
    clock,
    logger,
    sessionStore: access.sessionStore,
    signInStates: access.signInStates,
    authLogRetentionDays: config.access.authLogRetentionDays,
    linkKeys,
    directoryCache,
    directoryConnectors: createConnectorFactory({ caPem: access.devCaPem, addresses: directoryAddresses }),
    exchangeRatesUrl: config.exchangeRatesUrl,
  });
  const app = await buildApp({
    config,
    version: VERSION,
    clock,
    database,
    bulkReader: stores.bulkReader,
    auditStore,
    auditRelay: background.auditRelay,
    cache,
    https: pair ? { ...tlsHardening, cert: pair.certPem, key: pair.keyPem } : undefined,
    tlsStatus,
    tlsNotAfter: () => pair?.notAfter ?? null,
    logger,
    access: access.deps,
    directory: { keyring, directoryCache, linkKeys, addresses: directoryAddresses },
  });

  const warnIfExpiring = () => {
    const status = tlsStatus();
    if (status.expiresSoon) {
      logger.warn(
        { notAfter: status.notAfter, daysLeft: status.daysLeft },
        'TLS certificate expires soon: renew it',
      );
    }
  };
  warnIfExpiring();
  const expiryTimer = setInterval(warnIfExpiring, DAY_MS);
  expiryTimer.unref();

  const watcher =
    pair && config.tls.source !== 'proxy'
      ? watchCertificateFiles({
          certFile: pair.certFile!,
          keyFile: pair.keyFile!,
          intervalMs: config.tls.reloadIntervalMs,
          clock,
          onReload(next) {
            (app.server as Server).setSecureContext({
              ...tlsHardening,
              cert: next.certPem,
              key: next.keyPem,
            });
            pair = next;
            logger.info({ notAfter: next.notAfter.toISOString() }, 'TLS certificate reloaded');
            warnIfExpiring();
          },
          onError(error) {
            logger.error(
              { code: error.code },
              `TLS certificate not reloaded, keeping the current one: ${error.message}`,
            );
          },
        })
      : undefined;

  const close = async () => {
    watcher?.close();
    clearInterval(expiryTimer);
    await app.close();
    await background.stop();
    await cache.close();
    await access.close();
    await stores.close();
    await keyProvider.close();
  };
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await close();
    throw new StartupError(
      'listen_failed',
      `Cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  listeningPort = port;
  if (access.deps.demoDirectorySecret) {
    try {
      await ensureDemoDirectoryConnection(
        { database, keyring, clock, logger },
        { origin: selfOrigin(), clientSecret: access.deps.demoDirectorySecret() },
      );
    } catch (err) {
      // The demo is a convenience: the server runs without it.
      logger.warn({ err }, 'could not connect the demo organization to the demo directory');
    }
  }
  const url = `${pair ? 'https' : 'http'}://localhost:${port}`;
  logger.info({ url, mode: config.mode }, `TheStorage is running at ${url}`);
  return { app, url, port, close };
}
