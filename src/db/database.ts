import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { PgliteDatabase } from './pglite.js';
import { PostgresDatabase } from './postgres.js';
import type { TenantContext } from './tenant-context.js';

/*
 * The Database abstraction. The backends and the pieces they share live beside this file:
 * - tenant-context.ts: the workspace context of a transaction and the prelude that sets it;
 * - principal-check.ts: confirming a cached principal (PrincipalCheck, PrincipalChanged);
 * - pglite.ts: the embedded backend (PgliteDatabase);
 * - postgres.ts: the PostgreSQL backend over pg (PostgresDatabase, callbackQuery), with
 *   context-query.ts (read()'s pipelined statements, which use pg's private state).
 * What the rest of the code uses is re-exported here: import from './database.js'.
 */
export {
  authCallText,
  confirmPrincipal,
  errorOf,
  PrincipalChanged,
  type PrincipalCheck,
} from './principal-check.js';
export { transactionPrelude, type TenantContext } from './tenant-context.js';
export { openPglite, PgliteDatabase, pgliteExtensions } from './pglite.js';
export { callbackQuery, PostgresDatabase } from './postgres.js';

/** A transaction handle: Drizzle over one connection, inside BEGIN … COMMIT. */
export type Tx = PgDatabase<PgQueryResultHKT>;

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
  /** Apply the migrations (of `folder`: a restore's older schema level; default: Sen's own). */
  migrate(folder?: string): Promise<void>;
  /**
   * Run fn while holding a lock shared by every app node (a PostgreSQL advisory lock; PGlite has
   * a single process, so it just runs fn).
   */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /**
   * Hear NOTIFYs on `channel` (sent at commit by any app node): `onMessage` gets each payload.
   * `onGap` is called when messages may have been missed (the listening connection was lost and
   * made again), so listeners can resynchronise. Resolves to a function that stops listening.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onGap?: () => void,
  ): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<Database> {
  if (opts.databaseUrl) return PostgresDatabase.open(opts.databaseUrl, opts.poolSize);
  return PgliteDatabase.open(opts.dataDir);
}
