import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsFolder } from '../lib/paths.js';
import { assertPgVersion, queryWithPrelude } from './context-query.js';
import type { Database, Tx } from './database.js';
import {
  PrincipalChanged,
  confirm,
  confirmPrincipal,
  errorOf,
  pendingCheck,
  resumeText,
} from './principal-check.js';
import { assertTenantContext, transactionPrelude, type TenantContext } from './tenant-context.js';

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
    // read() writes through pg's private state (context-query.ts): only the version it was
    // written against will do.
    assertPgVersion();
    // A startup option, so a connection that cannot become sen_app fails instead of running as
    // the connecting user (before the first migration the role does not exist yet).
    // Pipeline mode lets read() write several statements at once (see PipelinedReader).
    // No JIT compilation: Sen's statements are short, and on the sales report over a million
    // deals (bench/deals.ts) compiling the plan took ~200 ms, more than running it.
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      options: '-c role=sen_app -c jit=off',
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

  async migrate(folder: string = migrationsFolder): Promise<void> {
    // Several app nodes may start at once: one migrates, the others wait for it.
    const client = await this.adminPool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7474501)');
      try {
        await migratePg(drizzlePg(client), { migrationsFolder: folder });
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

  /**
   * A connection of its own that LISTENs (a pooled one would be handed to others), made again
   * with a growing delay (up to 10 s) when it is lost, and `onGap` called once it is back.
   */
  async listen(channel: string, onMessage: (payload: string) => void, onGap?: () => void) {
    let client: pg.Client | null = null;
    let stopped = false;
    let delay = 250;
    let timer: NodeJS.Timeout | undefined;
    const connect = async (first: boolean): Promise<void> => {
      const c = new pg.Client(this.adminPool.options);
      c.on('notification', (n) => {
        if (n.channel === channel) onMessage(n.payload ?? '');
      });
      const lost = () => {
        if (stopped || client !== c) return;
        client = null;
        c.end().catch(() => {});
        timer = setTimeout(() => void retry(), delay);
        delay = Math.min(delay * 2, 10_000);
      };
      c.on('error', lost);
      c.on('end', lost);
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      delay = 250;
      if (!first) onGap?.();
    };
    const retry = async () => {
      if (stopped) return;
      try {
        await connect(false);
      } catch {
        timer = setTimeout(() => void retry(), delay);
        delay = Math.min(delay * 2, 10_000);
      }
    };
    await connect(true);
    return async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    };
  }

  async ping(): Promise<void> {
    await this.adminPool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.adminPool.end()]);
  }
}
