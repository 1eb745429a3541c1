import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { DEMO_PEOPLE } from '../../apps/server/src/demo-people';
import { formOf, TestBrowser, trustingFetch } from '../../apps/server/src/platform/auth/dev-idp/testing';
import { percentile, round } from './stats';

export interface HttpFigure {
  requests: number;
  /** Measured by the load generator: from the request sent to the response's last byte read. */
  p50Ms: number;
  p95Ms: number;
  rps: number;
  /**
   * Time in the server (issue 6), real server only: from the request's headers parsed to its response
   * handed to the socket, under the same load; excludes TLS, the socket queues and the load generator.
   */
  serverP50Ms?: number;
  serverP95Ms?: number;
}

export interface DeviceFigures {
  devices: number;
  seedMs: number;
  /** `rawRps`: the same queries and JSON on a bare Fastify (same TLS); `ratio = rps / rawRps`. */
  list: HttpFigure & { rawRps: number; ratio: number };
  /** A constant JSON answer on the bare Fastify: the ceiling of TLS + HTTP on this machine. */
  helloRps: number;
  filter: HttpFigure;
  search: HttpFigure;
  /** A device's history (newest first) with `historyEvents` events in the tenant's audit store. */
  history: HttpFigure;
  historyEvents: number;
  historySeedMs: number;
  export: ExportFigure;
}

export interface ExportFigure {
  format: 'csv';
  rows: number;
  megabytes: number;
  mbPerSec: number;
  /** The server process's resident memory before, and its peak while exporting (Linux; null elsewhere). */
  rssBeforeMb: number | null;
  peakRssMb: number | null;
  /**
   * The peak, sampled every 50 ms, of the two parts of the resident memory: the process's own (heap,
   * buffers: `RssAnon`) and file pages it has mapped (SQLite's memory-mapped database, shared with the
   * kernel's page cache and given back under pressure: `RssFile`).
   */
  peakRssAnonMb: number | null;
  peakRssFileMb: number | null;
}

/** Linux only: resets a process's peak RSS, then reads it back (VmHWM), in MB. */
function peakRss(pid: number) {
  const status = `/proc/${pid}/status`;
  return {
    reset() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not Linux, or not allowed: the figure is then the process's peak since it started.
      }
    },
    read(field: 'VmHWM' | 'VmRSS' | 'RssAnon' | 'RssFile' = 'VmHWM'): number | null {
      try {
        const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(status, 'utf8'))?.[1];
        return kb ? Math.round(Number(kb) / 1024) : null;
      } catch {
        return null;
      }
    },
  };
}

/** DEV-13: the whole device list as CSV, streamed: throughput and the server's peak memory meanwhile. */
async function exportFigure(origin: string, ca: string, cookie: string, pid: number): Promise<ExportFigure> {
  const memory = peakRss(pid);
  memory.reset();
  const rssBeforeMb = memory.read('VmRSS');
  const peaks = { anon: memory.read('RssAnon'), file: memory.read('RssFile') };
  const sample = () => {
    const anon = memory.read('RssAnon');
    const file = memory.read('RssFile');
    if (anon !== null) peaks.anon = Math.max(peaks.anon ?? 0, anon);
    if (file !== null) peaks.file = Math.max(peaks.file ?? 0, file);
  };
  const sampler = setInterval(sample, 50);
  const started = performance.now();
  let bytes = 0;
  let newlines = 0;
  await new Promise<void>((resolve, reject) => {
    https
      .get(`${origin}/api/v1/devices/export?format=csv`, { ca, headers: { cookie } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const byte of chunk) if (byte === 10) newlines++;
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      })
      .on('error', reject);
  }).finally(() => clearInterval(sampler));
  sample();
  const seconds = (performance.now() - started) / 1000;
  return {
    format: 'csv',
    rows: newlines - 1,
    megabytes: round(bytes / 1_048_576, 1),
    mbPerSec: round(bytes / 1_048_576 / seconds, 1),
    rssBeforeMb,
    peakRssMb: memory.read(),
    peakRssAnonMb: peaks.anon,
    peakRssFileMb: peaks.file,
  };
}

const CONCURRENCY = 10;

/** A fresh PostgreSQL database with a non-owner app role, as production runs (ARCHITECTURE 4.1). */
export async function freshPostgres(adminUrl: string) {
  const name = `ts_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create role ${name}_owner login nosuperuser nobypassrls`);
  await admin.query(`create role ${name}_app login nosuperuser nobypassrls`);
  await admin.query(`create database ${name} owner ${name}_owner`);
  await admin.end();
  const url = (user: string) => {
    const u = new URL(adminUrl);
    u.username = user;
    u.password = '';
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    env: { DATABASE_URL: url(`${name}_app`), DATABASE_MIGRATION_URL: url(`${name}_owner`) },
    ownerUrl: url(`${name}_owner`),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`drop role if exists ${name}_app`);
      await c.query(`drop role if exists ${name}_owner`);
      await c.end();
    },
  };
}

/** `requests` GETs spread over 10 keep-alive connections; latency per request, throughput overall. */
async function load(
  origin: string,
  ca: string,
  cookie: string,
  paths: readonly string[],
  requests: number,
  serverTimes?: () => Promise<number[]>,
): Promise<HttpFigure> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca });
  const get = (target: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = https.get(
        `${origin}${target}`,
        { agent, headers: { cookie, accept: 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`${target} answered ${res.statusCode}`));
            else resolve(performance.now() - started);
          });
        },
      );
      req.on('error', reject);
    });
  // Every connection at work, over and over, as in the measurement: a server runs for days, so what is
  // measured is its steady state, after the JIT has compiled the request's path (not counted).
  const run = async (count: number, timings: number[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          const i = next++;
          timings.push(await get(paths[i % paths.length]!));
        }
      }),
    );
  };
  await run(Math.max(50, Math.round(requests / 4)), []);
  await serverTimes?.();
  const timings: number[] = [];
  const started = performance.now();
  await run(requests, timings);
  const elapsed = performance.now() - started;
  agent.destroy();
  timings.sort((a, b) => a - b);
  const inServer = (await serverTimes?.())?.sort((a, b) => a - b);
  if (inServer && inServer.length !== requests)
    throw new Error(`the server timed ${inServer.length} requests, not ${requests}`);
  return {
    requests,
    p50Ms: round(percentile(timings, 0.5), 2),
    p95Ms: round(percentile(timings, 0.95), 2),
    rps: Math.round((requests / elapsed) * 1000),
    ...(inServer && {
      serverP50Ms: round(percentile(inServer, 0.5), 2),
      serverP95Ms: round(percentile(inServer, 0.95), 2),
    }),
  };
}

/**
 * SPEC 9 / DEV-9: the real server (HTTPS, sessions, tenant scope, schemas) with `devices` devices in the
 * demo tenant, signed in as its Administrator: list pages, filtered pages and text search.
 */
export async function benchDevices(
  database: 'sqlite' | 'postgres',
  devices: number,
  requests: number,
): Promise<DeviceFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'thestorage-bench-'));
  const postgres = database === 'postgres' ? await freshPostgres(process.env.BENCH_DATABASE_URL!) : undefined;
  // The server under measurement: the seed phase fills the database in a process of its own, then the
  // serve phase starts on it (bench-server.ts), so its memory is a server's, not the generator's.
  const phase = (name: 'seed' | 'serve') =>
    spawn(
      process.execPath,
      [
        // BENCH_CPU_PROF=<dir> writes a CPU profile of the server process there (what to optimise next).
        ...(name === 'serve' && process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),
        // The bench may collect the server's garbage before the export figure (see bench-server.ts).
        ...(name === 'serve' ? ['--expose-gc'] : []),
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'bench-server.ts'),
      ],
      {
        env: {
          ...process.env,
          ...postgres?.env,
          // The embedded default, whatever the caller's environment says (vitest sets MODE=test).
          MODE: 'embedded',
          BENCH_PHASE: name,
          BENCH_DATA_DIR: dataDir,
          BENCH_DEVICES: String(devices),
          RATE_LIMIT_API_PER_MINUTE: '1000000',
        },
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      },
    );
  /** The phase's one JSON line, or the reason it stopped without one. */
  const firstLine = async (child: ChildProcess) => {
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the benchmark server stopped before it was ready (exit code ${code})`);
    });
    const ready = once(createInterface({ input: child.stdout! }), 'line') as Promise<[string]>;
    return JSON.parse((await Promise.race([ready, exited]))[0]) as unknown;
  };
  let child: ChildProcess | undefined;
  try {
    const seeder = phase('seed');
    const seeded = firstLine(seeder);
    const [[code]] = await Promise.all([once(seeder, 'exit') as Promise<[number | null]>, seeded]);
    if (code !== 0) throw new Error(`the benchmark seed stopped with exit code ${code}`);
    const { seedMs, historyEvents, historySeedMs, historyDeviceIds } = (await seeded) as {
      seedMs: number;
      historyEvents: number;
      historySeedMs: number;
      historyDeviceIds: string[];
    };
    child = phase('serve');
    const serving = child;
    const serverTimes = async () => {
      const answer = once(serving, 'message') as Promise<[number[]]>;
      serving.send('server-times');
      return (await answer)[0];
    };
    const { url, rawUrl } = (await firstLine(serving)) as { url: string; rawUrl: string };
    const server = { url };
    const ca = readFileSync(path.join(dataDir, 'tls', 'ca.pem'), 'utf8');
    const browser = new TestBrowser(trustingFetch(ca));
    const start = await browser.follow(`${server.url}/auth/sign-in/dev`);
    const { action } = formOf(await start.response!.text());
    const ada = DEMO_PEOPLE.find((p) => p.demoRole === 'administrator')!;
    await browser.follow(new URL(action, start.url), undefined, { form: { sub: ada.sub } });
    const cookie = browser.cookieHeader(new URL('/api/v1/devices', server.url));

    const list = await load(
      server.url,
      ca,
      cookie,
      ['/api/v1/devices?limit=50&sort=name&order=asc'],
      requests,
      serverTimes,
    );
    const raw = await load(rawUrl, ca, '', ['/raw/devices?limit=50&sort=name&order=asc'], requests);
    const hello = await load(rawUrl, ca, '', ['/hello'], requests);
    const filter = await load(
      server.url,
      ca,
      cookie,
      [
        '/api/v1/devices?limit=50&status=in_use&sort=modified&order=desc',
        '/api/v1/devices?limit=50&status=used,damaged&sort=number',
      ],
      requests,
      serverTimes,
    );
    const search = await load(
      server.url,
      ca,
      cookie,
      ['book', 'thinkpad', 'sn-1a', 'galaxy s2', 'u2723'].map(
        (q) => `/api/v1/devices?limit=50&search=${encodeURIComponent(q)}`,
      ),
      requests,
      serverTimes,
    );
    const history = await load(
      server.url,
      ca,
      cookie,
      historyDeviceIds.map((id) => `/api/v1/devices/${id}/history`),
      requests,
      serverTimes,
    );
    const collected = once(serving, 'message');
    serving.send('collect-garbage');
    await collected;
    const exported = await exportFigure(server.url, ca, cookie, serving.pid!);
    return {
      devices,
      seedMs,
      list: { ...list, rawRps: raw.rps, ratio: round(list.rps / raw.rps, 2) },
      helloRps: hello.rps,
      filter,
      search,
      history,
      historyEvents,
      historySeedMs,
      export: exported,
    };
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
