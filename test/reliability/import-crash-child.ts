// A service process for import-crash.test.ts: runs the queued device import job and, once half the
// devices are written inside the import's transaction, announces it on stdout and waits to be killed
// with SIGKILL — the process dies mid-transaction, with no chance to roll back or clean up.

import { importJobHandlers } from '../../apps/server/src/modules/devices/import/service';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { systemClock } from '../../apps/server/src/platform/clock';
import { createKeyring } from '../../apps/server/src/platform/crypto/keyring-service';
import { createLocalKeyProvider } from '../../apps/server/src/platform/crypto/local-key-provider';
import { openPostgres, openSqlite } from '../../apps/server/src/platform/db/connect';
import { createJobRunner } from '../../apps/server/src/platform/jobs/worker';
import { createRepos } from '../../apps/server/src/repos';

const { CRASH_DB_FILE, CRASH_DB_URL, CRASH_KEY_FILE, CRASH_AFTER } = process.env;
const handle = CRASH_DB_URL
  ? openPostgres({ url: CRASH_DB_URL, requireTls: false, max: 3 })
  : openSqlite(CRASH_DB_FILE!);
const clock = systemClock;
const provider = createLocalKeyProvider({ file: CRASH_KEY_FILE!, clock });
const stopAfter = Number(CRASH_AFTER);

const runner = createJobRunner({
  handle,
  clock,
  owner: `crash-child-${process.pid}`,
  handlers: importJobHandlers({
    repos: createRepos(handle),
    clock,
    keyring: createKeyring({ provider, clock }),
    directoryCache: createDirectoryCache({ cache: createMemoryCache({ clock }), clock }),
    dialect: handle.dialect,
    hooks: {
      async onChunk(written) {
        if (written < stopAfter) return;
        process.stdout.write(`half-way ${written}\n`);
        setInterval(() => {}, 60_000);
        await new Promise(() => {});
      },
    },
  }),
  pollMs: 50,
  leaseMs: 60_000,
  logger: { info() {}, warn() {}, error: (obj) => process.stderr.write(`${JSON.stringify(obj)}\n`) },
});
const ran = await runner.runOnce();
process.stdout.write(ran ? 'finished without being killed\n' : 'no job was due\n');
process.exit(1);
