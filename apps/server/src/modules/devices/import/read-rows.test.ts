import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralised } from '../export';
import { delimiterOf, readRows, unneutralised } from './read-rows';

describe('reading import files', () => {
  it('DEV-12, DEV-13: a cell the export wrote as text (formula injection) reads back as it was typed (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.startsWith("'")),
        (text) => {
          expect(unneutralised(String(neutralised(text)))).toBe(text);
        },
      ),
    );
    expect(unneutralised("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unneutralised("'plain")).toBe("'plain");
  });

  it('DEV-12: a CSV from a spreadsheet in a semicolon locale is read by its own delimiter', async () => {
    expect(delimiterOf(Buffer.from('Name;Serial;Price\nA;B;1,50\n'))).toBe(';');
    expect(delimiterOf(Buffer.from('Name,Serial\n'))).toBe(',');
    expect(delimiterOf(Buffer.from('Name\tSerial\n'))).toBe('\t');
    const rows = [];
    for await (const row of readRows('csv', Buffer.from('\uFEFFName;Price\n"Dock; USB-C";12,50\n\nLast;1\n')))
      rows.push(row);
    expect(rows).toEqual([
      { row: 1, cells: ['Name', 'Price'] },
      { row: 2, cells: ['Dock; USB-C', '12,50'] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['Last', '1'] },
    ]);
  });

  it('DEV-12: a large CSV keeps its characters, quotes and line breaks from first row to last', async () => {
    // Two-byte characters from an odd byte offset on, quoted cells with line breaks and quotes, CRLF rows.
    const expected: string[][] = [
      ['Name', 'Comment'],
      ['é'.repeat(40_000), 'x'],
    ];
    for (let i = 0; i < 6_000; i++) expected.push([`Gerät ${i} ${'é'.repeat(i % 7)}`, `Zeile\n"${i}" ßü`]);
    const text = expected
      .map((cells) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
      .join('\r\n');
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.length).toBeGreaterThan(3 * 64 * 1024);
    const rows: string[][] = [];
    for await (const row of readRows('csv', bytes)) rows.push(row.cells);
    expect(rows).toEqual(expected);
  });

  it('DEV-12: quotes inside a plain cell are kept as written, and a short read stops at its rows', async () => {
    const rows: string[][] = [];
    for await (const row of readRows('csv', Buffer.from('Name,Note\n12" monitor,a "good" one\r\nLast,x')))
      rows.push(row.cells);
    expect(rows).toEqual([
      ['Name', 'Note'],
      ['12" monitor', 'a "good" one'],
      ['Last', 'x'],
    ]);
    const first: string[][] = [];
    for await (const row of readRows('csv', Buffer.from('A\n1\n\n2\n3\n'), 3)) first.push(row.cells);
    expect(first).toEqual([['A'], ['1'], ['']]);
  });
});
