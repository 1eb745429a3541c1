/**
 * The server under measurement, in its own process so the load generator does not share its event loop.
 * Two phases, each its own process, so the measured server holds what serving takes and not what
 * generating 100,000 devices and 1,000,000 events left in its heap and caches (as a server restarted on
 * an existing database would):
 * - BENCH_PHASE=seed starts the embedded default in BENCH_DATA_DIR (PostgreSQL when DATABASE_URL is set),
 *   which migrates and creates the demo tenant, adds BENCH_DEVICES devices and their history, prints one
 *   JSON line `{ seedMs, historyEvents, historySeedMs, historyDeviceIds }` and exits.
 * - BENCH_PHASE=serve starts it again on that data, prints one JSON line `{ url, rawUrl }` and runs until
 *   SIGTERM. `rawUrl` is the baseline beside it (issue 8): a bare Fastify on the same certificate and TLS
 *   settings, with `/hello` and `/raw/devices` — the device list's queries and JSON, without session,
 *   permissions, rate limits, security headers or response schema. Over IPC, the message 'server-times'
 *   answers with the time in the server of each request since the last such message, and
 *   'collect-garbage' runs a full garbage collection, then answers 'collected'.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../../apps/server/src/config';
import { auditStoreInPostgres, openAuditStoreFile } from '../../apps/server/src/platform/audit-store/store';
import { openPostgres, openSqlite } from '../../apps/server/src/platform/db/connect';
import { withSystem, withTenant } from '../../apps/server/src/platform/db/tenant-scope';
import { startServer } from '../../apps/server/src/server';
import { bareServer } from './bare-server';
import { seedDevices } from './seed-devices';
import { seedHistory } from './seed-history';

const dataDir = process.env.BENCH_DATA_DIR!;
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
const server = await startServer(config, { logger: pino({ level: 'silent' }) });
const migrationUrl = process.env.DATABASE_MIGRATION_URL;
if (process.env.BENCH_PHASE === 'seed') {
  console.log(JSON.stringify(await seed()));
  await server.close();
  process.exit(0);
}
// Time in the server (issue 6): from the request's headers parsed to its response handed to the socket,
// per request; the load generator asks for them over IPC ('server-times' answers and empties the list).
let serverTimes: number[] = [];
server.app.server.prependListener('request', (_request, response) => {
  const started = performance.now();
  response.once('finish', () => serverTimes.push(performance.now() - started));
});
process.on('message', (message) => {
  // Before the export figure: the garbage the figures before it left in the heap is collected, so the export's
  // peak memory is what the export adds to the server's live memory, not how many requests ran before it
  // (the serve phase runs with --expose-gc).
  if (message === 'collect-garbage') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.('collected');
    return;
  }
  if (message !== 'server-times') return;
  process.send?.(serverTimes);
  serverTimes = [];
});
const bare = await bareServer(
  dataDir,
  migrationUrl ? process.env.DATABASE_URL! : path.join(dataDir, 'thestorage.db'),
);
console.log(JSON.stringify({ url: server.url, rawUrl: bare.url }));
process.on('SIGTERM', () => {
  void Promise.all([server.close(), bare.close()]).then(() => process.exit(0));
});

/** Adds the devices and their history to the demo tenant, through a connection of its own. */
async function seed() {
  const handle = migrationUrl
    ? openPostgres({ url: migrationUrl, requireTls: false, max: 4 })
    : openSqlite(path.join(dataDir, 'thestorage.db'));
  const started = performance.now();
  let historyDeviceIds: string[] = [];
  let historyEvents = 0;
  let historySeedMs = 0;
  try {
    await seedDevices(handle, 'demo', Number(process.env.BENCH_DEVICES));
    // SPEC 9: ten history events per device (1,000,000 at 100,000 devices) in the audit store.
    const historyStarted = performance.now();
    const tenant = await withSystem(handle, (trx) =>
      trx.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow(),
    );
    const tenantId = String(tenant.id);
    const ids = (
      await withTenant(handle, tenantId, (trx) =>
        trx.selectFrom('devices').select('id').where('tenant_id', '=', tenantId).orderBy('number').execute(),
      )
    ).map((row) => row.id);
    const store = migrationUrl
      ? auditStoreInPostgres(handle)
      : openAuditStoreFile(path.join(dataDir, 'audit.db'));
    try {
      historyEvents = await seedHistory(
        store,
        tenantId,
        ids,
        Number(process.env.BENCH_HISTORY_PER_DEVICE ?? 10),
      );
    } finally {
      if (!migrationUrl) await store.destroy();
    }
    historySeedMs = Math.round(performance.now() - historyStarted);
    // Devices spread over the list, for the history figure.
    historyDeviceIds = Array.from({ length: 200 }, (_, i) => ids[Math.floor((i * ids.length) / 200)]!);
  } finally {
    await handle.destroy();
  }
  return { seedMs: Math.round(performance.now() - started), historyEvents, historySeedMs, historyDeviceIds };
}
