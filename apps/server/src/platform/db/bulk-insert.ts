import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { DB } from './schema';

/** Parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const MAX_PARAMETERS = 30_000;
/** And at most this many rows, so a narrow table's statement stays a reasonable size. */
const MAX_ROWS = 2_000;

const statements = new Map<string, string>();

/** `insert into "t" ("a", "b") values (?, ?), (?, ?)`, or `$1…` for PostgreSQL; made once per shape. */
function insertText(table: string, columns: readonly string[], rows: number, numbered: boolean): string {
  const key = `${table}\0${columns.join('\0')}\0${rows}\0${numbered}`;
  let text = statements.get(key);
  if (!text) {
    const tuples: string[] = [];
    for (let row = 0; row < rows; row++) {
      const marks = columns.map((_, i) => (numbered ? `$${row * columns.length + i + 1}` : '?'));
      tuples.push(`(${marks.join(', ')})`);
    }
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
    if (statements.size > 200) statements.clear();
    statements.set(key, text);
  }
  return text;
}

/**
 * Multi-row INSERTs written as SQL text with parameters: building a 500-row insert through the query
 * builder costs more than running it (an import writes hundreds of thousands of rows). Table and column
 * names come from the calling code, never from input; every row must have the first row's columns.
 */
export async function insertRows(
  trx: Kysely<DB>,
  table: keyof DB & string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  // The dialect's placeholder style, read from a compiled one-parameter query.
  const numbered = trx.selectNoFrom(sql<number>`${1}`.as('one')).compile().sql.includes('$1');
  const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(start + perStatement, rows.length);
    const params: unknown[] = new Array((end - start) * columns.length);
    let p = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      for (const column of columns) {
        const value = row[column];
        params[p++] = value === undefined ? null : value;
      }
    }
    await trx.executeQuery(CompiledQuery.raw(insertText(table, columns, end - start, numbered), params));
  }
}
