import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { migrationsFolder } from '../lib/paths.js';
import { queryWithPrelude } from './context-query.js';
import { lockDataDir } from './lock.js';

/** A transaction handle: Drizzle over one connection, inside BEGIN … COMMIT. */
export type Tx = PgDatabase<PgQueryResultHKT>;

export interface TenantContext {
  workspaceId: string;
  userId: string | null;
  /** Set when this context came from a cache: the database must confirm it (PrincipalCheck). */
  check?: PrincipalCheck | undefined;
}

/**
 * A principal taken from a node's cache instead of the database, to be confirmed by it. read()
 * runs `SELECT <call>` before the request's first statement (on PostgreSQL as its prelude, in
 * the same round trip; on PGlite first in its transaction): the call answers the credential's
 * current stamp and, when it is the cached one, sets the RLS context from the credential's own
 * row (not from the cache). tenant() calls it before its transaction. Any other answer (signed out, deactivated, role or team
 * changed: the stamp moved) throws PrincipalChanged: nothing read with the cached principal is
 * used.
 */
export interface PrincipalCheck {
  /** A call answering the credential's stamp, e.g. `sen_session_resume($1, $2, $3, $4)`. */
  call: string;
  values: unknown[];
  /** The cached principal's stamp. */
  expected: string;
  /** Set once the database returned `expected`. */
  confirmed: boolean;
}

/** The database's answer to a PrincipalCheck is not the cached stamp. */
export class PrincipalChanged extends Error {
  constructor() {
    super('The cached principal changed');
  }
}

/** err, or an error in its `cause` chain (Drizzle wraps driver errors), that is a T. */
export function errorOf<T>(err: unknown, type: abstract new (...args: never[]) => T): T | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The statement that resumes a cached principal inside read(): the call, which sets the read
 * context when the stamp holds, then read-only (transaction-local). OFFSET 0 keeps the
 * (volatile) call in its subquery: it runs once, before set_config.
 */
const resumeText = (check: PrincipalCheck) =>
  `SELECT stamp, set_config('transaction_read_only', 'on', true)
     FROM (SELECT ${check.call} AS stamp OFFSET 0) resumed`;

/** ctx's check, while the database has not confirmed it yet. */
const pendingCheck = (ctx: TenantContext) =>
  ctx.check?.confirmed === false ? ctx.check : undefined;

function confirm(check: PrincipalCheck, text: string | null): void {
  if (text !== check.expected) throw new PrincipalChanged();
  check.confirmed = true;
}

/** `SELECT <call>` as text (null when the call returns NULL), as sen_app. */
export async function authCallText(
  db: Database,
  call: string,
  values: unknown[],
): Promise<string | null> {
  const [row] = await db.appQuery<{ p: string | null }>(
    `sen_auth:${call}`,
    `SELECT (${call})::text AS p`,
    values,
  );
  return row?.p ?? null;
}

/** Confirm a pending check now (one round trip): throws PrincipalChanged when it changed. */
export async function confirmPrincipal(db: Database, check: PrincipalCheck): Promise<void> {
  if (!check.confirmed) confirm(check, await authCallText(db, check.call, check.values));
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Run fn in a transaction as sen_app, scoped by RLS to one workspace. */
  tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Run read-only fn as sen_app in one workspace WITHOUT a common transaction: each statement
   * runs on its own (its own snapshot), sent in one round trip together with the workspace
   * context. For reads that need no consistent snapshot across statements: the hot path of
   * GET requests. Writes fail (read-only).
   */
  read<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Run fn in a transaction as sen_system (cross-workspace: auth, jobs). */
  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * One statement as sen_app outside any workspace, prepared once per connection under `name`:
   * the hot path of authentication (a call to a SECURITY DEFINER function).
   */
  appQuery<T>(name: string, text: string, values: unknown[]): Promise<T[]>;
  /** Raw SQL as the connecting user, for pg-boss and migrations only. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  migrate(): Promise<void>;
  /**
   * Run fn while holding a lock shared by every app node (a PostgreSQL advisory lock; PGlite has
   * a single process, so it just runs fn).
   */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statements that open every transaction, sent as one simple-protocol round trip.
 * Values are inlined (set_config cannot be parameterised in a multi-statement query), so they
 * are validated as UUIDs first.
 */
export function transactionPrelude(role: 'sen_app' | 'sen_system', ctx?: TenantContext): string {
  let text = `SET LOCAL ROLE ${role};`;
  if (ctx) {
    assertTenantContext(ctx);
    text += ` SELECT set_config('sen.workspace_id', '${ctx.workspaceId}', true), set_config('sen.user_id', '${ctx.userId ?? ''}', true);`;
  }
  return text;
}

function assertTenantContext(ctx: TenantContext): void {
  if (!UUID.test(ctx.workspaceId) || (ctx.userId !== null && !UUID.test(ctx.userId))) {
    throw new Error('Invalid tenant context');
  }
}

const READ_CONTEXT = {
  name: 'sen_read_context',
  text: `SELECT set_config('sen.workspace_id', $1, true), set_config('sen.user_id', $2, true),
                set_config('transaction_read_only', 'on', true)`,
};

/**
 * The client Drizzle sees inside read(): every statement goes behind the workspace context (or
 * the pending principal check that sets it) with one Sync for the pair (queryWithPrelude), so a
 * read costs one round trip, one implicit read-only transaction and one flush of the server's
 * answer, instead of BEGIN, context, query and COMMIT. The context is transaction-local: nothing
 * is left on the connection after the statement, whether it succeeded or failed.
 * The connection is already sen_app (startup option).
 */
class PipelinedReader {
  /** The context of the read() using this connection; null between reads. */
  ctx: TenantContext | null = null;
  /** The Drizzle handle over this reader, kept with its connection (see prepared()). */
  readonly db: Tx = drizzlePg(this as unknown as pg.PoolClient) as unknown as Tx;

  constructor(private readonly client: pg.PoolClient) {}

  async query(config: pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    const ctx = this.ctx;
    // A statement started after its read() ended (not awaited) has no context to run in.
    if (!ctx) throw new Error('query outside db.read()');
    const check = pendingCheck(ctx);
    if (!check) {
      return queryWithPrelude(this.client, config, values, {
        ...READ_CONTEXT,
        values: [ctx.workspaceId, ctx.userId ?? ''],
      });
    }
    // `text` stays undefined until the prelude has answered (null: the call returned NULL).
    const answer: { text?: string | null } = {};
    const result = queryWithPrelude(this.client, config, values, {
      name: `sen_check_read:${check.call}`,
      text: resumeText(check),
      values: check.values,
      onValue: (text) => (answer.text = text),
    });
    // The statement ran with the context of the database's answer: whatever it returned (or
    // however it failed) is used only once that answer is the cached principal.
    const settled = await result.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (answer.text === undefined && 'error' in settled) throw settled.error; // the check failed
    confirm(check, answer.text ?? null);
    if ('error' in settled) throw settled.error;
    return settled.value;
  }
}

export const pgliteExtensions = { pg_trgm, unaccent, citext, pgcrypto };

export async function openPglite(opts: {
  dataDir?: string;
  loadDataDir?: Blob | File;
}): Promise<PGlite> {
  return PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: pgliteExtensions,
  });
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  constructor(
    readonly client: PGlite,
    private readonly release: () => void = () => {},
  ) {}

  static async open(dataDir: string): Promise<PgliteDatabase> {
    const unlock = lockDataDir(dataDir);
    try {
      const client = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
      return new PgliteDatabase(client, unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** fn in a transaction opened by prelude, after the pending check if one is given. */
  private run<T>(prelude: string, fn: (tx: Tx) => Promise<T>, check?: PrincipalCheck): Promise<T> {
    return this.client.transaction(async (t) => {
      await t.exec(prelude);
      if (check) {
        const { rows } = await t.query<{ stamp: string | null }>(resumeText(check), check.values);
        confirm(check, rows[0]?.stamp ?? null);
      }
      return fn(drizzlePglite(t as unknown as PGlite) as unknown as Tx);
    });
  }

  async tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (ctx.check) await confirmPrincipal(this, ctx.check);
    return this.run(transactionPrelude('sen_app', ctx), fn);
  }

  /**
   * One connection, queries queue anyway: a read-only transaction gives the same guarantees.
   * A pending principal check is its first statement: it sets the context (and read-only)
   * when it holds.
   */
  read<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const check = pendingCheck(ctx);
    if (check) return this.run(transactionPrelude('sen_app'), fn, check);
    return this.run(`SET TRANSACTION READ ONLY; ${transactionPrelude('sen_app', ctx)}`, fn);
  }

  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(transactionPrelude('sen_system'), fn);
  }

  appQuery<T>(_name: string, text: string, values: unknown[]): Promise<T[]> {
    return this.client.transaction(async (t) => {
      await t.exec(transactionPrelude('sen_app'));
      return (await t.query<T>(text, values)).rows;
    });
  }

  async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    if (values && values.length > 0) return this.client.query(text, values);
    const results = await this.client.exec(text);
    return { rows: results.at(-1)?.rows ?? [] };
  }

  async migrate(): Promise<void> {
    await migratePglite(drizzlePglite(this.client), { migrationsFolder });
  }

  withLock<T>(_key: number, fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async ping(): Promise<void> {
    await this.client.query('SELECT 1');
  }

  async close(): Promise<void> {
    try {
      if (!this.client.closed) await this.client.close();
    } finally {
      this.release();
    }
  }
}

/**
 * A pg query answered through a callback given with it, never pg's promise: a Query whose
 * callback is set after its construction (pg's promise mode does that) makes V8 promote every
 * row read through it to the old generation (measured on a stream of 50-row pages: 7-8 ms
 * scavenges every ~60 requests instead of ~1 ms, and +5.5 MB of old generation each).
 * queryWithPrelude does the same for read(). (The benchmarks' baselines use it too.)
 */
export function callbackQuery<R extends pg.QueryResultRow>(
  client: pg.Pool | pg.ClientBase,
  config: pg.QueryConfig,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return new Promise((resolve, reject) => {
    const withValues = values === undefined ? config : { ...config, values };
    client.query<R>(withValues, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** A client for Drizzle whose queries go through callbackQuery. */
function callbackQueries(client: pg.PoolClient): pg.PoolClient {
  return {
    query: (config: pg.QueryConfig, values?: unknown[]) => callbackQuery(client, config, values),
  } as unknown as pg.PoolClient;
}

/**
 * Two pools. The app pool's connections are switched to sen_app as soon as they open, so a query
 * that forgets tenant()/system() still runs as sen_app with no workspace, and sees nothing. The
 * small admin pool keeps the connecting user for migrations, pg-boss and advisory locks.
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  /** read()'s reader of each pooled connection, made on its first read(). */
  private readonly readers = new WeakMap<pg.PoolClient, PipelinedReader>();
  constructor(
    readonly pool: pg.Pool,
    readonly adminPool: pg.Pool,
  ) {}

  static open(url: string, poolSize = 10): PostgresDatabase {
    // A startup option, so a connection that cannot become sen_app fails instead of running as
    // the connecting user (before the first migration the role does not exist yet).
    // Pipeline mode lets read() write several statements at once (see PipelinedReader).
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      options: '-c role=sen_app',
      pipeline: true,
    } as pg.PoolConfig);
    const adminPool = new pg.Pool({ connectionString: url, max: 4 });
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    adminPool.on('error', () => {});
    return new PostgresDatabase(pool, adminPool);
  }

  private async run<T>(prelude: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let discard = false;
    try {
      await client.query(`BEGIN; ${prelude}`);
      const result = await fn(drizzlePg(callbackQueries(client)) as unknown as Tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A connection that cannot even roll back is dropped from the pool, not reused.
      await client.query('ROLLBACK').catch(() => (discard = true));
      throw err;
    } finally {
      client.release(discard);
    }
  }

  async tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (ctx.check) await confirmPrincipal(this, ctx.check);
    return this.run(transactionPrelude('sen_app', ctx), fn);
  }

  async read<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    assertTenantContext(ctx);
    const client = await this.pool.connect();
    let reader = this.readers.get(client);
    if (!reader) this.readers.set(client, (reader = new PipelinedReader(client)));
    reader.ctx = ctx;
    let discard = false;
    try {
      return await fn(reader.db);
    } catch (err) {
      // A refused statement or a changed principal leaves the connection clean (its implicit
      // transaction ended with it).
      discard = !(errorOf(err, pg.DatabaseError) || errorOf(err, PrincipalChanged));
      throw err;
    } finally {
      reader.ctx = null;
      client.release(discard);
    }
  }

  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(transactionPrelude('sen_system'), fn);
  }

  async appQuery<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await callbackQuery<T & pg.QueryResultRow>(this.pool, { name, text, values });
    return result.rows;
  }

  async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    return this.adminPool.query(text, values);
  }

  async migrate(): Promise<void> {
    // Several app nodes may start at once: one migrates, the others wait for it.
    const client = await this.adminPool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7474501)');
      try {
        await migratePg(drizzlePg(client), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock(7474501)');
      }
    } finally {
      client.release();
    }
  }

  async withLock<T>(key: number, fn: () => Promise<T>): Promise<T> {
    // A session lock on a connection of its own; fn runs on the other connections.
    const client = await this.adminPool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.adminPool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.adminPool.end()]);
  }
}

export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<Database> {
  if (opts.databaseUrl) return PostgresDatabase.open(opts.databaseUrl, opts.poolSize);
  return PgliteDatabase.open(opts.dataDir);
}
