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
});
