import { createRequire } from 'node:module';
import pg from 'pg';

/**
 * The pg version this file was written and tested against. It uses pg's private state (the
 * Connection's fields and methods, Query's message handlers), which any release may change, so
 * package.json pins pg to exactly this version and PostgresDatabase.open() refuses another.
 * To upgrade pg: read pg's lib/query.js and lib/connection.js against the code below, run
 * test/context-query.unit.test.ts and the database tests on PostgreSQL, then change both.
 */
export const PG_VERSION = '8.23.1';

/** The version of the pg package Node resolves from here. */
export function installedPgVersion(): string {
  return (createRequire(import.meta.url)('pg/package.json') as { version: string }).version;
}

/** Throws, naming both versions, when the installed pg is not PG_VERSION. */
export function assertPgVersion(found: string = installedPgVersion()): void {
  if (found !== PG_VERSION) {
    throw new Error(
      `Sen needs pg ${PG_VERSION} exactly (src/db/context-query.ts relies on its private state), ` +
        `but found pg ${found}: reinstall the dependencies with \`npm ci\`.`,
    );
  }
}

/** The parts of pg's Connection a query writes to (pg's own Query uses the same). */
interface Connection {
  stream: { cork(): void; uncork(): void; destroy(err?: Error): void };
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(msg: { text: string; name: string }): void;
  bind(msg: {
    statement: string;
    values: unknown[];
    valueMapper?: (value: unknown) => unknown;
  }): void;
  execute(msg: { portal: string }): void;
  close(msg: { type: 'S'; name: string }): void;
}

/** A statement sent in front of another one, for its side effects (and its first row). */
export interface Prelude {
  /** Prepared once per connection under this name. */
  name: string;
  text: string;
  values: unknown[];
  /** Receives the text of the prelude's first column, first row (null when NULL or no row). */
  onValue?: (value: string | null) => void;
}

/** pg's Query, untyped where @types/pg leaves its message handlers out. */
const PgQuery = pg.Query as unknown as new (
  config: pg.QueryConfig,
  values: unknown[] | undefined,
  callback: (err: Error | null, result: pg.QueryResult) => void,
) => {
  name?: string;
  text?: string;
  values?: unknown;
  submit(connection: Connection): Error | null;
  handleRowDescription(msg: unknown): void;
  handleDataRow(msg: { fields: (string | null)[] }): void;
  handleCommandComplete(msg: unknown, connection: Connection): void;
  handleError(err: Error, connection: Connection): void;
};

const preparedPreludes = new WeakMap<Connection, Set<string>>();
const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils
  .prepareValue;

/**
 * A statement sent behind a prelude, both ended by ONE Sync: PostgreSQL runs the two in one
 * implicit transaction, so a prelude's `set_config(…, true)` holds for the statement and is gone
 * when it ends, on success or error (no reset statement), and the server answers the pair with a
 * single flush. The prelude's own rows are not part of the result (onValue sees the first).
 *
 * A subclass of pg's Query so that pg's pipeline mode accepts it; the prelude is a named
 * statement, parsed once per connection (after a Close, so a Parse whose fate is unknown — an
 * error in the same batch — never collides with an existing statement).
 */
class PreludedQuery extends PgQuery {
  private preludeDone = false;
  private preludeRowSeen = false;
  private preludeParsed = false;
  private mainWasParsed = false;

  constructor(
    config: pg.QueryConfig,
    values: unknown[] | undefined,
    private readonly prelude: Prelude,
    callback: (err: Error | null, result: pg.QueryResult) => void,
  ) {
    // 'extended': never the simple Query message, which would end the implicit transaction.
    super({ ...config, queryMode: 'extended' } as pg.QueryConfig, values, callback);
  }

  override submit(connection: Connection): Error | null {
    const { name, text, values } = this.prelude;
    let prepared = preparedPreludes.get(connection);
    if (!prepared) preparedPreludes.set(connection, (prepared = new Set()));
    // pg's own checks, before anything is written: a refusal after the prelude is on the wire
    // would leave it there without its Sync.
    const refused = refusal(this, connection);
    if (refused) return refused;
    this.mainWasParsed = this.name !== undefined && this.name in connection.parsedStatements;
    connection.stream.cork();
    try {
      if (!prepared.has(name)) {
        connection.close({ type: 'S', name });
        connection.parse({ text, name });
        prepared.add(name);
        this.preludeParsed = true;
      }
      connection.bind({ statement: name, values, valueMapper: prepareValue });
      connection.execute({ portal: '' });
      // pg's own Parse/Bind/Describe/Execute of the statement, then the one Sync.
      return super.submit(connection);
    } catch (err) {
      // The prelude may be corked without its Sync: sent, it would set its context for whatever
      // statement the connection runs next. Drop the connection (the corked bytes with it).
      connection.stream.destroy(err as Error);
      return err as Error;
    } finally {
      connection.stream.uncork();
    }
  }

  override handleRowDescription(msg: unknown): void {
    if (this.preludeDone) super.handleRowDescription(msg);
  }

  override handleDataRow(msg: { fields: (string | null)[] }): void {
    if (this.preludeDone) return super.handleDataRow(msg);
    if (this.preludeRowSeen) return;
    this.preludeRowSeen = true;
    this.prelude.onValue?.(msg.fields[0] ?? null);
  }

  override handleCommandComplete(msg: unknown, connection: Connection): void {
    if (this.preludeDone) super.handleCommandComplete(msg, connection);
    else {
      if (!this.preludeRowSeen) this.prelude.onValue?.(null);
      this.preludeDone = true;
    }
  }

  override handleError(err: Error, connection: Connection): void {
    // Which Parse of this batch succeeded is unknown: parse again next time. (pg marks a named
    // statement parsed on the first ParseComplete of the batch, which may be the prelude's.)
    if (this.preludeParsed) preparedPreludes.get(connection)?.delete(this.prelude.name);
    if (this.name !== undefined && !this.mainWasParsed) {
      delete connection.parsedStatements[this.name];
    }
    super.handleError(err, connection);
  }
}

function refusal(
  query: { name?: string; text?: string; values?: unknown },
  connection: Connection,
): Error | null {
  if (typeof query.text !== 'string' && typeof query.name !== 'string') {
    return new Error('A query must have either text or a name.');
  }
  const previous =
    query.name === undefined
      ? undefined
      : (connection.parsedStatements[query.name] ??
        connection.submittedNamedStatements[query.name]);
  if (query.text && previous !== undefined && query.text !== previous) {
    return new Error(
      `Prepared statements must be unique - '${query.name}' was used for a different statement`,
    );
  }
  if (query.values !== undefined && !Array.isArray(query.values)) {
    return new Error('Query values must be an array');
  }
  return null;
}

/** Run `config` behind `prelude` in one implicit transaction (see PreludedQuery). */
export function queryWithPrelude(
  client: pg.ClientBase,
  config: pg.QueryConfig,
  values: unknown[] | undefined,
  prelude: Prelude,
): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    // The callback goes to the constructor (see callbackQuery in postgres.ts).
    const query = new PreludedQuery(config, values, prelude, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    // A Submittable: pg returns it, not a promise; its callback settles this one.
    void client.query(query as unknown as pg.QueryConfig);
  });
}
