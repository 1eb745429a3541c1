/**
 * `npm run bench` (SPEC section 9): measures each figure beside its baseline, prints a table, then as its
 * last line one JSON object. `--quick` uses the small sizes; `--json` prints only the JSON line.
 * Figures so far: `picker` (issue 5), `list`, `filter` and `search` of devices (issue 6), `export` and
 * `import` with its bare-statement baseline (issue 7), the list's bare-Fastify baseline, `seal`
 * `directorySync` and `history` over 1,000,000 events (issue 8). The full-tenant export comes with that feature.
 */
import os from 'node:os';
import { benchDevices, type DeviceFigures } from './devices';
import { benchDirectorySync, type DirectorySyncFigure } from './directory-sync';
import { benchImport, type ImportFigure } from './import';
import { benchPicker, type PickerFigure } from './picker';
import { benchSeal, type SealFigure } from './seal';

interface DatabaseFigures extends Partial<DeviceFigures> {
  picker: PickerFigure;
  seal: SealFigure;
  directorySync: DirectorySyncFigure;
  import?: ImportFigure;
}

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const jsonOnly = args.has('--json');
const say = (line: string) => {
  if (!jsonOnly) console.log(line);
};

async function main() {
  const employees = quick ? 10_000 : 100_000;
  say(
    `TheStorage benchmark — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
  );
  say(`Node ${process.version}, ${quick ? 'quick' : 'full'} run\n`);

  const picker = await benchPicker(employees);
  // Seal and open run in memory once the tenant's data key is unwrapped: the same figure for both databases.
  const seal = await benchSeal(quick ? 5_000 : 50_000);
  // The sync writes people to the 14-day cache (memory here), not to the database.
  const directorySync = await benchDirectorySync(employees);
  const devices = quick ? 10_000 : 100_000;
  const requests = quick ? 500 : 2_000;
  // The picker searches the in-process 14-day cache: the same figure whatever the database.
  const report: Record<string, DatabaseFigures> = {
    sqlite: {
      picker,
      seal,
      directorySync,
      import: await benchImport('sqlite', devices),
      ...(await benchDevices('sqlite', devices, requests)),
    },
  };
  if (process.env.BENCH_DATABASE_URL) {
    report.postgres = {
      picker,
      seal,
      directorySync,
      import: await benchImport('postgres', devices),
      ...(await benchDevices('postgres', devices, requests)),
    };
  }

  const rows: [string, string, string, string][] = [
    ['figure', 'measured', 'baseline', 'target'],
    [
      `picker (${picker.employees.toLocaleString('en')} employees)`,
      `p95 ${picker.p95Ms} ms (p50 ${picker.p50Ms} ms)`,
      `scan p95 ${picker.scanP95Ms} ms (×${picker.ratio})`,
      'p95 < 10 ms',
    ],
    [
      `directorySync (${directorySync.users.toLocaleString('en')} Entra users, Graph fake)`,
      `${directorySync.usersPerMin.toLocaleString('en')} users/min (${directorySync.ms} ms)`,
      'the original service: ~1,000 users/min',
      '≥ 100,000 users/min',
    ],
    [
      `seal (${seal.values.toLocaleString('en')} licence keys)`,
      `${seal.sealOpenPerSec.toLocaleString('en')} seal+open/s`,
      `bare AES-256-GCM ${seal.rawSealOpenPerSec.toLocaleString('en')}/s (×${seal.ratio})`,
      '—',
    ],
  ];
  for (const [name, figures] of Object.entries(report)) {
    if (figures.import) {
      const i = figures.import;
      rows.push([
        `import on ${name} (${i.rows.toLocaleString('en')} rows CSV, ${i.megabytes} MB)`,
        `run ${i.rowsPerSec.toLocaleString('en')} rows/s (${i.runMs} ms: plan ${i.planMs} + write ${i.writeMs}; CPU ${i.runCpuMs} ms); with upload ${i.uploadMs} ms and check ${i.checkMs} ms ${i.endToEndRowsPerSec.toLocaleString('en')} rows/s`,
        `bare statements ${i.rawRowsPerSec.toLocaleString('en')} rows/s (×${i.ratio})`,
        '≥ 15,000 rows/s, ratio ≥ 0.5',
      ]);
    }
    if (figures.export) {
      const e = figures.export;
      rows.push([
        `export on ${name} (${e.rows.toLocaleString('en')} rows CSV)`,
        `${e.mbPerSec} MB/s, ${e.megabytes} MB, server RSS ${e.rssBeforeMb ?? '?'} → peak ${e.peakRssMb ?? '?'} MB (own ${e.peakRssAnonMb ?? '?'}, file pages ${e.peakRssFileMb ?? '?'})`,
        '—',
        'constant memory',
      ]);
    }
    if (figures.history) {
      rows.push([
        `history on ${name} (${figures.historyEvents?.toLocaleString('en')} events in the audit store)`,
        `p95 ${figures.history.p95Ms} ms, p50 ${figures.history.p50Ms} ms, ${figures.history.rps} req/s; in the server p95 ${figures.history.serverP95Ms} ms`,
        '—',
        '—',
      ]);
    }
    for (const key of ['list', 'filter', 'search'] as const) {
      const figure = figures[key];
      if (!figure) continue;
      rows.push([
        `${key} on ${name} (${figures.devices?.toLocaleString('en')} devices)`,
        `p95 ${figure.p95Ms} ms, p50 ${figure.p50Ms} ms, ${figure.rps} req/s; in the server p95 ${figure.serverP95Ms} ms, p50 ${figure.serverP50Ms} ms`,
        key === 'list' && figures.list
          ? `bare Fastify ${figures.list.rawRps} req/s (×${figures.list.ratio}); hello ${figures.helloRps} req/s`
          : '—',
        key === 'search' ? 'p95 ≤ 30 ms' : 'p95 ≤ 20 ms, ≥ 1,000 req/s',
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) say(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  say(
    `\npicker: cache filled in ${picker.replaceAllMs} ms; index rebuilt on another node in ${picker.rebuildMs} ms\n`,
  );
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
