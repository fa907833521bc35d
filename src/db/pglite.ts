import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../lib/paths.js';
import type { Database, Tx } from './database.js';
import { lockDataDir } from './lock.js';
import {
  confirm,
  confirmPrincipal,
  pendingCheck,
  resumeText,
  type PrincipalCheck,
} from './principal-check.js';
import { transactionPrelude, type TenantContext } from './tenant-context.js';

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

  async migrate(folder: string = migrationsFolder): Promise<void> {
    await migratePglite(drizzlePglite(this.client), { migrationsFolder: folder });
  }

  withLock<T>(_key: number, fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** PGlite is one process: its own NOTIFYs reach it after each committed statement. */
  async listen(channel: string, onMessage: (payload: string) => void) {
    const stop = await this.client.listen(channel, onMessage);
    return async () => {
      if (!this.client.closed) await stop();
    };
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
