import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PostgresDialect,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Marks a statement without parameters that may travel with its transaction's BEGIN, in one round trip
 * (PostgreSQL's simple query protocol takes several statements at once). Its rows are not returned: it
 * is for statements run for their effect, such as binding the transaction to a tenant (tenant-scope.ts).
 */
export const WITH_BEGIN = '/* with begin */ ';

/** A connection whose transaction's BEGIN waits for its first statement, to be sent with it. */
class DeferredBeginConnection implements DatabaseConnection {
  pendingBegin = false;

  constructor(readonly inner: DatabaseConnection) {}

  /** Sends a waiting BEGIN on its own, before a statement that cannot carry it. */
  async flush(): Promise<void> {
    if (!this.pendingBegin) return;
    this.pendingBegin = false;
    await this.inner.executeQuery(CompiledQuery.raw('begin'));
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.pendingBegin && query.parameters.length === 0 && query.sql.startsWith(WITH_BEGIN)) {
      this.pendingBegin = false;
      await this.inner.executeQuery(CompiledQuery.raw(`begin; ${query.sql}`));
      return { rows: [] };
    }
    await this.flush();
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.flush();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }
}

const deferred = (connection: DatabaseConnection) => connection as DeferredBeginConnection;

/**
 * Kysely's PostgreSQL driver, with a plain BEGIN deferred to the transaction's first statement: a
 * transaction that starts with a WITH_BEGIN statement saves a round trip, and one that runs no
 * statement sends nothing. Everything else is the wrapped driver's.
 */
class DeferredBeginDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new DeferredBeginConnection(await this.inner.acquireConnection());
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = deferred(connection);
    if (settings.isolationLevel || settings.accessMode) return this.inner.beginTransaction(c.inner, settings);
    c.pendingBegin = true;
  }

  /** COMMIT or ROLLBACK: nothing to send when the BEGIN never went out. */
  private async end(connection: DatabaseConnection, end: (inner: DatabaseConnection) => Promise<void>) {
    const c = deferred(connection);
    if (!c.pendingBegin) return end(c.inner);
    c.pendingBegin = false;
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection, (inner) => this.inner.commitTransaction(inner));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection, (inner) => this.inner.rollbackTransaction(inner));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await deferred(connection).flush();
    await this.inner.savepoint!(deferred(connection).inner, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.rollbackToSavepoint!(deferred(connection).inner, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.releaseSavepoint!(deferred(connection).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(deferred(connection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** Kysely's PostgreSQL dialect with the deferred BEGIN above. */
export class DeferredBeginPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new DeferredBeginDriver(super.createDriver());
  }
}
