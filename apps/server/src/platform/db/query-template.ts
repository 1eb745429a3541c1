import { type Compilable, CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
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

interface Compiled {
  sql: string;
  /** Per parameter of the compiled query: the name of the value that goes there, or a constant of the query. */
  slots: ({ name: string } | { constant: unknown })[];
}

/**
 * A query of fixed shape run on every request (the session, the role check, the device list's queries):
 * built through Kysely and compiled once per dialect, then run with new values. Kysely builds a query as a
 * tree of frozen nodes and compiles it to SQL on every run, which cost 13 % of the server's CPU time under
 * the list benchmark, more than a statement of SQLite itself.
 *
 * `build` receives a marker in place of each value and must pass values through to the query unchanged,
 * as parameters (no arithmetic, concatenation or `in` lists built from them: a list goes in as one value,
 * a JSON array for SQLite's `json_each` or an array for PostgreSQL's `= any`). The first compilation
 * checks that every value read appears as a parameter of its own and nowhere else, and throws otherwise,
 * so the SQL text never holds a value. Plugins of the database see the results, not the queries (the
 * query is compiled already): none of the app's connections has one.
 */
export function queryTemplate<Values extends Record<string, unknown>, Row>(
  build: (db: Kysely<DB>, values: Values) => Compilable<Row> | RawBuilder<Row>,
) {
  const shaped = shapedQueryTemplate((db, _shape: null, values: Values) => build(db, values));
  return {
    /** Runs the query on `db` (a connection, transaction or the pool) of the given dialect. */
    execute: (db: Kysely<DB>, dialect: Dialect, values: Values): Promise<Row[]> =>
      shaped.execute(db, dialect, null, values),
  };
}

/** Shapes kept per template; past it they are compiled again (a bound on what input can make). */
const SHAPES_PER_TEMPLATE = 500;

/**
 * A query template whose shape depends on a few choices (which filters, which sort): one compiled query
 * per dialect and `shape`, a plain JSON value that decides the query's text and may hold constants of it
 * (a closed set of statuses, the sort column). Values go in as for `queryTemplate`.
 */
export function shapedQueryTemplate<Shape, Values extends Record<string, unknown>, Row>(
  build: (
    db: Kysely<DB>,
    shape: Shape,
    values: Values,
    dialect: Dialect,
  ) => Compilable<Row> | RawBuilder<Row>,
) {
  const shapes = new Map<string, Compiled>();

  const shapeFor = (db: Kysely<DB>, dialect: Dialect, shape: Shape): Compiled => {
    const key = shape === null ? dialect : `${dialect}\u0000${JSON.stringify(shape)}`;
    const known = shapes.get(key);
    if (known) return known;
    const read = new Set<string>();
    const markers = new Proxy({} as Values, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return new Marker(name);
      },
    });
    // A query builder compiles on its own; an `sql` template compiles against the database it is given.
    const compiled = build(db, shape, markers, dialect).compile(db);
    const slots = compiled.parameters.map((value): Compiled['slots'][number] => {
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
    const made = { sql: compiled.sql, slots };
    if (shapes.size >= SHAPES_PER_TEMPLATE) shapes.clear();
    shapes.set(key, made);
    return made;
  };

  return {
    /** Runs the query of this shape on `db` (a connection, transaction or the pool) of the given dialect. */
    async execute(db: Kysely<DB>, dialect: Dialect, shape: Shape, values: Values): Promise<Row[]> {
      const { sql, slots } = shapeFor(db, dialect, shape);
      const parameters = slots.map((slot) => ('name' in slot ? values[slot.name] : slot.constant));
      return (await db.executeQuery<Row>(CompiledQuery.raw(sql, parameters))).rows;
    },
  };
}
