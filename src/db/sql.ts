import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './database.js';

/** Run a raw SQL query (drizzle `sql` template, parameterised) and return its rows. */
export async function queryRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A uuid[] parameter for `= ANY(...)` (one parameter, whatever the number of ids). */
export const uuidArray = (ids: Iterable<string>) => sql`${`{${[...ids].join(',')}}`}::uuid[]`;

/** A text[] parameter for `= ANY(...)`. */
export const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`;

/** A timestamptz as the API's ISO 8601 text (UTC, milliseconds, like Date#toISOString). */
export const isoText = (expr: SQL) =>
  sql`to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function queryOne<T>(tx: Tx, query: SQL): Promise<T | undefined> {
  return (await queryRows<T>(tx, query))[0];
}

/** PostgreSQL error code of a database error (both backends), e.g. 23505 unique_violation. */
export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A timestamptz from a raw query: Drizzle's drivers hand raw timestamps back as text, query
 * builder columns as Date. asDate() reads either.
 */
export type Timestamp = Date | string;
export const asDate = (v: Timestamp): Date => (v instanceof Date ? v : new Date(v));

/** What Drizzle's `.prepare(name)` returns, reduced to what prepared() uses. */
interface Executable<R> {
  execute(placeholders?: Record<string, unknown>): Promise<R>;
}

const preparedNames = new Set<string>();

/**
 * A statement built once per database handle and sent as a NAMED statement, for hot lookups
 * (a GET of one record by id): Drizzle builds its SQL once, not per request, and PostgreSQL
 * parses and plans it once per connection instead of per call (its plan cache; for a statement
 * under RLS, planning costs more than running it). Values go in through `sql.placeholder(...)`.
 *
 * Only for statements whose best plan does not depend on the values (lookups by key):
 * PostgreSQL may settle on one generic plan for every call. The handle db.read() gives on
 * PostgreSQL lives as long as its pooled connection, so the build is paid once per connection;
 * any other handle (a transaction, PGlite) builds it once per handle, and PGlite does not name
 * statements.
 */
export function prepared<R>(
  name: string,
  build: (tx: Tx) => { prepare(name: string): Executable<R> },
): (tx: Tx, placeholders: Record<string, unknown>) => Promise<R> {
  // A name is one text on every connection: pg refuses a second text under a name it prepared.
  if (preparedNames.has(name)) throw new Error(`prepared statement ${name} defined twice`);
  preparedNames.add(name);
  const byHandle = new WeakMap<Tx, Executable<R>>();
  return (tx, placeholders) => {
    let statement = byHandle.get(tx);
    if (!statement) byHandle.set(tx, (statement = build(tx).prepare(name)));
    return statement.execute(placeholders);
  };
}

/**
 * Insert many rows in one statement with ONE parameter: the rows as a JSON array, expanded by
 * jsonb_populate_recordset into the table's row type. Keys are the table's property names
 * (Drizzle's), values as Drizzle would take them (Dates become ISO text). Columns no row names
 * get their defaults. For bulk writes (imports): a multi-row VALUES list costs a parameter per
 * value, and building and sending tens of thousands of them dominated the batch's time.
 */
export async function insertJsonRows(
  tx: Tx,
  table: PgTable,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const byProperty = getTableColumns(table);
  const named = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) named.add(key);
  const columns: { property: string; name: string }[] = [];
  for (const property of named) {
    const column = byProperty[property];
    if (!column) throw new Error(`insertJsonRows: ${getTableName(table)} has no ${property}`);
    columns.push({ property, name: column.name });
  }
  const json = JSON.stringify(
    rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.property] ?? null]))),
  );
  const list = sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  await tx.execute(
    sql`INSERT INTO ${table} (${list})
        SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, ${json}::jsonb)`,
  );
}
