import type { Dialect } from './connect';

/** Column types per dialect, so one migration set builds the same schema on SQLite and PostgreSQL. */
export interface ColumnTypes {
  dialect: Dialect;
  /** UUIDv7 ids: native uuid on PostgreSQL, text on SQLite. */
  id: 'uuid' | 'text';
  text: 'text';
  /** ISO-8601 UTC text on both (sorts correctly, no driver date conversion). */
  timestamp: 'text';
  integer: 'integer';
  /** 0/1 on both. */
  boolean: 'integer';
  /** JSON as text, parsed in the app. */
  json: 'text';
  /** Binary (wrapped keys, encrypted files): bytea on PostgreSQL, blob on SQLite; a Buffer in the app. */
  bytes: 'bytea' | 'blob';
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  return {
    dialect,
    id: dialect === 'postgres' ? 'uuid' : 'text',
    text: 'text',
    timestamp: 'text',
    integer: 'integer',
    boolean: 'integer',
    json: 'text',
    bytes: dialect === 'postgres' ? 'bytea' : 'blob',
  };
}
