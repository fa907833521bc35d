import type { Database } from './database.js';
import type { TenantContext } from './tenant-context.js';

/**
 * A principal taken from a node's cache instead of the database, to be confirmed by it. read()
 * runs `SELECT <call>` before the request's first statement (on PostgreSQL as its prelude, in
 * the same round trip; on PGlite first in its transaction): the call answers the credential's
 * current stamp and, when it is the cached one, sets the RLS context from the credential's own
 * row (not from the cache). tenant() calls it before its transaction. Any other answer (signed
 * out, deactivated, role or team changed: the stamp moved) throws PrincipalChanged: nothing read
 * with the cached principal is used.
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
export const resumeText = (check: PrincipalCheck) =>
  `SELECT stamp, set_config('transaction_read_only', 'on', true)
     FROM (SELECT ${check.call} AS stamp OFFSET 0) resumed`;

/** ctx's check, while the database has not confirmed it yet. */
export const pendingCheck = (ctx: TenantContext) =>
  ctx.check?.confirmed === false ? ctx.check : undefined;

/** Accept the database's answer to check, or throw PrincipalChanged. */
export function confirm(check: PrincipalCheck, text: string | null): void {
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
