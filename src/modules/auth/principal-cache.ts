import type { Database } from '../../db/database.js';
import type { ApiKeyPrincipal, SessionPrincipal } from './auth.repository.js';

/** A principal as sen_*_principal answered it, for a valid credential. */
export type Principal = Extract<SessionPrincipal, { status: 'ok' }> | ApiKeyPrincipal;

/**
 * The principals this node saw last, by credential (token or key hash): a hint that lets a GET
 * send its authentication with its first read (PrincipalCheck in db/principal-check.ts: one round trip
 * on PostgreSQL, one transaction on PGlite). Never trusted on its own: every request that uses an entry has the database
 * compare the entry's stamp with the workspace's current one (migration 0012: triggers bump it
 * with every change to a principal), and a different answer throws the request's results away
 * and authenticates it afresh. So sign-out, deactivation and role changes still take effect at
 * once on every node; a stale entry only costs a retry.
 */
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  at: number;
}

// One cache per database: a process may serve several (the tests do).
const caches = new WeakMap<Database, Map<string, Entry>>();

function cacheOf(db: Database): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

export function cachedPrincipal(db: Database, key: string): Principal | null {
  const cache = cacheOf(db);
  const entry = cache.get(key);
  if (!entry) return null;
  if (Date.now() - entry.at > TTL_MS) {
    cache.delete(key);
    return null;
  }
  return entry.principal;
}

/** Frozen all the way down: requests share a cached principal (and its arrays and objects). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function rememberPrincipal(db: Database, key: string, principal: Principal): void {
  const cache = cacheOf(db);
  cache.delete(key);
  cache.set(key, { principal: deepFreeze(principal), at: Date.now() });
  // A Map iterates in insertion order: the first key is the oldest.
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
}

export function forgetPrincipal(db: Database, key: string): void {
  cacheOf(db).delete(key);
}
