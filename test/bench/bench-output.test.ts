import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

// The figures are the benchmark's business; this proves `npm run bench` keeps its promised output.
describe('npm run bench', () => {
  it('DIR-1, DIR-3, DEV-9, DEV-12, DEV-13, SEC-7, SEC-9: --quick --json prints one JSON line with every figure and its baseline', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/src/run.ts', '--quick', '--json'],
      {
        cwd: root,
        timeout: 240_000,
      },
    );
    const lines = stdout.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0], stderr).toMatch(/^\{/);
    const report = JSON.parse(lines[0]!);
    expect(report.sqlite.picker).toMatchObject({ employees: 10_000, searches: 1_000 });
    for (const field of ['p50Ms', 'p95Ms', 'scanP95Ms', 'ratio']) {
      expect(report.sqlite.picker[field]).toBeGreaterThan(0);
    }
    expect(report.sqlite.devices).toBe(10_000);
    // Every device of the demo tenant: its 280 demo devices and the 10,000 the benchmark added.
    expect(report.sqlite.export).toMatchObject({ format: 'csv', rows: 10_280 });
    expect(report.sqlite.export.mbPerSec).toBeGreaterThan(0);
    for (const figure of ['list', 'filter', 'search']) {
      expect(report.sqlite[figure]).toMatchObject({ requests: 500 });
      expect(report.sqlite[figure].p95Ms).toBeGreaterThan(0);
      expect(report.sqlite[figure].rps).toBeGreaterThan(0);
    }
    // Baselines beside the figures: the list on a bare Fastify, the import by bare statements, bare AES-GCM.
    expect(report.sqlite.list.rawRps).toBeGreaterThan(0);
    expect(report.sqlite.list.ratio).toBeCloseTo(report.sqlite.list.rps / report.sqlite.list.rawRps, 1);
    expect(report.sqlite.helloRps).toBeGreaterThan(0);
    expect(report.sqlite.import).toMatchObject({ rows: 10_000 });
    for (const field of [
      'rowsPerSec',
      'runCpuMs',
      'rawRowsPerSec',
      'ratio',
      'planMs',
      'writeMs',
      'endToEndRowsPerSec',
    ]) {
      expect(report.sqlite.import[field]).toBeGreaterThan(0);
    }
    expect(report.sqlite.directorySync).toMatchObject({ users: 10_000 });
    expect(report.sqlite.directorySync.usersPerMin).toBeGreaterThan(0);
    // Ten history events per device of the demo tenant, read back through the device history route.
    expect(report.sqlite.historyEvents).toBe(102_800);
    expect(report.sqlite.history).toMatchObject({ requests: 500 });
    expect(report.sqlite.history.p95Ms).toBeGreaterThan(0);
    expect(report.sqlite.seal).toMatchObject({ values: 5_000 });
    expect(report.sqlite.seal.ratio).toBeGreaterThan(0);
  }, 270_000);
});
