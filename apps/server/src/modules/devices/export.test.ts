import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../../../test/support/databases';
import { type DevicesHarness, startDevicesHarness } from './devices-test-harness';
import { EXPORT_COLUMNS, neutralised } from './export';

describe('export cells', () => {
  it('DEV-13: cells a spreadsheet would run are written as text, whatever their first character', () => {
    for (const risky of [
      '=1+1',
      '+1',
      '-1',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '\0=1',
      '＝1',
      '＋1',
      '－1',
      '＠1',
    ]) {
      expect(neutralised(risky)).toBe(`'${risky}`);
    }
    for (const safe of ['ThinkPad', '1-2', 'a=b', '', 'Ünïcode']) expect(neutralised(safe)).toBe(safe);
    expect(neutralised(42)).toBe(42);
    expect(neutralised(null)).toBeNull();
  });
});

describe('the CSV writer', () => {
  it('DEV-13: no written cell starts like a formula, and every cell reads back as what was meant (property)', () => {
    const risky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\0', '＝', '＋', '－', '＠');
    const cell = fc.oneof(
      fc.string(),
      fc.tuple(risky, fc.string()).map(([a, b]) => a + b),
      fc.string({ unit: 'grapheme' }),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const written = stringify([cells.map(neutralised)]);
        const [back] = parse(written, { relax_column_count: true }) as string[][];
        expect(back).toHaveLength(cells.length);
        back!.forEach((value, i) => {
          expect(/^[=+\-@\t\r\0＝＋－＠]/.test(value)).toBe(false);
          const original = cells[i]!;
          expect(value).toBe(/^[=+\-@\t\r\0＝＋－＠]/.test(original) ? `'${original}` : original);
        });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe.each(databaseTargets())('device export on $name', (target) => {
  let h: DevicesHarness;
  beforeAll(async () => {
    h = await startDevicesHarness(target);
    h.signIn('operator');
    await h.call('POST', '/devices', {
      name: '=HYPERLINK("http://evil.example","click")',
      serial: '+SERIAL',
    });
    await h.call('POST', '/devices', {
      name: 'ThinkPad T14',
      assignee: { kind: 'employee', reference: h.people[0]!.reference },
    });
    for (let i = 0; i < 2_345; i++)
      await h.call('POST', '/devices', { name: `Dock ${i}`, status: i % 2 ? 'used' : 'new' });
  }, 240_000);
  afterAll(() => h?.close());

  const download = async (query: string) => {
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/devices/export?${query}` });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return res;
  };

  it('DEV-13: CSV holds every matching device in list order, names resolved, formulas neutralised', async () => {
    h.signIn('viewer');
    const res = await download('format=csv&sort=number&order=asc');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="devices-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const records: string[][] = parse(res.rawPayload, { bom: true });
    expect(records[0]).toEqual(EXPORT_COLUMNS.map(([title]) => title));
    expect(records).toHaveLength(1 + 2 + 2_345);
    expect(records[1]!.slice(0, 3)).toEqual(['1', `'=HYPERLINK("http://evil.example","click")`, "'+SERIAL"]);
    const assigned = records[2]!;
    expect(assigned[5]).toBe(h.people[0]!.person.displayName);
    expect(assigned[6]).toBe(h.people[0]!.person.userName);
    expect(records.slice(1).map((r) => Number(r[0]))).toEqual([...Array(2 + 2_345).keys()].map((i) => i + 1));
  });

  it('DEV-13: XLSX of the filtered list, with the same columns', async () => {
    h.signIn('operator');
    const res = await download('format=xlsx&status=used');
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Devices')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(EXPORT_COLUMNS.map(([title]) => title));
    expect(sheet.actualRowCount).toBe(1 + Math.floor(2_345 / 2));
    expect(sheet.getRow(2).getCell(5).value).toBe('Used');
  });

  it('DEV-13: another tenant exports only its own devices', async () => {
    h.signIn('administrator', h.tenantB);
    const res = await download('format=csv');
    expect(parse(res.rawPayload, { bom: true })).toEqual([EXPORT_COLUMNS.map(([title]) => title)]);
    h.signIn('employee');
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/devices/export' })).statusCode).toBe(403);
  });

  it('DEV-13, SPEC 9: the export reads through the bulk reader, which sees a device written a moment before', async () => {
    h.signIn('operator');
    expect((await h.call('POST', '/devices', { name: 'Written just now' })).status).toBe(200);
    const before = h.bulkReads();
    const res = await download('format=csv&search=written%20just');
    expect(h.bulkReads()).toBeGreaterThan(before);
    const records: string[][] = parse(res.rawPayload, { bom: true });
    expect(records.slice(1).map((r) => r[1])).toEqual(['Written just now']);
  });
});
