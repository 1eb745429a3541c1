import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from './connect';
import type { DB } from './schema';

/**
 * What `build` receives in place of a value: an object, so a string method called on it fails, and text
 * made from it (concatenation, `String()`, `Number()`) carries the prefix and is found out.
 */
const MARKER_PREFIX = '\u0000query-template:';
class Marker {
  constructor(readonly name: string) {
    Object.freeze(this);
  }
  [Symbol.toPrimitive]() {
    return `${MARKER_PREFIX}${this.name}\u0000`;
  }
}

interface Shape {
  sql: string;
  /** Per parameter of the compiled query: the name of the value that goes there, or a constant of the query. */
  slots: ({ name: string } | { constant: unknown })[];
}

/**
 * A query of fixed shape run on every request (the session's tenant and role, the device list's view
 * settings): built through Kysely and compiled once per dialect, then run with new values. Kysely builds a
 * query as a tree of frozen nodes and compiles it to SQL on every run, which cost 13 % of the server's CPU
 * time under the list benchmark, more than a statement of SQLite itself.
 *
 * `build` receives a marker in place of each value and must pass values through to the query unchanged,
 * as parameters (no arithmetic, concatenation or lists built from them; `in` lists vary in shape): the
 * first compilation checks that every value read appears as a parameter of its own and nowhere else, and
 * throws otherwise. Values are scalars bound as parameters, so the SQL text never holds one.
 */
export function queryTemplate<Values extends Record<string, unknown>, Row>(
  build: (db: Kysely<DB>, values: Values) => Compilable<Row>,
) {
  const shapes = new Map<Dialect, Shape>();

  const shapeFor = (db: Kysely<DB>, dialect: Dialect): Shape => {
    const known = shapes.get(dialect);
    if (known) return known;
    const read = new Set<string>();
    const markers = new Proxy({} as Values, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return new Marker(name);
      },
    });
    const compiled = build(db, markers).compile();
    const slots = compiled.parameters.map((value): Shape['slots'][number] => {
      if (value instanceof Marker) return { name: value.name };
      if (typeof value === 'string' && value.includes(MARKER_PREFIX)) {
        throw new Error(
          `query template: a value was changed on its way into the query (${JSON.stringify(value)})`,
        );
      }
      return { constant: value };
    });
    for (const name of read) {
      if (!slots.some((slot) => 'name' in slot && slot.name === name)) {
        throw new Error(`query template: the value "${name}" is not a parameter of the query`);
      }
    }
    if (compiled.sql.includes(MARKER_PREFIX)) {
      throw new Error('query template: a value was written into the SQL text instead of a parameter');
    }
    const shape = { sql: compiled.sql, slots };
    shapes.set(dialect, shape);
    return shape;
  };

  return {
    /** Runs the query on `db` (a connection, transaction or the pool) of the given dialect. */
    async execute(db: Kysely<DB>, dialect: Dialect, values: Values): Promise<Row[]> {
      const { sql, slots } = shapeFor(db, dialect);
      const parameters = slots.map((slot) => ('name' in slot ? values[slot.name] : slot.constant));
      return (await db.executeQuery<Row>(CompiledQuery.raw(sql, parameters))).rows;
    },
  };
}
