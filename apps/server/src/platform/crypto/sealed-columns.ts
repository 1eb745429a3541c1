/**
 * Every column that holds sealed values, so the re-encryption job (rotation.ts) can find them all.
 * Feature modules register theirs when they are loaded; each table has `tenant_id` and a unique id column.
 */
export interface SealedColumn {
  table: string;
  column: string;
  idColumn: string;
  /** 'text' = the `ts1.` string format, 'bytes' = the binary format (files). */
  kind: 'text' | 'bytes';
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const registry = new Map<string, SealedColumn>();

export function registerSealedColumn(
  input: Omit<SealedColumn, 'idColumn'> & { idColumn?: string },
): SealedColumn {
  const column: SealedColumn = { idColumn: 'id', ...input };
  for (const name of [column.table, column.column, column.idColumn]) {
    if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain SQL identifier`);
  }
  const key = `${column.table}.${column.column}`;
  const existing = registry.get(key);
  if (existing && (existing.idColumn !== column.idColumn || existing.kind !== column.kind)) {
    throw new Error(`Sealed column ${key} is already registered differently`);
  }
  registry.set(key, column);
  return column;
}

/** Registered columns in a stable order (table, then column). */
export function sealedColumns(): SealedColumn[] {
  return [...registry.values()].sort(
    (a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column),
  );
}
