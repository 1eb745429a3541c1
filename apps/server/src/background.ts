import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { ACCESS_PURGE_JOB, accessJobHandlers } from './modules/auth/jobs';
import { DEVICE_IMPORT_EXPIRY_JOB } from './modules/devices/import/imports-repo';
import { importJobHandlers } from './modules/devices/import/service';
import type { DirectoryCache } from './modules/directory/cache/directory-cache';
import type { ConnectorFactory } from './modules/directory/sync/connector-factory';
import { directoryJobHandlers } from './modules/directory/sync/directory-sync';
import { DIRECTORY_SCHEDULE_JOB, directoryScheduleHandlers } from './modules/directory/sync/schedule';
import { EXCHANGE_RATES_JOB, exchangeRateJobHandlers } from './modules/money/exchange-rates';
import { type AuditRelay, createAuditRelay } from './platform/audit-store/relay';
import type { AuditStore } from './platform/audit-store/store';
import type { Clock } from './platform/clock';
import type { KeyProvider } from './platform/crypto/key-provider';
import type { TenantKeyring } from './platform/crypto/keyring-service';
import type { LinkKeys } from './platform/crypto/link-keys';
import { cryptoJobHandlers } from './platform/crypto/rotation';
import type { DatabaseHandle } from './platform/db/connect';
import { FILES_PURGE_JOB, fileJobHandlers } from './platform/files/purge-job';
import { startRecurringJobs } from './platform/jobs/schedule';
import { createJobRunner } from './platform/jobs/worker';
import type { SessionStore } from './platform/sessions';
import { createRepos } from './repos';
// Feature modules register their sealed columns on import; the re-encryption job must know them all.
import './repos';

export interface BackgroundDeps {
  database: DatabaseHandle;
  auditStore: AuditStore;
  keyProvider: KeyProvider;
  keyring: TenantKeyring;
  clock: Clock;
  logger: FastifyBaseLogger;
  sessionStore: SessionStore;
  signInStates: { purgeExpired(nowSeconds: number): Promise<number> };
  authLogRetentionDays: number;
  linkKeys: LinkKeys;
  directoryCache: DirectoryCache;
  /** Builds the connectors the sync job reads directories with (CA and address policy). */
  directoryConnectors: ConnectorFactory;
  /** The daily reference-rate document (ECB XML format). */
  exchangeRatesUrl: string;
}

export interface Background {
  auditRelay: AuditRelay;
  stop(): Promise<void>;
}

/** Work that runs beside the HTTP server on every node: the job runner, recurring jobs and the audit relay. */
export function startBackground(deps: BackgroundDeps): Background {
  const { database: handle, clock, logger } = deps;
  const runner = createJobRunner({
    handle,
    clock,
    // Unique per process, so a lease names exactly one runner even with several nodes per host.
    owner: `${os.hostname()}:${process.pid}:${randomUUID()}`,
    handlers: {
      ...cryptoJobHandlers({ handle, provider: deps.keyProvider, keyring: deps.keyring, clock }),
      ...fileJobHandlers({ handle, clock }),
      ...accessJobHandlers({
        handle,
        clock,
        sessionStore: deps.sessionStore,
        signInStates: deps.signInStates,
        authLogRetentionDays: deps.authLogRetentionDays,
      }),
      ...directoryJobHandlers({
        repos: createRepos(handle),
        keyring: deps.keyring,
        clock,
        linkKeys: deps.linkKeys,
        directoryCache: deps.directoryCache,
        connectorFor: deps.directoryConnectors,
        logger,
      }),
      ...directoryScheduleHandlers({ handle, clock }),
      ...exchangeRateJobHandlers({ handle, clock, url: deps.exchangeRatesUrl, logger }),
      ...importJobHandlers({
        repos: createRepos(handle),
        clock,
        keyring: deps.keyring,
        directoryCache: deps.directoryCache,
        dialect: handle.dialect,
      }),
    },
    pollMs: 1_000,
    leaseMs: 60_000,
    logger,
  });
  const recurring = startRecurringJobs({
    handle,
    clock,
    jobs: [
      { kind: FILES_PURGE_JOB, every: 'daily' },
      { kind: ACCESS_PURGE_JOB, every: 'daily' },
      { kind: EXCHANGE_RATES_JOB, every: 'daily' },
      { kind: DEVICE_IMPORT_EXPIRY_JOB, every: 'daily' },
      // Each connection syncs daily at its own local time; the hourly check queues the due ones.
      { kind: DIRECTORY_SCHEDULE_JOB, every: 'hourly' },
    ],
    logger,
  });
  const auditRelay = createAuditRelay({
    main: handle,
    store: deps.auditStore,
    onError: (err) => logger.error({ err }, 'audit relay failed'),
  });
  runner.start();
  auditRelay.start();
  return {
    auditRelay,
    async stop() {
      await recurring.stop();
      await runner.stop();
      await auditRelay.stop();
    },
  };
}
