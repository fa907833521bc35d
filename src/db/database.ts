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
import { lockDataDir } from './lock.js';

/** A transaction handle: Drizzle over one connection, inside BEGIN … COMMIT. */
export type Tx = PgDatabase<PgQueryResultHKT>;

export interface TenantContext {
  workspaceId: string;
  userId: string | null;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Run fn in a transaction as sen_app, scoped by RLS to one workspace. */
  tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T>;
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
    if (!UUID.test(ctx.workspaceId) || (ctx.userId !== null && !UUID.test(ctx.userId))) {
      throw new Error('Invalid tenant context');
    }
    text += ` SELECT set_config('sen.workspace_id', '${ctx.workspaceId}', true), set_config('sen.user_id', '${ctx.userId ?? ''}', true);`;
  }
  return text;
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

  private run<T>(prelude: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.client.transaction(async (t) => {
      await t.exec(prelude);
      return fn(drizzlePglite(t as unknown as PGlite) as unknown as Tx);
    });
  }

  tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(transactionPrelude('sen_app', ctx), fn);
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
 * Two pools. The app pool's connections are switched to sen_app as soon as they open, so a query
 * that forgets tenant()/system() still runs as sen_app with no workspace, and sees nothing. The
 * small admin pool keeps the connecting user for migrations, pg-boss and advisory locks.
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  constructor(
    readonly pool: pg.Pool,
    readonly adminPool: pg.Pool,
  ) {}

  static open(url: string, poolSize = 10): PostgresDatabase {
    // A startup option, so a connection that cannot become sen_app fails instead of running as
    // the connecting user (before the first migration the role does not exist yet).
    const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c role=sen_app' });
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
      const result = await fn(drizzlePg(client) as unknown as Tx);
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

  tenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(transactionPrelude('sen_app', ctx), fn);
  }

  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(transactionPrelude('sen_system'), fn);
  }

  async appQuery<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await this.pool.query<T & pg.QueryResultRow>({ name, text, values });
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
