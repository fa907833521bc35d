/**
 * What record objects' search providers (their declarations' `search`, e.g.
 * contacts/contacts.search.ts) share: candidates by rankedMatches() (run as sen_system, explicit
 * workspace/scope/trash), then one RLS-scoped statement for what a hit shows, turned into hits.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import type { SearchCandidate, SearchHit } from '../search/registry.js';

/** `id1::uuid, id2::uuid…` for an IN list. */
export const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
/** ` AND <scope>` when the caller's scope restricts, else nothing. */
export const andScope = (scope: SQL | null) => (scope ? sql` AND ${scope}` : sql``);

/** Run a candidate statement (rankedMatches) into candidates. */
export async function candidates(tx: Tx, statement: SQL | null): Promise<SearchCandidate[]> {
  if (!statement) return [];
  const rows = await queryRows<{ id: string; rank: number | string; search_name: string }>(
    tx,
    statement,
  );
  return rows.map((r) => ({ id: r.id, rank: Number(r.rank), sortKey: r.search_name }));
}

/** Hits for the candidates that `rows` (loaded under RLS) still contains, in candidate order. */
export function hitsOf<R extends { id: string }>(
  found: SearchCandidate[],
  rows: R[],
  show: (row: R) => Omit<SearchHit, keyof SearchCandidate>,
): SearchHit[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return found.flatMap((c) => {
    const row = byId.get(c.id);
    return row ? [{ ...c, ...show(row) }] : [];
  });
}

/** A hit's subtitle: the parts present, joined with ' · '. */
export function joinParts(parts: (string | null)[]): string | null {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length > 0 ? kept.join(' · ') : null;
}
